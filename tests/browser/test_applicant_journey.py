"""The applicant's whole journey online, in a real chromium on a 390px phone (and again at
1280px for the screenshots): apply, reload the receipt, go back and send the same request again
(warned, nothing stored), read the e-mail, lose the code and recover it, answer a 补正 notice
online with a file, see the clock restart once the office confirms it, download the reply letter
and a released file, and rate the answer. With SCREENSHOTS=1 each new page is saved to
docs/screenshots/ as applicant-*.png (1280px) and applicant-*-390.png."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import actions, casework
from gongkai.applications.models import Application, State
from gongkai.audit.models import AuditEntry
from gongkai.core.models import OutgoingEmail
from gongkai.lib.captcha import solve_question
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot
from tests.browser.test_applications_flow import PDF, _fill_form, seed_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"查询码[：:]?\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")
START = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)  # Tue 10 March, 10:00 Beijing


@pytest.fixture(autouse=True)
def _setup(browser_page, settings, tmp_path, transactional_db):
    seed_calendar()
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLED = False
    with time_machine.travel(START, tick=True):
        yield


def _answer_captcha(page) -> None:
    question = page.locator(".captcha-question").inner_text()
    page.fill("input[name=captcha_answer]", str(solve_question(question)))


def _mail_code(subject_part: str) -> str:
    mail = OutgoingEmail.objects.filter(subject__contains=subject_part).latest("id")
    return CODE.search(mail.body).group(1)


def _check(page, name: str, suffix: str) -> None:
    assert horizontal_overflow(page) == 0, name
    save_screenshot(page, f"{name}{suffix}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_citizen_follows_answers_and_collects_a_request_online(
    browser_page, cast, page_url, viewport
):
    suffix = "-390" if viewport is PHONE else ""
    page = browser_page
    page.set_viewport_size(viewport)
    for user in (cast.drafter, cast.office_head):
        user.email = f"{user.username}@zhuwang.example.gov.cn"
        user.save(update_fields=["email"])

    # 依申请公开 and 领导信箱 are on the first screen of the home page.
    page.goto(page_url(reverse("portal:home")))
    for testid in ("nav-apply", "nav-mailbox"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box is not None and box["y"] + box["height"] <= viewport["height"], testid
    _check(page, "applicant-home-nav", suffix)

    # Apply; the receipt survives a reload.
    apply_url = page_url(reverse("applications_public:apply", args=[cast.zhuwang.code]))
    page.goto(apply_url)
    _fill_form(page)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/huizhi/**")
    number = page.get_by_test_id("application-number").inner_text().strip()
    page.reload()
    assert page.get_by_test_id("application-number").inner_text().strip() == number
    assert page.get_by_test_id("query-code").is_visible()
    _check(page, "applicant-receipt", suffix)

    # Back and send the same request again: warned, nothing stored.
    page.go_back()
    page.wait_for_url(apply_url)
    _fill_form(page)
    page.get_by_role("button", name="提交申请").click()
    page.get_by_test_id("duplicate").wait_for()
    assert number in page.get_by_test_id("duplicate").inner_text()
    assert Application.objects.count() == 1
    _check(page, "applicant-duplicate", suffix)

    # The confirmation e-mail carries the number and the code.
    first_code = _mail_code("已提交")
    app = Application.objects.get(number=number)
    assert app.check_query_code(first_code)

    # The code is lost: recover it by number and e-mail.
    page.goto(page_url(reverse("applications_public:status")))
    page.get_by_role("link", name="找回查询码").click()
    page.fill("input[name=number]", number)
    page.fill("input[name=contact]", "wangxy@example.com")
    _answer_captcha(page)
    _check(page, "applicant-resend-form", suffix)
    page.get_by_role("button", name="发送新的查询码").click()
    page.get_by_test_id("resend-answer").wait_for()
    _check(page, "applicant-resend-sent", suffix)
    code = _mail_code("新查询码")
    assert code != first_code

    # The office confirms receipt and asks for a correction.
    casework.confirm_receipt(actor=cast.drafter, application=app)
    app.refresh_from_db()
    first_due = app.due_date
    casework.request_correction(
        actor=cast.drafter,
        application=app,
        items="请写明需要哪一个村的名单。",
        period_end=timezone.localdate() + datetime.timedelta(days=15),
    )
    app.refresh_from_db()
    assert app.state == State.CORRECTION

    # A week later the applicant answers it online with a file.
    with time_machine.travel(START + datetime.timedelta(days=7), tick=True):
        page.get_by_role("link", name="查询办理进度").last.click()
        page.fill("input[name=number]", number)
        page.fill("input[name=code]", code)
        page.get_by_role("button", name="查询").click()
        page.wait_for_url("**/chaxun/**/")
        page.fill("textarea[name=text]", "诸往镇西村2025年度农村危房改造补助对象名单")
        page.set_input_files(
            "input[name=files]",
            files=[{"name": "补正说明.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        _check(page, "applicant-correction-form", suffix)
        page.get_by_role("button", name="提交补正").click()
        page.get_by_test_id("correction-sent").wait_for()
        _check(page, "applicant-correction-sent", suffix)
        staff_mail = OutgoingEmail.objects.filter(subject__contains="网上提交补正").get()
        assert number in staff_mail.subject

        # The office confirms it: the clock restarts from that day.
        actions.application_receive_correction(
            actor=cast.drafter, application=app, received_date=timezone.localdate()
        )
        page.reload()
        app.refresh_from_db()
        assert app.due_date > first_due
        due = app.due_date
        assert (
            page.get_by_test_id("due-date").inner_text() == f"{due.year}年{due.month}月{due.day}日"
        )
        timeline = page.locator(".ap-timeline").inner_text()
        assert "申请人网上提交补正材料" in timeline and "答复期限重新计算" in timeline

        # The reply goes out with a released file.
        actions.application_assign(actor=cast.drafter, application=app, department=cast.office)
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.1",
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            reasons="",
            files=[(SimpleUploadedFile("补助对象名单.pdf", PDF), False)],
        )
        casework.sign_off(actor=cast.leader, application=app, approve=True)
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=timezone.localdate(), delivery="online"
        )
        page.reload()
        assert page.get_by_test_id("state").inner_text() == "已答复"
        _check(page, "applicant-replied", suffix)
        before = AuditEntry.objects.filter(action="applications.applicant_download").count()
        with page.expect_download() as letter_download:
            page.locator(".ap-letters").get_by_role("link", name="下载 Word 文件").last.click()
        assert letter_download.value.suggested_filename.endswith(".docx")
        with page.expect_download() as file_download:
            page.get_by_test_id("released-files").get_by_role("link", name="下载").click()
        assert file_download.value.suggested_filename == "补助对象名单.pdf"
        after = AuditEntry.objects.filter(action="applications.applicant_download").count()
        assert after - before == 2

        # And rates the answer, once.
        page.get_by_label("基本满意").check()
        page.fill("textarea[name=comment]", "答复清楚，下载方便。")
        page.get_by_role("button", name="提交评价").click()
        page.get_by_test_id("rated").wait_for()
        app.refresh_from_db()
        assert app.rating == "mostly"
        _check(page, "applicant-rated", suffix)
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_public_register_and_a_mailbox_rating_on_screen(browser_page, cast, page_url, viewport):
    from gongkai.applications.actions.intake import organ_settings
    from gongkai.interaction import actions as mailbox
    from tests.interaction.conftest import submit

    suffix = "-390" if viewport is PHONE else ""
    page = browser_page
    page.set_viewport_size(viewport)
    row = organ_settings(cast.zhuwang)
    row.public_register = True
    row.save()
    receipt = actions.application_submit_online(
        organ=cast.zhuwang,
        applicant_type="natural_person",
        applicant_name="王秀英",
        id_doc_type="id_card",
        id_doc_number="11010519491231002X",
        phone="13905451234",
        email="wangxy@example.com",
        description="2025年度诸往镇农村危房改造补助标准",
        provide_form="electronic",
        delivery="email",
    )
    app = receipt.application
    casework.confirm_receipt(actor=cast.drafter, application=app)
    actions.application_draft_reply(
        actor=cast.drafter,
        application=app,
        decision="3.1",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        reasons="",
        files=[(SimpleUploadedFile("补助标准.pdf", PDF), False)],
    )
    casework.sign_off(actor=cast.leader, application=app, approve=True)
    actions.application_mark_replied(
        actor=cast.drafter, application=app, reply_date=timezone.localdate(), delivery="email"
    )
    actions.application_register_publish(
        actor=cast.drafter,
        application=app,
        subject="2025年度农村危房改造补助标准",
        files=list(app.files.all()),
        files_checked=True,
    )
    page.goto(page_url(reverse("applications_public:index")))
    page.get_by_role("link", name="已答复申请登记簿").click()
    register = page.get_by_test_id("register").inner_text()
    assert "2025年度农村危房改造补助标准" in register and "王秀英" not in register
    _check(page, "applicant-register", suffix)

    submitted = submit(cast.zhuwang)
    mailbox.letter_answer(actor=cast.leader, letter=submitted.letter, reply="路灯已于本周修复。")
    page.goto(page_url(reverse("interaction:mailbox_status")))
    page.fill("input[name=number]", submitted.letter.number)
    page.fill("input[name=code]", submitted.query_code)
    page.get_by_role("button", name="查询").click()
    page.get_by_label("满意", exact=True).check()
    _check(page, "mailbox-rating", suffix)
    page.get_by_role("button", name="提交评价").click()
    page.get_by_test_id("rated").wait_for()
    assert page.js_errors == []
