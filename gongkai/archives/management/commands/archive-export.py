"""`gongkai archive-export --unit U --year Y OUT [--fonds F]`: the archival package of an organ's
year (items, concluded applications, the annual report), recorded as a transfer and written to OUT
(a file, or a directory to put it in). Exit 0 done, 2 bad input; nothing is half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.archives import actions
from gongkai.reports import queries


class Command(BaseCommand):
    help = "生成某机关某年度的档案移交包（DA/T 46 元数据、DA/T 48 封装、DA/T 80 网页）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="写入的 ZIP 文件，或存放它的目录")
        parser.add_argument("--unit", required=True, help="机关的单位代码或全称")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2025")
        parser.add_argument("--fonds", default="", help="全宗号（由档案馆确定）")

    def handle(self, *args, **options) -> None:
        unit = queries.find_organ(options["unit"])
        if unit is None or not unit.is_organ:
            raise CommandError(
                f"没有这个信息公开主体：{options['unit']}（应填机关的单位代码或全称）", returncode=2
            )
        out = Path(options["out"])
        if not out.is_dir() and not out.parent.is_dir():
            raise CommandError(f"目录不存在：{out.parent}", returncode=2)
        try:
            transfer = actions.archive_transfer(
                actor=None, unit=unit, year=options["year"], fonds=options["fonds"]
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages), returncode=2) from exc
        target = out / transfer.filename if out.is_dir() else out
        data = actions.package_bytes(transfer)
        # Written whole or not at all.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        self.stdout.write(f"已生成移交包：{target}")
        self.stdout.write(
            f"{unit.name} {transfer.year} 年度：信息 {transfer.items} 件，"
            f"办结申请 {transfer.applications} 件，"
            f"年度报告 {'1' if transfer.has_report else '0'} 件，"
            f"文件 {transfer.files} 个"
        )
        self.stdout.write(f"SHA-256：{transfer.sha256}")
