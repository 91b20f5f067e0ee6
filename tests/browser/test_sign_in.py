"""Each role of the demo cast signs in through the real login page and lands on its workbench."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

ROLES = [
    ("drafter", "诸往镇", "信息员"),
    ("secrecy", "诸往镇", "保密审查员"),
    ("reviewer", "诸往镇", "公开办审核"),
    ("leader", "诸往镇", "签发领导"),
    ("head", "诸往镇", "公开办负责人"),
    ("admin", "乳山市", "管理员"),
    ("station", "农业站", "信息员"),
]


@pytest.mark.parametrize(("username", "unit", "role"), ROLES)
def test_each_role_signs_in_and_sees_the_workbench_with_its_role(
    browser_page, cast, sign_in, username, unit, role
):
    page = browser_page
    sign_in(page, username)
    assert page.url.endswith(reverse("core:workbench"))
    assert page.locator("h1").inner_text().strip() == "工作台"
    main = page.locator("main").inner_text()
    assert unit in main and role in main
    assert page.js_errors == []


def test_a_wrong_password_keeps_the_clerk_on_the_login_page_with_a_message(
    browser_page, cast, page_url
):
    page = browser_page
    page.goto(page_url(reverse("accounts:login")))
    page.fill("input[name=username]", "drafter")
    page.fill("input[name=password]", "not-the-password")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    assert "/login" in page.url
    assert page.get_by_role("alert").count() >= 1


def test_the_audit_menu_entry_leads_the_office_head_to_the_log(browser_page, cast, sign_in):
    page = browser_page
    sign_in(page, "head")
    page.get_by_role("navigation").get_by_role("link", name="审计日志").click()
    page.wait_for_url("**" + reverse("audit:list"))
    assert page.locator("h1").inner_text().strip() == "审计日志"
    # The head's own sign-in is in the log of 诸往镇.
    assert page.locator(".audit-entry").count() >= 1
