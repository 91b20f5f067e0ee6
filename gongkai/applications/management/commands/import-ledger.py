"""`gongkai import-ledger FILE [--skip-bad]` (INTERFACES.md): an application ledger (台账) in CSV
or XLSX. Exit 0 done, 2 bad input (each bad row named by line and reason); nothing is
half-written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.applications import importer
from gongkai.lib.tabular import TabularError


class Command(BaseCommand):
    help = "导入政府信息公开申请台账（CSV 或 XLSX）。默认全部成功才写入；--skip-bad 跳过错误行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV（UTF-8 或 GB18030）或 XLSX 文件")
        parser.add_argument(
            "--skip-bad", action="store_true", help="导入正确的行，跳过并报告有错误的行"
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}", returncode=2) from exc
        try:
            result = importer.import_file(data, skip_bad=options["skip_bad"], source=path.name)
        except TabularError as exc:
            raise CommandError(f"{path}：{exc}", returncode=2) from exc
        except importer.ImportFailed as failed:
            for error in failed.result.rejected:
                self.stderr.write(f"{path}：{error}")
            raise CommandError(
                f"{len(failed.result.rejected)} 行有错误，未导入任何数据（改正后重新导入，"
                "或加 --skip-bad 只导入正确的行）",
                returncode=2,
            ) from failed
        for error in result.rejected:
            self.stderr.write(f"{path}：{error}（已跳过）")
        for warning in result.warnings:
            self.stderr.write(f"{path}：{warning}（已导入，请核对）")
        self.stdout.write(f"已导入 {len(result.imported)} 条，拒绝 {len(result.rejected)} 条。")
