"""条例第三十五条 in a real chromium, end to end: the office asks the applicant to state the reason
(a notice with the period for the answer, the reply clock still running); with no reason the
office head records it, the drafter answers 3.5.4 and the leader signs the 不予处理 letter; in
the other branch the reason holds and the office head sets a reasonable later deadline, told in
the 延迟答复告知书. With SCREENSHOTS=1 the case page is saved as applications-excessive."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import casework
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.models import Application, State
from tests.applications.conftest import applicant
from tests.browser.helpers import DESKTOP, horizontal_overflow, save_screenshot
from tests.browser.test_applications_flow import _setup  # noqa: F401 - the autouse fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case(cast) -> Application:
    row = organ_settings(cast.zhuwang)
    row.reconsideration_body, row.court = "乳山市人民政府", "乳山市人民法院"
    row.excessive_answer_days = 7
    row.save()
    receipt = casework.register(
        actor=cast.drafter,
        organ=cast.zhuwang,
        channel="in_person",
        received_date=timezone.localdate() - datetime.timedelta(days=1),
        **applicant(description="2020年至2025年诸往镇全部会议纪要、请示和批复"),
    )
    return receipt.application


def _step(page, name: str) -> None:
    page.locator(f"#step-{name} > summary").click()


def _open_letter(page, title: str) -> None:
    item = page.locator(".ap-letters li", has_text=title)
    item.get_by_role("link", name="查看打印").click()
    page.wait_for_url("**/letters/**")


def _ask_for_the_reason(page, page_url, sign_in, app) -> str:
    sign_in(page, "drafter", next_path=reverse("applications:detail", args=[app.pk]))
    due_before = Application.objects.get(pk=app.pk).due_date
    _step(page, "excessive_notice")
    page.locator("#step-excessive_notice button[type=submit]").click()
    page.wait_for_url(f"**/staff/applications/{app.pk}/")
    assert "已要求申请人说明理由" in page.locator(".messages, [role=status]").first.inner_text()
    app.refresh_from_db()
    assert app.excessive_notice_date == timezone.localdate()
    assert app.due_date == due_before  # the reply clock keeps running
    _open_letter(page, "要求说明申请理由通知书")
    notice = page.locator("article").inner_text()
    assert "要求说明申请理由通知书" in page.locator("h1").inner_text()
    assert "第三十五条" in notice and "7个工作日内" in notice
    assert "行政复议" not in notice
    page.context.clear_cookies()
    return notice


def test_no_reason_leads_to_a_not_processed_letter(browser_page, cast, page_url, sign_in):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    app = _case(cast)
    _ask_for_the_reason(page, page_url, sign_in, app)

    # The office head records that no reason came.
    sign_in(page, "head", next_path=reverse("applications:detail", args=[app.pk]))
    _step(page, "excessive")
    page.check("#step-excessive input[name$=outcome][value=no_reason]")
    page.locator("#step-excessive button[type=submit]").click()
    page.wait_for_url(f"**/staff/applications/{app.pk}/")
    app.refresh_from_db()
    assert app.excessive_outcome == "no_reason"
    page.context.clear_cookies()

    # The drafter answers 3.5.4; the form pre-fills 第三十五条.
    sign_in(page, "drafter", next_path=reverse("applications:detail", args=[app.pk]))
    _step(page, "draft")
    page.select_option("#step-draft select[name$=decision]", "3.5.4")
    basis = page.locator("#step-draft textarea[name$=legal_basis]").input_value()
    assert basis == "《中华人民共和国政府信息公开条例》第三十五条"
    page.fill("#step-draft textarea[name$=reasons]", "您在一个月内提出申请52件，经要求未说明理由")
    page.locator("#step-draft button[type=submit]").click()
    page.wait_for_url(f"**/staff/applications/{app.pk}/")
    assert horizontal_overflow(page) == 0
    save_screenshot(page, "applications-excessive")
    page.context.clear_cookies()

    # The leader signs: the 不予处理 letter.
    sign_in(page, "leader", next_path=reverse("applications:sign", args=[app.pk]))
    letter_text = page.locator("article").inner_text()
    assert "根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予处理。" in letter_text
    page.get_by_role("button", name="同意，签发").click()
    page.wait_for_url("**/staff/applications/")
    app.refresh_from_db()
    assert app.state == State.SIGNED and app.decision == "3.5.4"
    letter = app.letters.order_by("-id").first()
    page.goto(page_url(reverse("applications:letter", args=[app.pk, letter.pk])))
    article = page.locator("article").inner_text()
    assert "本机关已要求您说明理由" in article and "不予处理" in article
    assert "申请行政复议" in article and "提起行政诉讼" in article
    assert page.js_errors == []


def test_a_reason_that_holds_gets_a_later_deadline(browser_page, cast, page_url, sign_in):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    app = _case(cast)
    _ask_for_the_reason(page, page_url, sign_in, app)
    later = timezone.localdate() + datetime.timedelta(days=90)

    sign_in(page, "head", next_path=reverse("applications:detail", args=[app.pk]))
    _step(page, "excessive")
    page.check("#step-excessive input[name$=outcome][value=holds]")
    page.fill("#step-excessive textarea[name$=answer]", "为撰写地方志需要")
    page.fill("#step-excessive input[name$=new_due_date]", later.isoformat())
    reason = "申请涉及六年的会议纪要共300余份，需要逐份审查"
    page.fill("#step-excessive textarea[name$=reason]", reason)
    page.locator("#step-excessive button[type=submit]").click()
    page.wait_for_url(f"**/staff/applications/{app.pk}/")
    app.refresh_from_db()
    assert app.due_date == later and app.excessive_outcome == "holds"
    assert page.get_by_test_id("due-date").inner_text().strip().startswith(later.isoformat())
    _open_letter(page, "延迟答复告知书")
    article = page.locator("article").inner_text()
    assert f"将在{later.year}年{later.month}月{later.day}日前作出答复" in article
    assert "第三十五条" in article and "需要逐份审查" in article
    assert page.js_errors == []
