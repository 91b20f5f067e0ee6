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
