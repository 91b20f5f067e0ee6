"""`gongkai staticpub [status]`: the publishing directory and the queue of pages to rewrite;
`gongkai staticpub build`: write every public page and 410 marker once (after turning the
option on, a restore from backup, or a change no hook reports); `gongkai staticpub drain`: rewrite
the queued pages now (what the worker's job does)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from gongkai.staticpub import publisher


class Command(BaseCommand):
    help = "静态发布：状态（status）、全量生成（build）、处理待发布队列（drain）"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action", nargs="?", default="status", choices=["status", "build", "drain"]
        )

    def handle(self, *args, action: str = "status", **options) -> None:
        if not publisher.enabled():
            if action != "status":
                raise CommandError("STATIC_PUBLISH_DIR is not set: static publishing is off.")
            self.stdout.write("静态发布未启用（STATIC_PUBLISH_DIR 为空）。")
            return
        started = time.monotonic()
        if action == "build":

            def progress(n: int, path: str) -> None:
                if n % 1000 == 0:
                    self.stderr.write(f"{n} … {path}")

            counts = publisher.build(progress)
            self.stdout.write(
                f"pages {counts['pages']}, gone {counts['gone']}, not published {counts['other']},"
                f" failed {counts['failed']} in {time.monotonic() - started:.1f} s"
            )
            return
        if action == "drain":
            done = publisher.drain()
            self.stdout.write(f"{done} pages in {time.monotonic() - started:.1f} s")
            return
        state = publisher.status()
        oldest = state["oldest_seconds"]
        self.stdout.write(f"dir: {state['dir']}")
        self.stdout.write(
            f"queued: {state['queued']}"
            + (f" (oldest {oldest:.0f} s)" if oldest is not None else "")
        )
