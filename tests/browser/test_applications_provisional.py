"""An applicant's status page in a real chromium across the import of a holiday notice (issue
11): before it, a dated reply deadline marked 暂定 with the reason; after it, the new date, a
neutral line saying it moved, and no administrator wording at any time."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.applications import actions, casework
from gongkai.workdays import actions as workday_actions
from tests.applications.conftest import applicant
from tests.browser.test_applications_flow import seed_calendar
from tests.workdays.conftest import notice_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_WORDS = ("缺少", "请导入", "节假日数据", "未知", "无法计算", "＿＿")


@pytest.fixture(autouse=True)
def _setup(browser_page, settings, tmp_path, transactional_db):
    seed_calendar()  # 2004–2026: 2027 has no notice yet
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLED = False
    # Monday 18 January 2027, 10:00 in Beijing.
    start = datetime.datetime(2027, 1, 18, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=True):
        yield


def _look_up(page, page_url, number: str, code: str) -> None:
    page.goto(page_url(reverse("applications_public:status")))
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/chaxun/**/")


def _no_admin_words(text: str) -> None:
    for word in ADMIN_WORDS:
        assert word not in text, word


def test_the_status_page_reads_right_before_and_after_the_notice(browser_page, cast, page_url):
    page = browser_page
    fields = applicant(description="2026年诸往镇农村危房改造补助对象名单")
    receipt = actions.application_submit_online(organ=cast.zhuwang, **fields)
    casework.confirm_receipt(actor=cast.drafter, application=receipt.application)
    number, code = receipt.application.number, receipt.query_code

    _look_up(page, page_url, number, code)
    due = page.get_by_test_id("due-date").inner_text()
    assert due.startswith("2027年2月19日（暂定：2027 年的节假日安排尚未公布")
    body = page.locator("main").inner_text()
    assert "已确认收到申请，答复期限 2027年2月19日（暂定）" in body
    _no_admin_words(body)

    workday_actions.calendar_import_notice(
        actor=cast.admin, text=notice_text("notice_2027_invented.txt"), year=2027
    )

    page.reload()
    assert page.get_by_test_id("due-date").inner_text() == "2027年2月22日"
    body = page.locator("main").inner_text()
    assert "答复期限由 2027年2月19日（当时暂定） 调整为 2027年2月22日" in body
    assert "已确认收到申请，答复期限 2027年2月19日（当时暂定）" in body
    assert page.get_by_test_id("letter-moved").inner_text().startswith("本文书所载答复期限")
    _no_admin_words(body)
    assert page.js_errors == []
