"""Fixtures for end-to-end tests in Debian's chromium, driven by Playwright for Python's sync API.
tests/conftest.py imports them, so any test directory can use them.

`browser_page` is a fresh page (own cookies and storage) against pytest-django's `live_server`;
`page_url(path)` builds addresses on that server; `sign_in(page, username)` signs in through the
real login page. tests/browser/helpers.py has `save_screenshot` (only with SCREENSHOTS=1) and
`horizontal_overflow`. Mark every test that uses them @pytest.mark.browser. Without chromium (or
Playwright) the tests are skipped with the reason; scripts/run_tests.py fails CI on that skip.

Playwright's sync API runs an asyncio event loop in this thread, which makes Django refuse
database calls from it ("SynchronousOnlyOperation"); DJANGO_ALLOW_ASYNC_UNSAFE lifts that from the
first browser test on (pytest-django runs those after the other database tests) and is restored
at the end of the session.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.helpers import DESKTOP
from tests.factories import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def _browser(live_server, django_db_serialized_rollback) -> Iterator[Any]:
    # One Playwright per test, started after the database is set up and stopped before it is
    # flushed: a session-long Playwright keeps an asyncio loop running in this thread, under
    # which the flush and the serialized-rollback reload of reference data misbehave, and a
    # second sync_playwright() (another module's fixture) refuses to start.
    path = chromium_path()
    if not os.path.exists(path):
        pytest.skip(
            f"chromium not found at {path} (set CHROMIUM_PATH, or apt-get install chromium "
            "fonts-noto-cjk): browser tests skipped"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """Override in a test module to change the viewport, locale or colour scheme."""
    return {"viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def browser_page(_browser, live_server, browser_context_options) -> Iterator[Any]:
    # live_server needs a transactional database, which is emptied after each test. Serialized
    # rollback puts the migrations' reference data (categories, holidays, content types) back
    # for the next test, and keeps a flush from renumbering content types under it.
    context = _browser.new_context(**browser_context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # tests may assert the page ran without script errors
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page_url(live_server) -> Callable[[str], str]:
    return lambda path: live_server.url + path


@pytest.fixture
def sign_in(page_url) -> Callable[..., None]:
    """Sign in through the login page, as a person would, and wait for the page after it."""

    def do(page: Any, username: str, password: str = PASSWORD, next_path: str = "") -> None:
        from django.urls import reverse

        url = page_url(reverse("accounts:login"))
        page.goto(url + (f"?next={next_path}" if next_path else ""))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_url(lambda u: "/login/" not in u or "/two-step/" in u)
        if "/two-step/" in page.url:
            complete_two_step(page, username)
            page.wait_for_url(lambda u: "/login" not in u)

    return do


def complete_two_step(page: Any, username: str) -> None:
    """Give the second sign-in step (TWO_FACTOR_REQUIRED on, or an enrolled account): bind an
    authenticator with the secret the page shows, or enter the enrolled secret's current code,
    then continue past the recovery codes."""
    from gongkai.accounts import two_factor
    from gongkai.accounts.models import TwoFactorDevice

    shown = page.locator("[data-testid=secret]")
    if shown.count():
        secret = shown.inner_text().replace(" ", "")
        step = two_factor.current_step()
    else:
        device = TwoFactorDevice.objects.get(user__username=username)
        secret = device.secret
        # A code is good once: after a sign-in within the same 30 s, use the next step's.
        step = max(two_factor.current_step(), device.last_step + 1)
    page.fill("input[name=code]", two_factor.code_at(secret, step))
    page.locator("form:has(input[name=code]) [type=submit]").click()
    page.wait_for_url(lambda u: "/two-step/" not in u or "/codes/" in u)
    if "/two-step/codes/" in page.url:
        page.get_by_role("link", name="我已保存，继续").click()
