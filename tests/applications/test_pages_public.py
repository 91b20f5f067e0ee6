"""The public pages: the online form and its checks, the receipt shown once, the status page
opened only by number and query code, and the letters behind it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import actions, casework
from gongkai.applications.models import Application, Letter
from gongkai.lib.codes import uscc_check_char
from tests.applications.conftest import D, at
from tests.applications.pagekit import online_form, text_of
from tests.lib.files import make_png

PNG = make_png()


@pytest.fixture(autouse=True)
def _pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_TEST_MODE = True
    settings.RATELIMIT_ENABLED = False


def apply_url(cast):
    return reverse("applications_public:apply", args=[cast.zhuwang.code])


def submit(client, cast, **overrides):
    return client.post(apply_url(cast), online_form(**overrides))


def test_the_form_explains_one_matter_per_application_and_the_received_date(client, cast):
    page = text_of(client.get(apply_url(cast)))
    assert "一事一申请" in page
    assert "确认之日为收到申请之日" in page
    assert "验证题" in page
    assert "商业企业" in page and "法律服务机构" in page


def test_an_unknown_organ_has_no_form(client, cast):
    assert client.get(reverse("applications_public:apply", args=["nowhere"])).status_code == 404
    assert (
        client.get(reverse("applications_public:apply", args=["zhuwang-office"])).status_code == 404
    )


def test_a_valid_application_keeps_its_receipt_through_reload(client, cast):
    response = submit(client, cast)
    assert response.status_code == 302
    app = Application.objects.get()
    first = text_of(client.get(response["Location"]))
    assert app.number in first
    found = re.search(r'data-testid="query-code">([^<]+)<', first)
    assert found, "the code is on the receipt"
    code = found.group(1)
    assert app.check_query_code(code)
    again = text_of(client.get(response["Location"]))
    assert code in again and app.number in again


def test_another_browser_sees_the_signed_receipt_without_the_code(client, cast):
    response = submit(client, cast)
    from django.test import Client

    page = Client().get(response["Location"])
    assert page.status_code == 200
    assert Application.objects.get().number in text_of(page)
    assert 'data-testid="query-code"' not in text_of(page)


def test_a_forged_receipt_address_is_refused(client, cast):
    submit(client, cast)
    number = Application.objects.get().number
    forged = reverse("applications_public:receipt", args=[number])
    assert client.get(forged).status_code == 404


def test_the_same_form_sent_twice_is_saved_once(client, cast):
    form = online_form(form_token="tok-123")
    first = client.post(apply_url(cast), form)
    second = client.post(apply_url(cast), form)
    assert Application.objects.count() == 1
    same = [client.get(r["Location"]).context["app"] for r in (first, second)]
    assert same[0] == same[1] == Application.objects.get()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_doc_number": "11010519491231002Y"}, "id_doc_number", "18位"),
        ({"id_doc_number": "110105194912310021"}, "id_doc_number", "校验位"),
        ({"id_doc_number": "110105194913310027"}, "id_doc_number", "出生日期"),
        ({"id_doc_number": ""}, "id_doc_number", "身份证件号码"),
        (
            {"applicant_type": "commercial", "credit_code": "91371083MA3C12345X"},
            "credit_code",
            "校验位",
        ),
        ({"applicant_type": "research", "credit_code": ""}, "credit_code", "统一社会信用代码"),
        ({"description": ""}, "description", "请描述"),
        ({"delivery": "email", "email": ""}, "email", "电子邮箱"),
        ({"phone": "", "email": "", "address": "", "delivery": "pickup"}, "phone", "联系方式"),
        ({"applicant_type": "robot"}, "applicant_type", "选择"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    client, cast, overrides, field, message
):
    response = submit(client, cast, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert Application.objects.count() == 0


def test_an_organisation_applies_with_its_credit_code(client, cast):
    body = "91371083MA3C0D7K2"
    code = body + uscc_check_char(body)
    response = submit(
        client,
        cast,
        applicant_type="legal_service",
        applicant_name="山东某某律师事务所",
        id_doc_number="",
        credit_code=code.lower(),
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.applicant_type == "legal_service" and app.credit_code == code


def test_a_wrong_captcha_answer_saves_nothing(client, cast):
    form = online_form()
    form["captcha_answer"] = "7"
    response = client.post(apply_url(cast), form)
    assert response.status_code == 200 and "captcha" in response.context["form"].errors
    assert Application.objects.count() == 0


def test_identity_proof_is_judged_by_its_content(client, cast):
    fake = SimpleUploadedFile("身份证.jpg", b"MZ\x90\x00 this is a program", "image/jpeg")
    response = client.post(apply_url(cast), {**online_form(), "identity_proof": fake})
    assert response.status_code == 200
    assert "按文件内容判断" in " ".join(response.context["form"].errors["identity_proof"])
    photo = SimpleUploadedFile("王秀英身份证.png", PNG, "image/png")
    response = client.post(apply_url(cast), {**online_form(), "identity_proof": photo})
    assert response.status_code == 302
    stored = Application.objects.get().identity_proof.name
    assert stored.endswith("identity.png") and "王秀英" not in stored


def test_an_oversized_identity_proof_is_refused(client, cast, settings):
    settings.APPLICATION_IDENTITY_MAX_MB = 1
    big = SimpleUploadedFile("id.png", PNG + b"\0" * (1024 * 1024), "image/png")
    response = client.post(apply_url(cast), {**online_form(), "identity_proof": big})
    assert "1 MB" in " ".join(response.context["form"].errors["identity_proof"])
    assert Application.objects.count() == 0


def test_submissions_are_rate_limited(client, cast, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"applications.submit": "2/h"}
    assert submit(client, cast, description="第一项信息").status_code == 302
    assert submit(client, cast, description="第二项信息").status_code == 302
    response = submit(client, cast, description="第三项信息")
    assert response.status_code == 429
    assert Application.objects.count() == 2


# -- the status page --------------------------------------------------------------------------


def online_case(cast):
    receipt = actions.application_submit_online(organ=cast.zhuwang, **_fields())
    return receipt.application, receipt.query_code


def _fields():
    data = online_form()
    for key in ("captcha_answer", "captcha_token", "form_token"):
        data.pop(key, None)
    return data


def look_up(client, number, code):
    return client.post(reverse("applications_public:status"), {"number": number, "code": code})


def test_number_and_code_open_the_status_page(client, cast):
    with at(D(2026, 3, 2)):
        app, code = online_case(cast)
        casework.confirm_receipt(actor=cast.drafter, application=app)
        response = look_up(client, app.number.lower(), code.lower().replace("-", " "))
        assert response.status_code == 302
        page = text_of(client.get(response["Location"]))
    assert "已受理，正在办理" in page
    assert "2026-03-02" in page and "2026年3月30日" in page  # received and due
    assert "政府信息公开申请登记回执" in page


def test_a_wrong_code_and_a_wrong_number_get_the_same_answer(client, cast):
    app, code = online_case(cast)
    wrong_code = look_up(client, app.number, "AAAA-BBBB-CCCC")
    wrong_number = look_up(client, "ZHUWANG-2099-9999", code)
    for response in (wrong_code, wrong_number):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "申请编号或查询码不正确，请核对后重试。"
        ]

    def page(response, number):
        text = text_of(response).replace(number, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(wrong_code, app.number) == page(wrong_number, "ZHUWANG-2099-9999")


def test_the_status_page_needs_the_code_in_this_session(client, cast):
    app, _code = online_case(cast)
    response = client.get(reverse("applications_public:status_detail", args=[app.number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications_public:status")


def test_guessing_codes_is_rate_limited(client, cast, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"applications.status": "3/15m"}
    app, code = online_case(cast)
    for _ in range(3):
        assert look_up(client, app.number, "AAAA-BBBB-CCCC").status_code == 200
    assert look_up(client, app.number, code).status_code == 429


def test_letters_are_downloadable_once_unlocked_and_the_reply_only_once_delivered(client, cast):
    with at(D(2026, 3, 2)):
        app, code = online_case(cast)
        casework.confirm_receipt(actor=cast.drafter, application=app)
        casework.consult(
            actor=cast.drafter, application=app, party="third_party", party_name="某公司"
        )
        consultation = app.consultations.get()
        actions.application_consultation_reply(
            actor=cast.drafter,
            consultation=consultation,
            reply_date=D(2026, 3, 2),
            opinion="consent",
        )
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.4.1",
            legal_basis="条例第三十六条第（四）项",
            reasons="经检索，本机关未制作该信息。",
        )
        casework.sign_off(actor=cast.leader, application=app, approve=True)
    receipt_letter = app.letters.get(kind=Letter.Kind.RECEIPT)
    consultation_letter = app.letters.get(kind=Letter.Kind.CONSULTATION)
    reply = app.letters.get(kind=Letter.Kind.NONEXISTENT)
    from gongkai.applications.views_public import _download_token

    download = reverse(
        "applications_public:download", args=[_download_token("L", receipt_letter.pk)]
    )
    assert client.get(download).status_code == 404  # not unlocked yet
    look_up(client, app.number, code)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    page = text_of(client.get(reverse("applications_public:status_detail", args=[app.number])))
    assert "征询函" not in page and "不存在告知书" not in page
    for hidden in (consultation_letter, reply):
        url = reverse("applications_public:letter", args=[hidden.pk])
        assert client.get(url).status_code == 404
    with at(D(2026, 3, 3)):
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=D(2026, 3, 3), delivery="email"
        )
    page = text_of(client.get(reverse("applications_public:status_detail", args=[app.number])))
    assert "政府信息不存在告知书" in page and "已答复" in page
    view = client.get(reverse("applications_public:letter", args=[reply.pk]))
    assert view.status_code == 200 and "行政复议" in text_of(view)
