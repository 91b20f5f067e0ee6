"""Bad input gets a form error and changes nothing, never a 500: huge strings, impossible dates,
bogus and foreign ids, wrong file types, script in the body."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.catalog import actions
from gongkai.catalog.models import Attachment, Category, Item, VersionState
from tests.catalog.conftest import make_draft, publish_new, walk
from tests.lib.files import make_docx

NEW = reverse("catalog:item_create")


def data(cast, **overrides):
    values = {
        "unit": str(cast.zhuwang.pk),
        "title": "关于春耕生产的通知",
        "formed_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "scope": "public",
        "body": "<p>各村：做好春耕准备。</p>",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "长" * 10_000}, "不能超过"),
        ({"title": "   "}, "这个字段是必填项"),
        ({"summary": "概" * 301}, "不能超过"),
        ({"formed_date": "2024-13-45"}, "日期"),
        ({"formed_date": "昨天"}, "日期"),
        ({"formed_date": "0001-01-01"}, "请填写正确的成文日期"),
        ({"formed_date": "2999-01-01"}, "成文日期不能晚于今天"),
        ({"category": "99999999"}, "选择一个有效的选项"),
        ({"category": "abc"}, "选择一个有效的选项"),
        ({"genre": "99999999999999999999999"}, "选择一个有效的选项"),
        ({"scope": "everyone"}, "选择一个有效的选项"),
        ({"legal_period_days": "0"}, "1"),
        ({"legal_period_days": "一百"}, "整数"),
        ({"interpretations": ["abc"]}, "不是"),
        ({"interpretations": ["99999999"]}, "选择一个有效的选项"),
        ({"body": "<p>" + "字" * 600_000 + "</p>"}, "不能超过"),
    ],
)
def test_bad_metadata_is_refused_with_a_message(client, cast, overrides, message):
    client.force_login(cast.drafter)
    response = client.post(NEW, data(cast, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "没有保存" in html
    assert not Item.objects.exists()


def test_a_unit_of_another_township_cannot_be_chosen(client, cast):
    client.force_login(cast.drafter)
    response = client.post(NEW, data(cast, unit=str(cast.other_township.pk)))
    assert response.status_code == 400 and not Item.objects.exists()


def test_a_column_of_another_township_cannot_be_chosen(client, cast):
    column = actions.category_create(
        actor=None, name="夏村动态", unit=cast.other_township, kind="column"
    )
    client.force_login(cast.drafter)
    response = client.post(NEW, data(cast, category=str(column.pk)))
    assert response.status_code == 400 and not Item.objects.exists()


def test_an_unpublished_item_of_another_township_cannot_be_linked_as_interpretation(client, cast):
    foreign = make_draft(cast, title="夏村解读", unit=cast.other_township, actor=cast.other_drafter)
    client.force_login(cast.drafter)
    response = client.post(NEW, data(cast, interpretations=[str(foreign.pk)]))
    assert response.status_code == 400 and Item.objects.count() == 1


def test_script_in_the_body_is_removed(client, cast):
    client.force_login(cast.drafter)
    body = '<p onclick="steal()">通知</p><script>alert(1)</script><a href="javascript:x()">链接</a>'
    assert client.post(NEW, data(cast, body=body)).status_code == 302
    saved = Item.objects.get().current_version().body
    assert "script" not in saved and "onclick" not in saved and "javascript" not in saved
    assert "通知" in saved


def test_plain_text_typed_without_the_editor_becomes_paragraphs(client, cast):
    client.force_login(cast.drafter)
    client.post(NEW, data(cast, body="第一段\n\n第二段"))
    assert Item.objects.get().current_version().body == "<p>第一段</p><p>第二段</p>"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("通知.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # an executable renamed
        ("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200),
        ("空.pdf", b""),
    ],
)
def test_a_wrong_file_saves_nothing(client, cast, name, content):
    item = make_draft(cast, title="原名称")
    client.force_login(cast.drafter)
    values = data(cast, title="新名称")
    values.pop("unit")
    values["new_files"] = [SimpleUploadedFile(name, content)]
    response = client.post(reverse("catalog:item_edit", args=[item.pk]), values)
    assert response.status_code == 400
    assert "附件" in response.content.decode() or name in response.content.decode()
    assert not Attachment.objects.exists()
    assert item.current_version().title == "原名称"


def test_a_file_over_the_size_limit_is_refused(client, cast, settings):
    settings.CATALOG_ATTACHMENT_MAX_MB = 1
    client.force_login(cast.drafter)
    values = data(cast)
    big = make_docx(["大"]) + b"\0" * (1024 * 1024 + 10)
    values["new_files"] = [SimpleUploadedFile("大.docx", big)]
    response = client.post(NEW, values)
    assert response.status_code == 400
    assert "超过 1 MB" in response.content.decode()
    assert not Item.objects.exists()


def test_removing_a_file_of_another_item_does_nothing(client, cast):
    other = make_draft(cast, title="另一条")
    keep = actions.attachment_add(
        actor=cast.drafter, item=other, data=make_docx(["保留"]), name="保留.docx"
    )
    item = make_draft(cast)
    client.force_login(cast.drafter)
    values = data(cast, remove_files=[str(keep.pk)])
    values.pop("unit")
    response = client.post(reverse("catalog:item_edit", args=[item.pk]), values)
    assert response.status_code == 400
    assert Attachment.objects.filter(pk=keep.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/staff/catalog/99999999999999999999999/",
        "/staff/catalog/0/",
        "/staff/catalog/123456789/edit/",
        "/staff/catalog/pick/99999999999999999999/",
    ],
)
def test_bogus_ids_in_addresses_are_404(client, cast, path):
    client.force_login(cast.drafter)
    assert client.get(path).status_code == 404


def test_bogus_file_ids_are_404(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    client.force_login(cast.secrecy_reviewer)
    for pk in (0, 99999999, 10**20):
        assert client.get(f"/staff/catalog/{item.pk}/files/{pk}/").status_code == 404
        response = client.post(f"/staff/catalog/{item.pk}/files/{pk}/confirm/", {"note": "x"})
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"when": "later", "go_live_at": "明天上午"}, "日期"),
        ({"when": "later", "go_live_at": ""}, "请填写定时发布的日期和时间"),
        ({"when": "later", "go_live_at": "2001-01-01T09:00"}, "定时发布时间应晚于现在"),
        ({"when": "later", "go_live_at": "2999-01-01T09:00"}, "不能超过一年"),
        ({"when": "yesterday"}, "选择一个有效的选项"),
        ({}, "这个字段是必填项"),
    ],
)
def test_bad_sign_off_input_changes_nothing(client, cast, values, message):
    item = walk(cast, make_draft(cast), "sign_off")
    client.force_login(cast.leader)
    response = client.post(reverse("catalog:review_sign_off", args=[item.pk]), values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert item.current_version().state == VersionState.SIGN_OFF


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "这个字段是必填项"),
        ({"verdict": "maybe"}, "选择一个有效的选项"),
        ({"verdict": "non_secret", "disclosure": "withheld"}, "不主动公开时必须写明理由"),
        ({"verdict": "non_secret", "disclosure": "on_request", "reason": "  "}, "必须写明理由"),
        ({"verdict": "non_secret", "disclosure": "public"}, "选择一个有效的选项"),
        ({"verdict": "non_secret", "disclosure": "proactive", "note": "意" * 3000}, "不能超过"),
    ],
)
def test_bad_secrecy_verdicts_change_nothing(client, cast, values, message):
    item = walk(cast, make_draft(cast), "secrecy_review")
    client.force_login(cast.secrecy_reviewer)
    response = client.post(reverse("catalog:review_secrecy", args=[item.pk]), values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert item.current_version().state == VersionState.SECRECY_REVIEW
    assert not AuditEntry.objects.filter(action="catalog.item_secrecy_verdict").exists()


def test_an_empty_confirmation_of_a_scan_is_refused_inline(client, cast):
    from tests.lib.files import make_png

    item = make_draft(cast)
    scan = actions.attachment_add(actor=cast.drafter, item=item, data=make_png(), name="扫描.png")
    walk(cast, item, "secrecy_review")
    client.force_login(cast.secrecy_reviewer)
    url = reverse("catalog:attachment_confirm", args=[item.pk, scan.pk])
    response = client.post(url, {"note": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only successful answers
    assert "请说明人工检查的结果" in response.content.decode()
    scan.refresh_from_db()
    assert scan.readable_confirmed_at is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"validity": "amended", "effective_date": "2026-01-05"}, "须链接到修改后的新文件"),
        ({"validity": "repealed"}, "请填写失效、废止或修改的日期"),
        ({"validity": "amended", "effective_date": "2026-02-30", "replaced_by": "x"}, "日期"),
        (
            {"validity": "expired", "effective_date": "2026-01-05", "replaced_by": "无此号"},
            "没有找到",
        ),
        ({"validity": "gone"}, "选择一个有效的选项"),
    ],
)
def test_bad_validity_changes_nothing(client, cast, values, message):
    item = publish_new(cast)
    client.force_login(cast.office_reviewer)
    response = client.post(reverse("catalog:item_validity", args=[item.pk]), values)
    assert response.status_code == 400
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.validity == "valid"


def test_a_withdrawal_without_a_reason_is_refused(client, cast):
    item = publish_new(cast)
    client.force_login(cast.leader)
    response = client.post(reverse("catalog:item_withdraw", args=[item.pk]), {"reason": ""})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.published_version is not None


def test_a_category_of_another_township_cannot_be_created_or_edited(client, cast):
    head = cast.office_head
    column = actions.category_create(actor=None, name="夏村动态", unit=cast.other_township)
    client.force_login(head)
    response = client.post(
        reverse("catalog:category_create"),
        {
            "name": "新栏目",
            "kind": "column",
            "unit": str(cast.other_township.pk),
            "sort_order": "0",
        },
    )
    assert response.status_code == 400
    assert not Category.objects.filter(name="新栏目").exists()
    assert client.get(reverse("catalog:category_edit", args=[column.pk])).status_code == 404
    assert client.post(reverse("catalog:category_toggle", args=[column.pk])).status_code == 404
