"""Helpers for the browser tests."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}


def save_screenshot(page: Any, name: str, *, full_page: bool = True) -> Path | None:
    """With SCREENSHOTS=1, save the page to docs/screenshots/<name>.png (for the docs and for
    looking at layouts); otherwise do nothing. Returns the path written, if any."""
    if os.environ.get("SCREENSHOTS", "") not in {"1", "true", "yes"}:
        return None
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def wait_until(page: Any, expression: str, *, timeout: float = 15.0) -> None:
    """Wait until `expression` (JavaScript, an expression or an arrow function) is true.

    Not page.wait_for_function: its polling evaluates strings inside the page, which the site's
    Content-Security-Policy (no 'unsafe-eval') rightly refuses; page.evaluate is not subject to it.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(expression):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression}")
        page.wait_for_timeout(100)
