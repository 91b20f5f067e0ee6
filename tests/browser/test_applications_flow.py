"""依申请公开 in a real chromium: a citizen applies on a phone (solving the real CAPTCHA), keeps
the receipt, and looks the application up with its number and query code; staff work the case
and the leader signs the reply on a phone. With SCREENSHOTS=1 the pages are saved to
docs/screenshots/ as applications-form, applications-case and applications-letter (desktop,
1280px) and the same names with -390 (a 390px phone), plus applications-status and
applications-sign-390."""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import actions, casework
from gongkai.applications.models import Application, Letter, State
from gongkai.lib.captcha import solve_question
from tests.applications.conftest import applicant
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot
from tests.lib.files import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = make_pdf(["身份证明"])


def seed_calendar() -> None:
    """The holidays of workdays migration 0002. A live-server test's flush removes them, and
    serialized_rollback cannot be relied on here: Playwright's event loop in this thread gives
    Django another connection object, one without the serialized copy of the database."""
    from django.apps import apps

    from gongkai.workdays.models import CalendarYear

    if not CalendarYear.objects.exists():
        importlib.import_module("gongkai.workdays.migrations.0002_seed_holidays_2004_2026").seed(
            apps, None
        )


@pytest.fixture(autouse=True)
def _setup(browser_page, settings, tmp_path, transactional_db):
    # browser_page first: the test database is then set up (and serialized for the other
    # modules' serialized_rollback) on the connection Playwright's event loop sees.
    seed_calendar()
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLED = False
    # Tuesday 10 March 2026, 10:00 in Beijing, the clock running: the dates on the pages (and
    # in the screenshots) stay the same whenever the test runs.
    start = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=True):
        yield


def _fill_form(page) -> None:
    page.select_option("select[name=applicant_type]", "natural_person")
    page.fill("input[name=applicant_name]", "王秀英")
    page.fill("input[name=id_doc_number]", "11010519491231002X")
    page.fill("input[name=phone]", "13905451234")
    page.fill("input[name=email]", "wangxy@example.com")
    page.fill("input[name=address]", "山东省乳山市诸往镇西村12号")
    page.fill(
        "textarea[name=description]",
        "2025年度诸往镇西村农村危房改造补助对象名单及补助金额",
    )
    page.check("input[name=provide_form][value=electronic]")
    page.check("input[name=delivery][value=email]")
    question = page.locator(".captcha-question").inner_text()
    page.fill("input[name=captcha_answer]", str(solve_question(question)))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_citizen_applies_keeps_the_receipt_and_follows_the_case(
    browser_page, cast, page_url, viewport
):
    suffix = "-390" if viewport is PHONE else ""
    page = browser_page
    page.set_viewport_size(viewport)
    page.goto(page_url(reverse("applications_public:apply", args=[cast.zhuwang.code])))
    assert page.locator("h1").inner_text() == "政府信息公开申请表"
    # An organisation is asked for its credit code, a person for an identity document.
    page.select_option("select[name=applicant_type]", "commercial")
    assert page.locator("input[name=credit_code]").is_visible()
    assert not page.locator("input[name=id_doc_number]").is_visible()
    _fill_form(page)
    assert horizontal_overflow(page) == 0
    save_screenshot(page, f"applications-form{suffix}")

    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/huizhi/**")
    number = page.get_by_test_id("application-number").inner_text().strip()
    code = page.get_by_test_id("query-code").inner_text().strip()
    assert len(code) == 14 and code.count("-") == 2
    assert page.get_by_role("button", name="打印回执").is_visible()
    assert horizontal_overflow(page) == 0
    app = Application.objects.get(number=number)
    assert app.applicant_name == "王秀英" and app.state == State.PENDING_CONFIRMATION

    # A wrong code is refused with the same words as a wrong number.
    page.goto(page_url(reverse("applications_public:status")))
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", "AAAA-BBBB-CCCC")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_role("alert").inner_text().count("申请编号或查询码不正确") == 1

    # The office confirms receipt: the status page shows the date and the 登记回执.
    casework.confirm_receipt(actor=cast.drafter, application=app)
    page.fill("input[name=number]", number.lower())
    page.fill("input[name=code]", code.lower().replace("-", ""))
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/chaxun/**/")
    assert page.get_by_test_id("state").inner_text() == "已受理，正在办理"
    app.refresh_from_db()
    due = app.due_date
    assert page.get_by_test_id("due-date").inner_text() == f"{due.year}年{due.month}月{due.day}日"
    assert horizontal_overflow(page) == 0
    save_screenshot(page, f"applications-status{suffix}")
    page.get_by_role("link", name="查看").first.click()
    assert page.locator("h1").inner_text() == "政府信息公开申请登记回执"
    assert number in page.locator("article").inner_text()
    assert horizontal_overflow(page) == 0
    assert page.js_errors == []


def _case_awaiting_signature(cast) -> Application:
    today = timezone.localdate()
    receipt = casework.register(
        actor=cast.drafter,
        organ=cast.zhuwang,
        channel="in_person",
        received_date=today - datetime.timedelta(days=1),
        **applicant(description="2025年度诸往镇西村农村危房改造补助对象名单"),
    )
    app = receipt.application
    actions.application_assign(actor=cast.drafter, application=app, department=cast.office)
    consultation = casework.consult(
        actor=cast.drafter,
        application=app,
        party="third_party",
        party_name="诸往镇西村村民委员会",
        sent_date=today,
    )
    actions.application_consultation_reply(
        actor=cast.drafter, consultation=consultation, reply_date=today, opinion="partial"
    )
    extension = actions.application_extend(
        actor=cast.drafter, application=app, days=10, reason="需要逐户核对名单并作区分处理"
    )
    casework.decide_extension(actor=cast.office_head, extension=extension, approve=True)
    actions.application_draft_reply(
        actor=cast.drafter,
        application=app,
        decision="3.2",
        legal_basis="《中华人民共和国政府信息公开条例》第十五条、第三十七条",
        reasons="名单中的身份证号码属于个人隐私，已删除后提供。",
        files=[(SimpleUploadedFile("补助对象名单（区分处理）.pdf", PDF), True)],
    )
    return app


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_staff_see_the_case_and_the_leader_signs_on_a_phone(
    browser_page, cast, page_url, sign_in, viewport
):
    from gongkai.applications.actions.intake import organ_settings

    suffix = "-390" if viewport is PHONE else ""
    row = organ_settings(cast.zhuwang)
    row.reconsideration_body, row.court = "乳山市人民政府", "乳山市人民法院"
    row.save()
    app = _case_awaiting_signature(cast)
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, "drafter")
    page.goto(page_url(reverse("applications:detail", args=[app.pk])))
    assert page.get_by_test_id("state").inner_text() == "待签发"
    assert page.get_by_test_id("due-date").is_visible(), page.locator(".ap-clock").inner_text()
    assert horizontal_overflow(page) == 0
    save_screenshot(page, f"applications-case{suffix}")

    page.context.clear_cookies()
    sign_in(page, "leader", next_path=reverse("applications:sign", args=[app.pk]))
    assert "政府信息部分公开告知书" in page.locator("article").inner_text()
    assert horizontal_overflow(page) == 0
    if viewport is PHONE:
        save_screenshot(page, "applications-sign-390")
    page.get_by_role("button", name="同意，签发").click()
    page.wait_for_url("**/staff/applications/")
    app.refresh_from_db()
    assert app.state == State.SIGNED
    letter = app.letters.get(kind=Letter.Kind.PARTIAL)
    page.goto(page_url(reverse("applications:letter", args=[app.pk, letter.pk])))
    article = page.locator("article").inner_text()
    assert "行政复议法》第二十三条" in article and "乳山市人民法院" in article
    assert horizontal_overflow(page) == 0
    save_screenshot(page, f"applications-letter{suffix}")
    assert page.js_errors == []
