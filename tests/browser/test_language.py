"""The language switch: English is the alternative to Chinese and stays chosen across pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_switching_to_english_translates_the_page_and_persists(browser_page, cast, page_url):
    page = browser_page
    page.goto(page_url("/"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == page_url("/")  # back where the visitor was
    assert page.get_by_role("button", name="Larger text").is_visible()
    assert page.locator(".skip-link").inner_text().strip() == "Skip to content"
    page.goto(page_url(reverse("accounts:login")))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Staff sign-in"
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text().strip() == "工作人员登录"
