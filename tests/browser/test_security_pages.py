"""In a real browser: the Content-Security-Policy blocks nothing the pages need (scripts,
htmx, the text-size toggles, confirmations), and two-step sign-in binds an authenticator on a
phone, then asks for a code at the next sign-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.accounts.models import TwoFactorDevice
from tests.browser.fixtures import complete_two_step
from tests.browser.helpers import PHONE, horizontal_overflow, save_screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def watch(page):
    page.csp_errors = []
    page.js_errors = []
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


def test_public_and_staff_pages_run_under_the_policy(browser_page, cast, page_url, sign_in):
    page = watch(browser_page)
    page.goto(page_url("/"))
    toggle = page.locator("[data-toggle=large]").first
    if toggle.count():
        toggle.click()
        assert "large-text" in page.evaluate("document.documentElement.className")
        page.reload()  # prefs.js, loaded from a file in <head>, keeps it
        assert "large-text" in page.evaluate("document.documentElement.className")
    sign_in(page, "drafter")
    for name in ("core:workbench", "accounts:profile", "catalog:item_create"):
        page.goto(page_url(reverse(name)))
    assert page.csp_errors == []
    assert page.js_errors == []


def test_a_data_confirm_form_asks_before_it_submits(browser_page, cast, page_url, sign_in):
    from gongkai.accounts import actions

    token, _raw = actions.token_create(actor=None, user=cast.drafter)
    page = watch(browser_page)
    sign_in(page, "drafter")
    page.goto(page_url(reverse("accounts:profile")))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="作废").click()
    page.wait_for_timeout(300)
    assert asked and "确定作废" in asked[0]
    token.refresh_from_db()
    assert token.revoked_at is None  # dismissed: nothing was sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="作废").click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert page.csp_errors == []


def test_leader_binds_an_authenticator_on_a_phone_then_gives_a_code(
    _browser, cast, page_url, sign_in, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    context = _browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = watch(context.new_page())
    page.goto(page_url(reverse("accounts:login")))
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(lambda u: "/two-step/" in u)
    assert page.locator("[data-testid=secret]").is_visible()
    assert page.locator("input[name=code]").get_attribute("inputmode") == "numeric"
    assert horizontal_overflow(page) == 0
    save_screenshot(page, "two-step-enrol-phone")
    complete_two_step(page, "leader")
    page.wait_for_url(lambda u: "/login" not in u)
    assert TwoFactorDevice.objects.filter(user=cast.leader).exists()
    # Next time: password, then a code.
    context.clear_cookies()
    sign_in(page, "leader")
    assert "/login" not in page.url
    assert page.csp_errors == []
    assert page.js_errors == []
    context.close()
