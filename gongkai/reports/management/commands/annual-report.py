"""`gongkai annual-report UNIT YEAR [--format json|html|docx] [-o FILE]` (INTERFACES.md).

Prints (or writes) the report of an organ, given by its code or full name, for a year: the newest
finalised version when there is one, otherwise the live figures from the records (with the draft's
text if a draft exists). Exit 2 for an unknown unit, a unit that is not a disclosure organ, a bad
year, or a year before 2019 with no imported report. The file is written whole or not at all.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.reports import actions, documents, exports, queries


class Command(BaseCommand):
    help = "生成某机关某年度的政府信息公开工作年度报告（JSON、HTML 或 Word）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", help="机关的单位代码或全称，如 zhuwang 或 乳山市诸往镇人民政府")
        parser.add_argument("year", help="报告年度，如 2025")
        parser.add_argument(
            "--format",
            choices=["json", "html", "docx"],
            default="json",
            help="输出格式（默认 json）",
        )
        parser.add_argument("-o", "--output", help="写入的文件；不写则输出到标准输出")

    def handle(self, *args, **options) -> None:
        unit = queries.find_organ(options["unit"])
        if unit is None:
            raise CommandError(
                f"没有这个单位：{options['unit']}（应填单位代码或全称）", returncode=2
            )
        if not unit.is_organ:
            raise CommandError(
                f"“{unit.name}”不是信息公开主体（行政机关），没有年度报告", returncode=2
            )
        text = str(options["year"]).strip()
        this_year = timezone.localdate().year
        if not text.isdigit() or not actions.FIRST_YEAR <= int(text) <= this_year:
            raise CommandError(
                f"年度“{options['year']}”无效，应为 {actions.FIRST_YEAR} 至 {this_year} 之间的年份",
                returncode=2,
            )
        year = int(text)
        try:
            doc, version = documents.document_for(unit, year)
        except documents.NoTables as exc:
            raise CommandError("；".join(exc.messages), returncode=2) from exc
        if version is not None:
            title = version.title
        else:
            report = documents.find_report(unit, year)
            title = report.title if report else documents.default_title(unit, year)
        body = exports.render(doc, title, options["format"], version)
        output = options.get("output")
        if not output:
            if options["format"] != "docx":
                self.stdout.write(body.decode(), ending="")
                return
            sys.stdout.flush()
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
            return
        self._write(Path(output), body)
        source = f"第 {version.number} 版（已定稿）" if version else "按现有记录实时统计"
        self.stderr.write(f"已写入 {output}（{source}）")

    @staticmethod
    def _write(path: Path, body: bytes) -> None:
        """Write to a temporary file beside `path`, then rename: never half a file."""
        directory = path.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"目录不存在：{directory}", returncode=2)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            # mkstemp makes the file private; give it the mode any new file would get.
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise CommandError(f"无法写入 {path}：{exc.strerror or exc}", returncode=2) from exc
