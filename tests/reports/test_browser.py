"""The published report in a real chromium, on a 390px phone and a 1280px desktop: the page never
scrolls sideways (the wide tables scroll inside their own frame) and the official row spans hold.
With SCREENSHOTS=1 the pages go to docs/screenshots/report-published.png (desktop),
report-published-390.png (phone) and report-workspace.png (the staff workspace of a draft)."""

from __future__ import annotations

import pytest

from gongkai.reports import actions
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot
from tests.reports.helpers import ready, start

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def published(ledger):
    report = ready(ledger, start(ledger))
    actions.report_update(
        actor=ledger.office_head,
        report=report,
        entered={"license": {"decisions": 36}, "penalty": {"decisions": 4}},
        entered_source="镇便民服务中心审批台账；综合行政执法办公室执法台账",
    )
    actions.report_finalise(actor=ledger.office_head, report=report)
    actions.report_publish(actor=ledger.office_head, report=report)
    return ledger


def test_the_published_report_reads_on_a_phone_and_a_desktop(published, browser_page, page_url):
    page = browser_page
    page.goto(page_url("/nianbao/zhuwang/2025/"))
    assert page.locator("h1").inner_text() == "乳山市诸往镇人民政府2025年政府信息公开工作年度报告"
    tall = page.locator("th", has_text="三、本年度办理结果")
    assert tall.get_attribute("rowspan") == "22"
    assert horizontal_overflow(page) == 0
    save_screenshot(page, "report-published")
    page.set_viewport_size(PHONE)
    page.reload()
    assert horizontal_overflow(page) == 0
    # the wide table scrolls inside its frame instead of the page
    wrap = page.locator(".report-table-wrap").nth(1)
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    save_screenshot(page, "report-published-390")
    assert page.js_errors == []


def test_the_staff_workspace_shows_checks_and_the_table(ledger, browser_page, page_url, sign_in):
    start(ledger)
    page = browser_page
    page.set_viewport_size(DESKTOP)
    sign_in(page, "head", next_path="/staff/reports/zhuwang/2025/")
    assert page.locator("#checks").is_visible()
    assert page.locator("td.flag-warning").count() >= 1
    assert page.locator("button", has_text="定稿").is_disabled()
    save_screenshot(page, "report-workspace")
    assert page.js_errors == []
