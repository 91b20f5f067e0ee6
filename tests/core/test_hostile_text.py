"""Text with control characters, NUL or lone surrogates, and text longer than a field holds, at
each boundary: HTML forms, the API, the import commands, the addresses of pages; and the DOCX
letters and reports made from text stored before input was cleaned (issue 10, defects 2, 4, 7)."""

from __future__ import annotations

import io
import json

import docx
import pytest
from django.urls import reverse

from gongkai.accounts.actions import token_create
from gongkai.api.errors import chinese_message
from gongkai.applications import casework, letters
from gongkai.applications.importer import import_rows as import_ledger
from gongkai.applications.models import Application, State
from gongkai.catalog.importer import import_rows as import_catalog
from gongkai.interaction.models import HotlineCall
from gongkai.lib.cleantext import clean_data, clean_text
from gongkai.lib.tabular import Row, Table
from gongkai.reports import exports
from tests.applications.conftest import D, applicant, at, register


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def bearer(user) -> dict[str, str]:
    _row, token = token_create(actor=None, user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


# -- the one cleaner ------------------------------------------------------------------------------


def test_the_cleaner_removes_what_xml_cannot_hold_and_keeps_the_rest():
    assert clean_text("张\x01三\x00\x7f\x85\ud800\ufffe") == "张三"
    assert clean_text("第一行\x0b第二行\x0c第三行") == "第一行\n第二行\n第三行"
    assert clean_text("表\t格\r\n下一行 ★ 🙂") == "表\t格\r\n下一行 ★ 🙂"
    assert clean_data({"a\x01": ["b\x02", {"c": "d\x03"}], "n": 5}) == {
        "a": ["b", {"c": "d"}],
        "n": 5,
    }


# -- HTML forms -----------------------------------------------------------------------------------


def test_a_staff_form_stores_the_applicants_name_without_control_characters(client, cast):
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        data = applicant(applicant_name="张\x01三\x1f", description="申请\x00公开\x0b预算")
        data.update({"organ": cast.zhuwang.pk, "channel": "fax", "received_date": ""})
        response = client.post(reverse("applications:register"), data)
        assert response.status_code == 302
    app = Application.objects.get()
    assert (app.applicant_name, app.description) == ("张三", "申请公开\n预算")
    with at(D(2026, 3, 4)):
        casework.confirm_receipt(actor=cast.drafter, application=app)
    app.refresh_from_db()
    assert app.state == State.REGISTERED
    assert "张三" in docx_text(app.letters.get().file.read())


def test_a_letter_is_made_for_a_name_stored_before_input_was_cleaned(cast):
    app = register(cast, D(2026, 3, 2))
    Application.objects.filter(pk=app.pk).update(applicant_name="李\x01四\x08")
    app.refresh_from_db()
    with at(D(2026, 3, 4)):
        letter = letters.issue(
            actor=cast.drafter, application=app, key="receipt", issued_date=D(2026, 3, 4)
        )
    assert "李四" in docx_text(letter.file.read())


def test_a_report_with_a_control_character_exports_to_docx():
    doc = {"format": "legacy", "unit": "诸往镇\x01", "text": "第一段\x02内容\n\n第二段\x00"}
    text = docx_text(exports.to_docx(doc, "年度报告\x03"))
    assert "第一段内容" in text and "第二段" in text and "\x02" not in text


# -- the API --------------------------------------------------------------------------------------


def test_api_bodies_are_cleaned_of_control_characters_and_lone_surrogates(client, cast):
    body = json.dumps({"unit_code": "zhuwang", "topic": "路灯\x01", "summary": "坏了\ud800一个月"})
    response = client.post(
        "/api/v1/hotline/calls", body, content_type="application/json", **bearer(cast.drafter)
    )
    assert response.status_code == 201, response.content
    call = HotlineCall.objects.get()
    assert (call.topic, call.summary) == ("路灯", "坏了一个月")


def test_the_api_refuses_what_the_form_refuses_with_a_chinese_422(client, cast):
    with at(D(2026, 3, 3)):
        body = {**applicant(applicant_name="名" * 101), "organ": "zhuwang", "channel": "in_person"}
        response = client.post(
            "/api/v1/applications", body, content_type="application/json", **bearer(cast.drafter)
        )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == "applicant_name" and error["msg"] == "不能超过 100 个字"
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "-1"}, "不能小于"),
        ({"year": "10000"}, "不能大于"),
        ({"page": "9" * 21}, "不能大于"),
        ({"page": str(2**63)}, "不能大于"),
        ({"page": "abc"}, "应为整数"),
        ({"page_size": "0"}, "不能小于"),
    ],
)
def test_bad_query_values_are_a_422_in_chinese(client, cast, query, message):
    response = client.get("/api/v1/mailbox/letters", query)
    assert response.status_code == 422
    assert message in response.json()["detail"][0]["msg"]


def test_pydantic_messages_are_translated():
    assert chinese_message({"type": "missing"}) == "必须填写"
    assert (
        chinese_message({"type": "string_too_long", "ctx": {"max_length": 5}}) == "不能超过 5 个字"
    )
    assert (
        chinese_message({"type": "value_error", "msg": "Value error, 没有这个单位"})
        == "没有这个单位"
    )
    assert chinese_message({"type": "something_new"}).startswith("输入有误")


# -- addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/gk/zhuwang/mulu/?category=%00",
        "/gk/zhuwang/mulu/?year=2025%01",
        "/api/v1/annual-reports/%00/2025",
        "/api/v1/items?q=%00",
        "/sousuo/?q=a%00b",
    ],
)
def test_an_address_with_a_control_character_is_a_400_with_a_message(client, cast, path):
    response = client.get(path)
    assert response.status_code == 400
    is_json = response["Content-Type"].startswith("application/json")
    assert "不允许的字符" in (response.json()["detail"] if is_json else response.content.decode())


# -- imports --------------------------------------------------------------------------------------


def test_the_catalog_import_cleans_text_and_keeps_the_forms_lengths(cast):
    row = {"unit": "zhuwang", "title": "预算\x01公开", "formed_date": "2024-01-02"}
    row["published_date"] = "2024-01-03"
    result = import_catalog(Table("t", [], [], [Row(2, dict(row))]))
    assert result.imported[0].published_version.title == "预算公开"
    long_row = {**row, "title": "另一条", "document_number": "文" * 101}
    result = import_catalog(Table("t", [], [], [Row(2, long_row)]), skip_bad=True)
    assert "发文字号超过 100 字" in str(result.rejected[0])


def test_the_ledger_import_refuses_a_description_longer_than_the_form_allows(cast):
    row = {
        "unit": "zhuwang",
        "received_date": "2025-03-03",
        "channel": "当面",
        "applicant_type": "自然人",
        "applicant_name": "王\x01五",
        "description": "申" * 2001,
    }
    result = import_ledger(Table("t", [], [], [Row(2, dict(row))]), skip_bad=True)
    assert "申请内容超过 2000 字" in str(result.rejected[0])
    result = import_ledger(Table("t", [], [], [Row(3, {**row, "description": "预算"})]))
    assert Application.objects.get().applicant_name == "王五"


@pytest.mark.parametrize(
    "raw", [b'{"topic": "\xff\xfe", "summary": "x"}', b"\xef\xbb\xbf{}", b"\x00"]
)
def test_a_body_that_is_not_utf8_json_is_refused_in_chinese(client, cast, raw):
    response = client.generic(
        "POST",
        "/api/v1/hotline/calls",
        raw,
        content_type="application/json",
        **bearer(cast.drafter),
    )
    assert response.status_code in (400, 422)
    assert not HotlineCall.objects.exists()


def test_a_call_without_a_token_is_told_so_in_chinese(client, cast):
    response = client.get("/api/v1/applications")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
