"""`gongkai import-report PATH --unit U --year Y [--reason R]` (INTERFACES.md): a published annual
report saved as HTML (the page as the site published it, or a directory holding the saved page)
becomes a structured report with every table cell, published at once with its original date;
when its tables cannot be read, the page's text goes in as the text-only form with a note.
Exit 0 done, 2 bad input; nothing is half-written."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.reports import actions, checks, formats, htmlreport, queries
from gongkai.reports.models import ReportFormat


def _pick(path: Path, year: int) -> Path:
    if not path.is_dir():
        return path
    pages = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm", ".shtml"))
    if len(pages) > 1:
        named = []
        for page in pages:
            parsed = htmlreport.read_page(htmlreport.decode(page.read_bytes()))
            if str(year) in parsed.title and "报告" in parsed.title:
                named.append(page)
        pages = named or pages
    if len(pages) != 1:
        names = "、".join(p.name for p in pages) or "没有 HTML 文件"
        raise CommandError(
            f"{path}：无法确定哪个页面是 {year} 年度报告（{names}），请指定文件", returncode=2
        )
    return pages[0]


class Command(BaseCommand):
    help = "导入已在网站上发布的政府信息公开工作年度报告（保存的 HTML 页面）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="保存的报告页面（HTML），或存放页面的目录")
        parser.add_argument("--unit", required=True, help="机关的单位代码或全称")
        parser.add_argument("--year", required=True, type=int, help="报告年度，如 2023")
        parser.add_argument("--reason", default="", help="该年度已有导入的报告时：更正原因")

    def handle(self, *args, **options) -> None:
        unit = queries.find_organ(options["unit"])
        if unit is None or not unit.is_organ:
            raise CommandError(
                f"没有这个信息公开主体：{options['unit']}（应填机关的单位代码或全称）", returncode=2
            )
        year = options["year"]
        path = _pick(Path(options["path"]), year)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}", returncode=2) from exc
        try:
            version, parsed = actions.import_page(
                actor=None, unit=unit, year=year, data=data, reason=options["reason"]
            )
        except ValidationError as exc:
            raise CommandError(f"{path}：{'；'.join(exc.messages)}", returncode=2) from exc
        doc = version.document
        self.stdout.write(
            f"已导入并发布：{version.title}（{unit.name} {year} 年度，第 {version.number} 版）"
        )
        if parsed.published_date:
            self.stdout.write(f"原发布日期：{parsed.published_date}")
        if doc["format"] == formats.LEGACY:
            self.stdout.write("格式：全文（表格未能读取）")
            for problem in parsed.problems:
                self.stdout.write(f"说明：{problem}")
            return
        label = ReportFormat(doc["format"]).label
        cells = sum(len(v) for v in doc["proactive"].values())
        cells += sum(len(v) for v in doc["applications"].values())
        cells += sum(len(v) for v in doc["remedies"].values())
        self.stdout.write(f"格式：{label}；读取表格单元格 {cells} 个")
        for finding in doc.get("checks", []):
            level = "错误" if finding["level"] == checks.ERROR else "提示"
            self.stdout.write(f"核对{level}：{finding['message']}")
