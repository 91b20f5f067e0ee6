"""One availability visit: open the home page and time it (the indicator's 15 s limit)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 15


@dataclass
class Visit:
    ok: bool
    seconds: float
    status_code: int | None = None
    error: str = ""


def visit(url: str, timeout: float = TIMEOUT_SECONDS) -> Visit:
    began = time.monotonic()
    if not url.startswith(("http://", "https://")):
        return Visit(False, 0.0, None, "只能监测 http(s) 地址")
    request = urllib.request.Request(url, headers={"User-Agent": "gongkai-probe/1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
            seconds = time.monotonic() - began
            return Visit(ok=seconds < timeout, seconds=seconds, status_code=response.status)
    except urllib.error.HTTPError as exc:
        return Visit(False, time.monotonic() - began, exc.code, f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Visit(False, time.monotonic() - began, None, f"{reason}"[:300])
