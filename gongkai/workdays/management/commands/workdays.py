"""`gongkai workdays add DATE N` and `gongkai workdays import-notice FILE --year YYYY`
(INTERFACES.md). Exit codes: 2 bad arguments or bad file, 3 missing calendar data."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.workdays import actions
from gongkai.workdays.calendar import MissingCalendarData, WorkCalendar, count_workdays
from gongkai.workdays.notice import MAX_TEXT_LENGTH, NoticeError

EXIT_BAD_INPUT = 2
EXIT_MISSING_CALENDAR = 3


def read_text_file(path: Path) -> str:
    """A text file in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommandError(
            f"无法读取文件 {path}：{exc.strerror or exc}", returncode=EXIT_BAD_INPUT
        ) from None
    if len(raw) > MAX_TEXT_LENGTH * 4:
        raise CommandError(f"文件 {path} 过大，不像是一份节假日安排通知", returncode=EXIT_BAD_INPUT)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(
        f"文件 {path} 既不是 UTF-8 也不是 GB18030 编码的文本", returncode=EXIT_BAD_INPUT
    )


class Command(BaseCommand):
    help = "工作日历：推算 N 个工作日后的日期，或导入国务院办公厅节假日安排通知。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{add,import-notice}")
        add = sub.add_parser("add", help="打印 DATE 之后第 N 个工作日（DATE 当天不计）")
        add.add_argument("date", metavar="DATE", help="起算日期，YYYY-MM-DD")
        add.add_argument("n", metavar="N", help="工作日数，0 或正整数")
        add.add_argument(
            "--provisional",
            action="store_true",
            help="缺少节假日数据的年份按《全国年节及纪念日放假办法》的法定节假日推算（结果为暂定）",
        )
        notice = sub.add_parser("import-notice", help="从通知原文导入一年的节假日和调休上班日")
        notice.add_argument("file", metavar="FILE", help="通知正文文本文件（UTF-8 或 GB18030）")
        notice.add_argument("--year", required=True, metavar="YYYY", help="通知所安排的年份")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "add":
            self._add(options["date"], options["n"], provisional=options["provisional"])
        else:
            self._import_notice(Path(options["file"]), options["year"])

    def _add(self, date_text: str, n_text: str, *, provisional: bool = False) -> None:
        try:
            start = datetime.date.fromisoformat(date_text.strip())
        except ValueError:
            raise CommandError(
                f"日期 {date_text!r} 无效：应为 YYYY-MM-DD，例如 2025-09-26",
                returncode=EXIT_BAD_INPUT,
            ) from None
        try:
            n = int(n_text.strip())
        except ValueError:
            n = -1
        if n < 0 or n > 10_000:
            raise CommandError(
                f"工作日数 {n_text!r} 无效：应为 0 到 10000 之间的整数", returncode=EXIT_BAD_INPUT
            )
        if provisional:
            dated = count_workdays(start, n)
            self.stdout.write(dated.date.isoformat())
            if dated.provisional:
                assert dated.earliest is not None
                self.stderr.write(
                    f"暂定：{dated.reason}。"
                    f"节假日安排公布后可能提前，最早为 {dated.earliest.isoformat()}。"
                )
            return
        try:
            due = WorkCalendar(strict=True).add_workdays(start, n)
        except MissingCalendarData as exc:
            raise CommandError(
                f"{exc}（如需按法定节假日推算暂定日期，请加 --provisional）",
                returncode=EXIT_MISSING_CALENDAR,
            ) from None
        self.stdout.write(due.isoformat())

    def _import_notice(self, path: Path, year_text: str) -> None:
        try:
            year = int(year_text)
        except ValueError:
            year = 0
        if not 1949 <= year <= 2200:
            raise CommandError(
                f"年份 {year_text!r} 无效：应为四位数年份，例如 2027", returncode=EXIT_BAD_INPUT
            )
        text = read_text_file(path)
        try:
            result = actions.calendar_import_notice(actor=None, text=text, year=year)
        except NoticeError as exc:
            raise CommandError(
                f"{path}：{exc}（未导入任何数据）", returncode=EXIT_BAD_INPUT
            ) from None
        notice = result.notice
        verb = "替换" if result.replaced else "导入"
        self.stdout.write(
            f"已{verb} {year} 年节假日安排：{len(notice.entries)} 个节日，"
            f"{notice.holiday_count} 个放假日，{notice.workday_count} 个调休上班日。"
        )
        for entry in notice.entries:
            first, last = entry.holidays[0], entry.holidays[-1]
            span = (
                first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
            )
            line = f"  {entry.name}：放假 {span}，共 {len(entry.holidays)} 天"
            if entry.workdays:
                line += "；调休上班 " + "、".join(d.isoformat() for d in entry.workdays)
            self.stdout.write(line)
