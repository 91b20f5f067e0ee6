"""The applicant's side online: the confirmation by e-mail and text message, a lost code
recovered without telling whether a request exists, a repeated request caught before it is
stored, the correction (补正) sent on the status page, downloads by expiring link with an audit
row each, and the rating of the reply."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import actions, casework
from gongkai.applications.models import Application, CaseFile, State
from gongkai.applications.queries import same_applicant_and_content
from gongkai.audit.models import AuditEntry
from gongkai.core.models import OutgoingEmail
from gongkai.core.sms import LocmemSmsBackend, mobile_number
from tests.applications.conftest import D, at
from tests.applications.pagekit import online_form, text_of
from tests.lib.files import make_pdf

PDF = make_pdf(["2025年诸往镇西村名单"])  # a real PDF: uploads must open as what they claim


@pytest.fixture(autouse=True)
def _pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_TEST_MODE = True
    settings.RATELIMIT_ENABLED = False
    settings.SMS_BACKEND = "gongkai.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()


def apply_url(cast):
    return reverse("applications_public:apply", args=[cast.zhuwang.code])


def fields():
    data = online_form()
    for key in ("captcha_answer", "captcha_token", "form_token"):
        data.pop(key, None)
    return data


def look_up(client, number, code):
    return client.post(reverse("applications_public:status"), {"number": number, "code": code})


def code_in(text: str) -> str:
    found = re.search(r"查询码[：:]?\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text)
    assert found, text
    return found.group(1)


# -- submission -------------------------------------------------------------------------------


def test_submitting_emails_and_texts_the_number_and_code(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(cast), online_form())
    app = Application.objects.get()
    mail = OutgoingEmail.objects.get(subject__contains="已提交")
    assert mail.to == ["zhangsan@example.com"] and app.number in mail.body
    assert app.check_query_code(code_in(mail.body))
    [(phone, text)] = LocmemSmsBackend.outbox
    assert phone == "13812345678" and app.number in text
    assert app.check_query_code(code_in(text))
    assert client.get(response["Location"]).status_code == 200


def test_only_a_mobile_number_gets_a_text():
    assert mobile_number("+86 138-1234-5678") == "13812345678"
    assert mobile_number("0631-6651234") is None


def test_a_repeated_request_is_shown_before_it_is_stored_and_can_insist(client, cast):
    client.post(apply_url(cast), online_form())
    earlier = Application.objects.get()
    again = online_form(description="  2025年诸往镇农村危房改造补助对象名单。 ")
    response = client.post(apply_url(cast), again)
    assert response.status_code == 200
    assert earlier.number in text_of(response) and "已经提交过相同的申请" in text_of(response)
    assert Application.objects.count() == 1
    response = client.post(apply_url(cast), {**again, "insist": "on"})
    assert response.status_code == 302
    assert Application.objects.count() == 2


def test_a_different_request_or_applicant_is_no_repeat(cast):
    app = actions.application_submit_online(organ=cast.zhuwang, **fields()).application
    assert same_applicant_and_content(app, fields())
    assert not same_applicant_and_content(app, {**fields(), "description": "另一项信息"})
    # The same identity number (matched by its keyed hash) is the same person, whatever name or
    # contact was typed; another number is another applicant.
    assert same_applicant_and_content(app, {**fields(), "applicant_name": "张 三"})
    other_contact = {**fields(), "email": "other@example.com", "phone": "13900000000"}
    assert same_applicant_and_content(app, other_contact)
    other_person = {**fields(), "applicant_name": "李四", "id_doc_number": "110105199003071239"}
    assert not same_applicant_and_content(app, other_person)


def test_the_repeat_check_forgets_after_the_configured_days(client, cast, settings):
    settings.APPLICATIONS_DUPLICATE_DAYS = 7
    with at(D(2026, 3, 2)):
        client.post(apply_url(cast), online_form())
    with at(D(2026, 3, 12)):
        assert client.post(apply_url(cast), online_form()).status_code == 302
    assert Application.objects.count() == 2


def test_a_receipt_link_expires(client, cast, settings):
    settings.APPLICATIONS_RECEIPT_LINK_HOURS = 1
    with time_machine.travel("2026-03-02 02:00Z", tick=False):
        location = client.post(apply_url(cast), online_form())["Location"]
    with time_machine.travel("2026-03-02 04:00Z", tick=False):
        response = client.get(location)
    assert response.status_code == 404 and "回执链接已失效" in text_of(response)


# -- forgot my code ---------------------------------------------------------------------------


def resend(client, number, contact):
    return client.post(
        reverse("applications_public:resend_code"),
        {"number": number, "contact": contact, "captcha_answer": "PASSED", "captcha_token": ""},
    )


def test_a_lost_code_is_replaced_and_sent_to_the_request_contacts(client, cast):
    receipt = actions.application_submit_online(organ=cast.zhuwang, **fields())
    app = receipt.application
    OutgoingEmail.objects.all().delete()
    response = resend(client, app.number.lower(), "13812345678")
    assert response.status_code == 200
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["zhangsan@example.com"]
    new = code_in(mail.body)
    app.refresh_from_db()
    assert app.check_query_code(new) and not app.check_query_code(receipt.query_code)
    assert look_up(client, app.number, new).status_code == 302


def test_unknown_numbers_and_wrong_contacts_get_the_same_answer(client, cast):
    app = actions.application_submit_online(organ=cast.zhuwang, **fields()).application
    OutgoingEmail.objects.all().delete()

    def answer(response):
        return re.sub(r"\s+", " ", text_of(response).split("<main", 1)[1].split("</main>")[0])

    right = answer(resend(client, app.number, "zhangsan@example.com"))
    unknown = answer(resend(client, "XC-2026-9999", "zhangsan@example.com"))
    wrong = answer(resend(client, app.number, "someone@example.com"))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", right) == token.sub("", unknown) == token.sub("", wrong)
    assert OutgoingEmail.objects.count() == 1  # only the right pair sent anything


def test_status_look_ups_answer_the_same_for_unknown_numbers_and_wrong_codes(client, cast):
    app = actions.application_submit_online(organ=cast.zhuwang, **fields()).application
    unknown = look_up(client, "XC-2026-9999", "AAAA-BBBB-CCCC")
    wrong = look_up(client, app.number, "AAAA-BBBB-CCCC")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_recovering_codes_and_looking_up_are_rate_limited(client, cast, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"applications.resend": "2/h", "applications.status": "2/h"}
    app = actions.application_submit_online(organ=cast.zhuwang, **fields()).application
    assert resend(client, "XC-2026-9999", "a@example.com").status_code == 200
    assert resend(client, app.number, "b@example.com").status_code == 200
    assert resend(client, app.number, "zhangsan@example.com").status_code == 429
    assert look_up(client, "XC-2026-9999", "AAAA-BBBB-CCCC").status_code == 200
    assert look_up(client, app.number, "AAAA-BBBB-CCCC").status_code == 200
    assert look_up(client, app.number, "AAAA-BBBB-CCCC").status_code == 429


# -- the correction online --------------------------------------------------------------------


def correction_case(cast):
    with at(D(2026, 3, 2)):
        receipt = actions.application_submit_online(organ=cast.zhuwang, **fields())
        app = receipt.application
        casework.confirm_receipt(actor=cast.drafter, application=app)
    with at(D(2026, 3, 3)):
        casework.request_correction(
            actor=cast.drafter,
            application=app,
            items="请写明年份和村名。",
            period_end=D(2026, 3, 20),
        )
    app.refresh_from_db()
    return app, receipt.query_code


def test_the_correction_notice_names_the_online_route_first(cast):
    app, _code = correction_case(cast)
    mail = OutgoingEmail.objects.get(subject__contains="补正通知")
    assert "网上补正" in mail.body
    letter = app.letters.get(kind="correction")
    assert letter.body.index("网上补正") < letter.body.index("联系电话")


def test_an_online_correction_waits_for_staff_and_restarts_the_clock(client, cast):
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        user.email = f"{user.username}@zhuwang.example.gov.cn"
        user.save(update_fields=["email"])
    app, code = correction_case(cast)
    look_up(client, app.number, code)
    page = reverse("applications_public:status_detail", args=[app.number])
    assert "网上补正" in text_of(client.get(page))
    OutgoingEmail.objects.all().delete()
    with at(D(2026, 3, 5)):
        response = client.post(
            reverse("applications_public:correct", args=[app.number]),
            {"text": "2025年诸往镇西村", "files": SimpleUploadedFile("名单.pdf", PDF)},
        )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.CORRECTION  # the office has not confirmed yet
    assert app.files.get(purpose=CaseFile.Purpose.CORRECTION).name == "名单.pdf"
    staff_mail = OutgoingEmail.objects.get()
    assert app.number in staff_mail.subject and staff_mail.to
    assert "zhangsan@example.com" not in staff_mail.to
    assert "等待工作人员确认收到" in text_of(client.get(page))
    with at(D(2026, 3, 6)):
        actions.application_receive_correction(
            actor=cast.drafter, application=app, received_date=D(2026, 3, 6)
        )
    app.refresh_from_db()
    assert app.correction.received_date == D(2026, 3, 6)
    assert app.correction.corrected_description == "2025年诸往镇西村"
    assert app.due_date > D(2026, 3, 30)  # 20 working days from 6 March, not from 2 March
    history = text_of(client.get(page))
    assert "申请人网上提交补正材料" in history and "答复期限重新计算" in history


def test_a_correction_file_gets_the_form_upload_checks(client, cast):
    app, code = correction_case(cast)
    look_up(client, app.number, code)
    response = client.post(
        reverse("applications_public:correct", args=[app.number]),
        {"text": "", "files": SimpleUploadedFile("名单.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 200 and "只能上传" in text_of(response)
    assert not app.files.exists()


def test_a_correction_needs_the_unlocked_case(client, cast):
    app, _code = correction_case(cast)
    response = client.post(
        reverse("applications_public:correct", args=[app.number]), {"text": "补正"}
    )
    assert response.status_code == 302 and not app.files.exists()
    app.refresh_from_db()
    assert app.correction.online_submitted_at is None


# -- collecting the answer and rating it ------------------------------------------------------


def replied_case(cast, *, provide_form="electronic"):
    with at(D(2026, 3, 2)):
        receipt = actions.application_submit_online(
            organ=cast.zhuwang, **{**fields(), "provide_form": provide_form}
        )
        app = receipt.application
        casework.confirm_receipt(actor=cast.drafter, application=app)
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.1",
            legal_basis="条例第三十六条第（二）项",
            reasons="",
            files=[(SimpleUploadedFile("补助名单.pdf", PDF), False)],
        )
        casework.sign_off(actor=cast.leader, application=app, approve=True)
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=D(2026, 3, 2), delivery="email"
        )
    app.refresh_from_db()
    return app, receipt.query_code


def test_the_reply_letter_and_released_files_download_with_an_audit_row(client, cast):
    app, code = replied_case(cast)
    mail = OutgoingEmail.objects.filter(subject__contains="已答复").get()
    assert "查询办理进度" in mail.body and "下载" in mail.body
    look_up(client, app.number, code)
    page = text_of(client.get(reverse("applications_public:status_detail", args=[app.number])))
    links = re.findall(r'href="(/yishenqing/xiazai/[^"]+)"', page)
    assert len(links) >= 2
    before = AuditEntry.objects.filter(action="applications.applicant_download").count()
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
    after = AuditEntry.objects.filter(action="applications.applicant_download").count()
    assert after - before == len(links)
    from django.test import Client

    assert Client().get(links[0]).status_code == 404  # another browser: not unlocked


def test_a_download_link_expires(client, cast, settings):
    settings.APPLICATIONS_DOWNLOAD_LINK_MINUTES = 5
    app, code = replied_case(cast)
    look_up(client, app.number, code)
    with time_machine.travel("2026-03-02 02:00Z", tick=False):
        page = text_of(client.get(reverse("applications_public:status_detail", args=[app.number])))
    link = re.findall(r'href="(/yishenqing/xiazai/[^"]+)"', page)[0]
    with time_machine.travel("2026-03-02 02:10Z", tick=False):
        response = client.get(link)
    assert response.status_code == 404 and "下载链接已失效" in text_of(response)


def test_paper_replies_say_where_to_collect(client, cast):
    cast.zhuwang.address = "乳山市诸往镇政府路1号"
    cast.zhuwang.save()
    app, code = replied_case(cast, provide_form="paper")
    look_up(client, app.number, code)
    page = text_of(client.get(reverse("applications_public:status_detail", args=[app.number])))
    assert "领取纸质材料" in page and "乳山市诸往镇政府路1号" in page


def test_the_reply_can_be_rated_once(client, cast):
    app, code = replied_case(cast)
    look_up(client, app.number, code)
    url = reverse("applications_public:rate", args=[app.number])
    assert client.post(url, {"rating": "mostly", "comment": "答复及时"}).status_code == 302
    app.refresh_from_db()
    assert app.rating == "mostly" and app.rating_comment == "答复及时"
    page = text_of(client.get(reverse("applications_public:status_detail", args=[app.number])))
    assert "您的评价：基本满意" in page and 'name="rating"' not in page
    client.post(url, {"rating": "dissatisfied"})
    app.refresh_from_db()
    assert app.rating == "mostly"
    client.force_login(cast.drafter)
    staff_page = text_of(client.get(reverse("applications:detail", args=[app.pk])))
    assert 'data-testid="rating">基本满意' in staff_page and "答复及时" in staff_page


def test_an_open_case_cannot_be_rated(cast):
    app, _code = correction_case(cast)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.application_rate(application=app, rating="satisfied")


class BrokenGateway(LocmemSmsBackend):
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


def test_a_failing_sms_gateway_does_not_undo_the_submission(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.applications.test_applicant_online.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(cast), online_form())
    assert response.status_code == 302 and Application.objects.count() == 1


def test_staff_see_the_online_correction_on_the_case_page(client, cast):
    app, code = correction_case(cast)
    look_up(client, app.number, code)
    with at(D(2026, 3, 5)):
        client.post(
            reverse("applications_public:correct", args=[app.number]), {"text": "西村的名单"}
        )
    client.force_login(cast.drafter)
    page = text_of(client.get(reverse("applications:detail", args=[app.pk])))
    assert 'data-testid="online-correction"' in page and "西村的名单" in page
