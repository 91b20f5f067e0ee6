"""The office's settings pages: the remedy bodies its letters name and its own wording of each
letter, checked before it is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.applications import actions, letters
from gongkai.applications.models import LetterTemplate, OrganSettings
from tests.applications.conftest import D
from tests.applications.pagekit import text_of
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def settings_url(cast):
    return reverse("applications:settings_organ", args=[cast.zhuwang.code])


def template_url(cast, key):
    return reverse("applications:template_edit", args=[cast.zhuwang.code, key])


def test_the_office_head_names_the_reconsideration_body_and_the_court(client, cast):
    client.force_login(cast.office_head)
    assert client.get(reverse("applications:settings")).status_code == 302  # one organ
    page = text_of(client.get(settings_url(cast)))
    assert "行政复议机关" in page and "管辖人民法院" in page and "尚未设置" in page
    response = client.post(
        settings_url(cast),
        {
            "number_prefix": "zw",
            "reconsideration_body": "乳山市人民政府",
            "court": "乳山市人民法院",
        },
    )
    assert response.status_code == 302
    row = OrganSettings.objects.get(organ=cast.zhuwang)
    assert (row.number_prefix, row.court) == ("ZW", "乳山市人民法院")
    page = text_of(client.get(settings_url(cast)))
    assert "应当先自收到本告知书之日起六十日内向乳山市人民政府申请行政复议" in page


def test_a_bad_prefix_is_refused(client, cast):
    client.force_login(cast.office_head)
    response = client.post(
        settings_url(cast), {"number_prefix": "诸往-1", "reconsideration_body": "", "court": ""}
    )
    assert response.status_code == 200
    assert "number_prefix" in response.context["form"].errors


def test_drafters_and_other_townships_cannot_change_settings(client, cast):
    client.force_login(cast.drafter)
    assert client.get(reverse("applications:settings")).status_code == 403
    assert client.get(settings_url(cast)).status_code == 404
    head = make_user("xiacun-head", roles=[(cast.other_township, Role.OFFICE_HEAD)])
    client.force_login(head)
    assert client.get(settings_url(cast)).status_code == 404
    assert client.get(template_url(cast, "refusal")).status_code == 404


def test_a_template_with_an_unknown_placeholder_is_not_saved(client, cast):
    client.force_login(cast.office_head)
    page = text_of(client.get(template_url(cast, "refusal")))
    assert "{救济途径}" in page and "政府信息不予公开告知书" in page
    response = client.post(
        template_url(cast, "refusal"),
        {"title": "不予公开告知书", "body": "{申请人}：\n{申请号}{法律依据}{救济途径}"},
    )
    assert response.status_code == 200
    assert "{申请号}" in text_of(response) and "{申请编号}" in text_of(response)
    assert not LetterTemplate.objects.exists()


def test_a_template_is_previewed_saved_used_and_reset(client, cast, make_app):
    client.force_login(cast.office_head)
    body = (
        "{申请人}：\n经审查，{答复情形}，依据{法律依据}不予公开。{理由}\n"
        "{救济途径}\n编号：{申请编号}"
    )
    preview = client.post(
        template_url(cast, "refusal"), {"title": "不予公开告知书", "body": body, "preview": "1"}
    )
    assert preview.status_code == 200 and "预览" in text_of(preview)
    assert not LetterTemplate.objects.exists()
    saved = client.post(template_url(cast, "refusal"), {"title": "不予公开告知书", "body": body})
    assert saved.status_code == 302
    assert "已自定义" in text_of(client.get(settings_url(cast)))
    app = make_app(D(2026, 3, 2))
    actions.application_draft_reply(
        actor=cast.drafter,
        application=app,
        decision="3.3.1",
        legal_basis="保密法",
        reasons="涉密。",
    )
    rendered = letters.render(app, "refusal")
    assert rendered.title == "不予公开告知书"
    assert rendered.paragraphs[-1] == f"编号：{app.number}"
    reset = client.post(reverse("applications:template_reset", args=["zhuwang", "refusal"]))
    assert reset.status_code == 302 and not LetterTemplate.objects.exists()


def test_the_letter_options_are_set_with_their_reasons_shown(client, cast):
    client.force_login(cast.office_head)
    page = text_of(client.get(settings_url(cast)))
    # Each option says why it exists (复议前置 scope, naming the court, 3.5.5, fees, 条例35).
    assert "实务中有两种理解" in page and "默认采用狭义理解" in page
    assert "行政诉讼法第十八条" in page
    assert "第三十九条第二款只涉及公开出版物" in page
    assert "收款单位及账户" in page and "第三十五条说明理由期限" in page
    response = client.post(
        settings_url(cast),
        {
            "number_prefix": "ZW",
            "reconsideration_body": "乳山市人民政府",
            "court": "乳山市人民法院",
            "reconsideration_first_broad": "on",
            "name_court_after_reconsideration": "on",
            "confirm_obtained_text": "经审定，不属于政府信息公开申请的处理范围",
            "fee_payment_method": "到便民服务中心窗口缴纳",
            "fee_account": "乳山市财政局非税收入专户",
            "excessive_answer_days": "15",
        },
    )
    assert response.status_code == 302
    row = OrganSettings.objects.get(organ=cast.zhuwang)
    assert row.reconsideration_first_broad and row.name_court_after_reconsideration
    assert (row.fee_account, row.excessive_answer_days) == ("乳山市财政局非税收入专户", 15)
    page = text_of(client.get(settings_url(cast)))
    assert "依法向乳山市人民法院提起行政诉讼" in page  # the sample sentences follow the settings
    bad = client.post(
        settings_url(cast),
        {"number_prefix": "ZW", "court": "", "name_court_after_reconsideration": "on"},
    )
    assert bad.status_code == 200 and "请先填写管辖人民法院" in text_of(bad)
