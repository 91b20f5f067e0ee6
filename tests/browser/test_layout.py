"""The public and staff frames: landmarks, one h1, a lang attribute, nothing wider than a 360px
phone. With SCREENSHOTS=1 the pages are saved to docs/screenshots/ at phone and desktop width."""

import pytest
from django.urls import reverse

from gongkai.audit.log import record
from tests.browser.helpers import DESKTOP, NARROW, PHONE, horizontal_overflow, save_screenshot

pytestmark = pytest.mark.browser

PUBLIC = [("home", "/")]
STAFF = [("workbench", reverse("core:workbench")), ("audit", reverse("audit:list"))]


def check_frame(page, *, staff):
    assert page.locator("html").get_attribute("lang") in {"zh-CN", "en"}
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1
    assert page.locator("header").first.is_visible()
    assert page.locator("footer").first.is_visible()
    if staff and "/login" not in page.url:
        assert page.get_by_role("navigation").count() >= 1


@pytest.mark.parametrize("viewport", [NARROW, PHONE, DESKTOP], ids=["360", "390", "1280"])
def test_public_pages_fit_the_window_and_have_landmarks(browser_page, cast, page_url, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    for name, path in PUBLIC:
        page.goto(page_url(path))
        check_frame(page, staff=False)
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at {viewport['width']}px"
        if viewport is not NARROW:  # the docs show phone and desktop
            save_screenshot(page, f"{name}-{viewport['width']}")
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", [NARROW, PHONE, DESKTOP], ids=["360", "390", "1280"])
def test_staff_pages_fit_the_window_and_have_landmarks(
    browser_page, cast, page_url, sign_in, viewport
):
    record(
        actor=cast.admin,
        action="accounts.unit_update",
        obj=cast.station,
        unit=cast.station,
        before={"short_name": "农业站", "phone": "0631-6611111", "sort_order": 3},
        after={"short_name": "农业综合服务站", "phone": "0631-6612222", "sort_order": 3},
        ip="10.20.30.40",
        note="按镇党委会议纪要调整简称",
    )
    page = browser_page
    page.set_viewport_size(viewport)
    page.goto(page_url(reverse("accounts:login")))
    check_frame(page, staff=True)
    assert horizontal_overflow(page) == 0
    if viewport is not NARROW:
        save_screenshot(page, f"login-{viewport['width']}")
    sign_in(page, "head")
    for name, path in STAFF:
        page.goto(page_url(path))
        check_frame(page, staff=True)
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at {viewport['width']}px"
        if viewport is not NARROW:  # the docs show phone and desktop
            save_screenshot(page, f"{name}-{viewport['width']}")
    assert page.js_errors == []
