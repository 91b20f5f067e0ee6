"""`gongkai audit verify|export|purge`: the audit log's hash chain and its retention
(INTERFACES.md; docs/operations.md).

    gongkai audit verify                      exit 0 when intact, 1 naming the first broken row
    gongkai audit export FILE [--before DATE] rows (written before DATE) as JSON Lines
    gongkai audit purge --before DATE --export FILE
                                              export, then delete, rows older than DATE; DATE
                                              must lie outside AUDIT_RETENTION_MONTHS
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.audit import chain
from gongkai.audit.models import AuditEntry


def _date(value: str) -> datetime.datetime:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期应写成 YYYY-MM-DD，而不是 {value!r}", returncode=2) from exc
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = "Verifies, exports or purges the hash-chained audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("verify", help="check the hash chain; exit 1 naming the first broken row")
        export = sub.add_parser("export", help="write rows as JSON Lines (chain columns included)")
        export.add_argument("file")
        export.add_argument("--before", help="only rows written before this day (YYYY-MM-DD)")
        purge = sub.add_parser("purge", help="export, then delete, rows past the retention period")
        purge.add_argument("--before", required=True, help="delete rows written before this day")
        purge.add_argument("--export", required=True, help="the file the rows are saved to first")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        getattr(self, f"_{what}")(**options)

    def _verify(self, **options: Any) -> None:
        report = chain.verify()
        if report.broken is not None:
            self.stderr.write(f"审计日志哈希链断裂，第一处：{report.broken}")
            raise SystemExit(1)
        if report.checked:
            self.stdout.write(
                f"审计日志哈希链完整：{report.checked} 条记录"
                f"（序号 {report.first_seq}–{report.last_seq}）"
            )
        else:
            self.stdout.write("审计日志哈希链完整：没有记录")

    def _export(self, *, file: str, before: str | None = None, **options: Any) -> None:
        rows = AuditEntry.objects.exclude(seq=None).order_by("seq")
        if before:
            rows = rows.filter(at__lt=_date(before))
        path = Path(file)
        try:
            with path.open("x", encoding="utf-8") as handle:
                count = 0
                for line in chain.export_lines(rows.iterator(chunk_size=2000)):
                    handle.write(line)
                    count += 1
        except FileExistsError as exc:
            raise CommandError(f"文件已存在：{path}", returncode=2) from exc
        self.stdout.write(f"已导出 {count} 条审计记录到 {path}")

    def _purge(self, *, before: str, export: str, **options: Any) -> None:
        try:
            result = chain.purge(before=_date(before), export_to=Path(export))
        except chain.RetentionError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except FileExistsError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not result.rows:
            self.stdout.write("没有可清理的记录")
            return
        self.stdout.write(
            f"已导出并清理 {result.rows} 条审计记录（至序号 {result.last_seq}）到 {result.export}，"
            f"SHA-256 {result.sha256}"
        )
