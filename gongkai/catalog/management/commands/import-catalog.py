"""`gongkai import-catalog FILE [--skip-bad] [--dry-run] [--map OLD=CODE ...] [--map-file FILE]
[--create-columns]` (INTERFACES.md): already-public items from a legacy site. Exit 0 done, 2 bad
input (each bad row named by line and reason); nothing is half-written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.catalog import importer, names
from gongkai.lib.tabular import TabularError

COLUMN_LABELS = {
    "unit": "发布机构",
    "title": "名称",
    "index_number": "索引号",
    "summary": "内容概述",
    "formed_date": "成文日期",
    "published_date": "发布日期",
    "document_number": "发文字号",
    "category": "目录分类",
    "topic": "主题分类",
    "genre": "体裁分类",
    "validity": "有效性",
    "body": "正文",
}


class Command(BaseCommand):
    help = (
        "导入旧网站上已经公开的信息（CSV、XLSX 或 JSON Lines）。"
        "默认全部成功才写入；--skip-bad 跳过错误行；--dry-run 只报告不写入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV（UTF-8 或 GB18030）、XLSX 或 JSON Lines 文件")
        parser.add_argument(
            "--skip-bad", action="store_true", help="导入正确的行，跳过并报告有错误的行"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只报告将导入、映射和新建的内容，不写入"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="旧名=代码",
            help="把旧网站的分类名映射到本系统的分类代码（或名称），也可把表头映射到列，可重复",
        )
        parser.add_argument(
            "--map-file", metavar="FILE", help="映射文件：每行一条“旧名=代码”，# 开头为注释"
        )
        parser.add_argument(
            "--create-columns",
            action="store_true",
            help="找不到的目录分类新建为发布机构自己的栏目",
        )

    def _mapping(self, options) -> dict[str, str]:
        mapping: dict[str, str] = {}
        if options["map_file"]:
            path = Path(options["map_file"])
            try:
                mapping.update(importer.read_mapping(path.read_bytes()))
            except OSError as exc:
                raise CommandError(
                    f"无法读取映射文件 {path}：{exc.strerror or exc}", returncode=2
                ) from exc
            except TabularError as exc:
                raise CommandError(f"{path}：{exc}", returncode=2) from exc
        for entry in options["map"]:
            old, sep, new = entry.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise CommandError(f"--map “{entry}” 应写作 旧名=代码", returncode=2)
            mapping[" ".join(old.split())] = new.strip()
        return mapping

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        mapping = self._mapping(options)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}", returncode=2) from exc
        dry_run = options["dry_run"]
        try:
            result = importer.import_file(
                data,
                skip_bad=options["skip_bad"],
                source=path.name,
                mapping=mapping,
                create_columns=options["create_columns"],
                dry_run=dry_run,
            )
        except TabularError as exc:
            hint = "（表头可用 --map 表头=列名 指定，如 --map 信息标题=title）"
            hint = hint if exc.line == 1 else ""
            raise CommandError(f"{path}：{exc}{hint}", returncode=2) from exc
        except importer.ImportFailed as failed:
            self._report(failed.result, path)
            for error in failed.result.rejected:
                self.stderr.write(f"{path}：{error}")
            raise CommandError(
                f"{len(failed.result.rejected)} 行有错误，未导入任何数据（改正后重新导入，"
                "或加 --skip-bad 只导入正确的行）",
                returncode=2,
            ) from failed
        self._report(result, path)
        for error in result.rejected:
            self.stderr.write(f"{path}：{error}（已跳过）")
        if dry_run:
            for line, number, title, published in result.rows:
                self.stdout.write(f"第 {line} 行将导入：{number} {title}（发布日期 {published}）")
            self.stdout.write(
                f"试运行：将导入 {len(result.imported)} 条，拒绝 {len(result.rejected)} 条；"
                "未写入任何数据。"
            )
            return
        self.stdout.write(f"已导入 {len(result.imported)} 条，拒绝 {len(result.rejected)} 条。")

    def _report(self, result: importer.ImportResult, path: Path) -> None:
        verb = "将" if result.dry_run else "已"
        for cell, column in result.headers:
            self.stdout.write(f"表头：“{cell}” → {COLUMN_LABELS.get(column, column)}（{column}）")
        for (kind, value), match in result.mapped.items():
            self.stdout.write(f"映射：{names.LABELS[kind]}“{value}” → {match.describe()}")
        for organ, column in result.created:
            self.stdout.write(f"新建栏目：{organ} / {column}（{verb}新建）")
