"""The optional public register of answered requests: off by default, per organ; staff choose
per case the words and the files; the applicant's identity and personal data never get in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import actions, casework
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.models import CaseFile
from tests.applications.conftest import D, at
from tests.applications.pagekit import online_form, step, text_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def replied(cast):
    data = online_form()
    for key in ("captcha_answer", "captcha_token", "form_token"):
        data.pop(key, None)
    with at(D(2026, 3, 2)):
        app = actions.application_submit_online(organ=cast.zhuwang, **data).application
        casework.confirm_receipt(actor=cast.drafter, application=app)
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.1",
            legal_basis="条例第三十六条第（二）项",
            reasons="",
            files=[(SimpleUploadedFile("补助标准.docx", _docx("补助标准每户2万元")), False)],
        )
        casework.sign_off(actor=cast.leader, application=app, approve=True)
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=D(2026, 3, 2), delivery="email"
        )
    app.refresh_from_db()
    return app


def _docx(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def switch_on(cast):
    row = organ_settings(cast.zhuwang)
    row.public_register = True
    row.save()


def test_the_register_is_off_until_the_organ_turns_it_on(cast):
    app = replied(cast)
    with pytest.raises(ValidationError, match="未开启"):
        actions.application_register_publish(
            actor=cast.drafter, application=app, subject="危房改造补助标准"
        )


def test_staff_put_a_case_in_with_chosen_files_and_the_public_sees_no_applicant(client, cast):
    switch_on(cast)
    app = replied(cast)
    client.force_login(cast.drafter)
    released = app.files.get(purpose=CaseFile.Purpose.PROVIDED)
    response = step(
        client, app, "register_publish", subject="2025年农村危房改造补助标准", files=[released.pk]
    )
    assert response.status_code == 302
    client.logout()
    page = text_of(client.get(reverse("applications_public:register")))
    assert "2025年农村危房改造补助标准" in page and "补助标准.docx" in page
    assert app.applicant_name not in page and app.phone not in page
    download = client.get(reverse("applications_public:register_file", args=[released.pk]))
    assert download.status_code == 200
    actions.application_register_withdraw(actor=cast.drafter, application=app)
    assert "2025年农村危房改造补助标准" not in text_of(
        client.get(reverse("applications_public:register"))
    )
    assert (
        client.get(reverse("applications_public:register_file", args=[released.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("张三申请的危房改造名单", "身份信息"),
        ("名单 13900001111 联系人", "手机号码"),
        ("371083198001011230 的补助", "身份证"),
    ],
)
def test_the_subject_is_checked_for_identity_and_personal_data(cast, subject, message):
    switch_on(cast)
    app = replied(cast)
    with pytest.raises(ValidationError, match=message):
        actions.application_register_publish(actor=cast.drafter, application=app, subject=subject)
    app.refresh_from_db()
    assert app.register_published_at is None


def test_a_file_with_personal_data_is_refused(cast):
    switch_on(cast)
    app = replied(cast)
    item = CaseFile.objects.create(
        application=app,
        purpose=CaseFile.Purpose.PROVIDED,
        file=SimpleUploadedFile("名单.docx", _docx("王五 身份证 11010519491231002X")),
        name="名单.docx",
    )
    with pytest.raises(ValidationError, match="不能列入登记簿"):
        actions.application_register_publish(
            actor=cast.drafter, application=app, subject="补助名单", files=[item]
        )
    assert not CaseFile.objects.filter(in_register=True).exists()
