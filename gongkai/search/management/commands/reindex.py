"""`gongkai reindex`: rebuild the search index from the database, with a progress bar on stderr
(plain lines when stderr is not a terminal). `--missing` only catches up (what the job does)."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from gongkai.search import api


class Progress:
    def __init__(self, stream, *, width: int = 30) -> None:
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.width = width
        self.last_line = -1.0
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if self.tty:
            filled = int(self.width * share)
            bar = "█" * filled + "·" * (self.width - filled)
            self.stream.write(f"\r索引 [{bar}] {done}/{total} {share:6.1%}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
            return
        # Not a terminal (a log file, systemd): one line per 10 % at most.
        now_step = int(share * 10)
        if now_step > self.last_line or done == total:
            self.last_line = now_step
            self.stream.write(f"索引 {done}/{total} ({share:.0%})\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "重建全文检索索引（--missing 只补齐缺失和过期的条目）"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="只索引缺失或版本已变化的信息，移除不再公开的"
        )

    def handle(self, *args, **options) -> None:
        progress = Progress(sys.stderr)
        started = time.monotonic()
        if options["missing"]:
            result = api.reconcile(progress)
            self.stdout.write(
                f"已索引 {result.indexed} 条，移除 {result.removed} 条，"
                f"清理残留 {result.orphans} 条，用时 {time.monotonic() - started:.1f} 秒"
            )
            return
        count = api.reindex(progress)
        if count == 0:
            sys.stderr.write("没有已公开的信息需要索引。\n")
        self.stdout.write(f"索引已重建：{count} 条信息，用时 {time.monotonic() - started:.1f} 秒")
