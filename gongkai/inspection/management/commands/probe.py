"""`gongkai probe URL --server S --unit CODE`: visit a site from this host and report each visit
to the server that runs the inspection (availability cannot be judged by a site about itself).
Run it on another host from cron, or with --every to keep visiting (at least 20 visits a day)."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.inspection.probe import visit


class Command(BaseCommand):
    help = (
        "Visits URL and reports to SERVER whether it opened within 15 s "
        "(token: --token or GONGKAI_PROBE_TOKEN)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url")
        parser.add_argument("--server", required=True, help="the inspecting server, https://…")
        parser.add_argument("--unit", required=True, help="the unit's code (or full name)")
        parser.add_argument("--token", default="", help="API token; default GONGKAI_PROBE_TOKEN")
        parser.add_argument("--count", type=int, default=1, help="visits to make (0: for ever)")
        parser.add_argument("--every", type=int, default=1800, help="seconds between visits")

    def handle(self, *args: Any, **options: Any) -> None:
        token = options["token"] or os.environ.get("GONGKAI_PROBE_TOKEN", "")
        if not token:
            raise CommandError("需要令牌：--token 或环境变量 GONGKAI_PROBE_TOKEN", returncode=2)
        url = options["url"]
        if not url.startswith(("http://", "https://")):
            raise CommandError("URL 应以 http:// 或 https:// 开头", returncode=2)
        endpoint = options["server"].rstrip("/") + "/api/v1/inspection/probes"
        count, done = options["count"], 0
        while True:
            visited_at = timezone.now()
            result = visit(url)
            payload = {
                "unit": options["unit"],
                "url": url,
                "ok": result.ok,
                "seconds": round(result.seconds, 3),
                "status_code": result.status_code,
                "error": result.error,
                "visited_at": visited_at.isoformat(),
                "reporter": os.uname().nodename[:100],
            }
            self._report(endpoint, token, payload)
            state = "正常" if result.ok else f"打不开（{result.error or result.status_code}）"
            self.stdout.write(f"{visited_at:%Y-%m-%d %H:%M:%S} {url} {state} {result.seconds:.2f}s")
            done += 1
            if count and done >= count:
                return
            time.sleep(max(1, options["every"]))

    def _report(self, endpoint: str, token: str, payload: dict[str, Any]) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise CommandError("--server 应以 http:// 或 https:// 开头", returncode=2)
        request = urllib.request.Request(  # noqa: S310
            endpoint,
            data=json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise CommandError(
                f"服务器拒绝了报告（HTTP {exc.code}）：{detail}", returncode=1
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise CommandError(f"无法连接服务器：{exc}", returncode=1) from exc
