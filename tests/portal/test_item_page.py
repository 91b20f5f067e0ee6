"""The public page of one item: metadata strip, body, attachments, 政策解读, the banner of a
repealed or replaced document, the print view and the published version's fingerprint."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.models import Attachment, Topic, Validity
from tests.lib.files import make_docx


def page(client, item):
    return client.get(reverse("portal:item", args=[item.index_number]))


def test_the_metadata_strip_shows_every_field(client, cast, publish):
    item = publish(
        title="关于2017年财政预算的公示",
        document_number="诸政发〔2017〕12号",
        topic=Topic.objects.get(code="finance"),
        summary="全镇预算收支安排",
    )
    html = page(client, item).content.decode()
    version = item.published_version
    for label, value in [
        ("索引号", item.index_number),
        ("主题分类", "财政、金融、审计"),
        ("发布机构", "乳山市诸往镇人民政府"),
        ("成文日期", version.formed_date.isoformat()),
        ("发文字号", "诸政发〔2017〕12号"),
        ("发布日期", timezone.localdate(item.first_published_at).isoformat()),
        ("有效性", "有效"),
        ("公开方式", "主动公开"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}" in html, label
    assert "<p>2017年全镇财政预算收入3200万元。</p>" in html
    assert version.fingerprint in html and len(version.fingerprint) == 64


def test_the_index_number_goes_into_the_address_raw_or_percent_encoded(client, cast, publish):
    item = publish(title="樱桃采摘节")
    assert "/" in item.index_number
    raw = client.get("/xinxi/" + item.index_number)
    encoded = client.get("/xinxi/" + quote(item.index_number, safe=""))
    assert raw.status_code == encoded.status_code == 200
    assert "樱桃采摘节" in encoded.content.decode()


def test_items_that_are_not_public_are_not_found(client, cast, publish):
    from tests.catalog.conftest import make_draft

    withdrawn = publish(title="公益性岗位招聘公告")
    actions.item_withdraw(actor=cast.leader, item=withdrawn, reason="岗位调整")
    response = page(client, withdrawn)
    # Once public, now withdrawn: gone (410) with a neutral page, not a generic 404.
    assert response.status_code == 410
    html = response.content.decode()
    assert "该信息已不再公开" in html and "公益性岗位招聘公告" in html
    assert "岗位调整" not in html
    make_draft(cast, title="草稿")
    assert client.get("/xinxi/nothing/2026-00001").status_code == 404


def test_a_repealed_document_says_so_and_links_its_replacement(client, cast, publish):
    old = publish(title="土地流转管理办法（2015年）")
    new = publish(title="土地流转管理办法", document_number="诸政发〔2017〕21号")
    actions.item_set_validity(
        actor=cast.office_reviewer,
        item=old,
        validity=Validity.REPEALED,
        effective_date=timezone.localdate(),
        replaced_by=new,
        note="被诸政发〔2017〕21号废止",
    )
    html = page(client, old).content.decode()
    assert "本文件已废止" in html and "被诸政发〔2017〕21号废止" in html
    assert reverse("portal:item", args=[new.index_number]) in html
    assert "本文件已" not in page(client, new).content.decode()


def test_linked_interpretations_are_shown_both_ways(client, cast, publish):
    reading = publish(title="《土地流转管理办法》政策解读")
    document = publish(title="土地流转管理办法")
    document.published_version.interpretations.add(reading)
    assert "《土地流转管理办法》政策解读" in page(client, document).content.decode()
    html = page(client, reading).content.decode()
    assert "解读的文件" in html and "土地流转管理办法" in html


def test_an_attachment_downloads_under_its_chinese_name(client, cast, publish_with_file):
    data = make_docx(["2026年预算收支明细"])
    item = publish_with_file("2026年预算说明.docx", data, title="2026年财政预算公开")
    attachment = Attachment.objects.get(version=item.published_version)
    html = page(client, item).content.decode()
    url = reverse("portal:attachment", args=[attachment.pk])
    assert url in html and "2026年预算说明.docx" in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''" + quote("2026年预算说明.docx") in disposition
    assert response["ETag"] == f'"{attachment.sha256}"'


def test_files_of_withdrawn_or_superseded_versions_are_not_served(
    client, cast, publish_with_file, commit
):
    from tests.catalog.conftest import walk

    item = publish_with_file("名单.docx", make_docx(["名单"]), title="公示")
    first = Attachment.objects.get(version=item.published_version)
    actions.item_new_version(actor=cast.drafter, item=item)
    walk(cast, item, "published")
    item.refresh_from_db()
    current = Attachment.objects.get(version=item.published_version)
    assert client.get(reverse("portal:attachment", args=[first.pk])).status_code == 404
    assert client.get(reverse("portal:attachment", args=[current.pk])).status_code == 200
    actions.item_withdraw(actor=cast.leader, item=item, reason="撤回")
    assert client.get(reverse("portal:attachment", args=[current.pk])).status_code == 404


def test_the_print_view_has_the_metadata_and_body_without_the_site_frame(client, cast, publish):
    item = publish(title="防汛抗旱应急预案")
    html = client.get(reverse("portal:item_print", args=[item.index_number])).content.decode()
    assert "防汛抗旱应急预案" in html and item.published_version.fingerprint in html
    assert "public-nav" not in html and 'name="robots" content="noindex"' in html


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_pages_only_answer_reads(client, cast, publish, method):
    item = publish(title="只读")
    response = getattr(client, method)(reverse("portal:item", args=[item.index_number]))
    assert response.status_code == 405


def test_an_image_without_alt_text_cannot_be_published(cast):
    from gongkai.catalog.publishing import PublishBlocked
    from tests.catalog.conftest import make_draft, walk

    item = make_draft(cast, body='<p>现场照片</p><p><img src="https://example.gov.cn/a.png"></p>')
    walk(cast, item, "sign_off")
    with pytest.raises(PublishBlocked, match="替代文字"):
        actions.item_sign_off(actor=cast.leader, item=item)
    item.refresh_from_db()
    assert not item.is_public
