"""`gongkai inspect_sites [--date D] [--crawl]`: run the daily self-inspection now."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Runs the self-inspection of every site for today (or --date), optionally crawling first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="YYYY-MM-DD (default today)")
        parser.add_argument("--crawl", action="store_true", help="check the links first")

    def handle(self, *args: Any, **options: Any) -> None:
        from gongkai.inspection import actions, jobs

        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD", returncode=2) from None
        if options["crawl"]:
            self.stdout.write(f"链接检查：{jobs.crawl_sites()} 个链接")
        self.stdout.write(f"检查结果：{actions.inspection_run(day=day)} 条")
