"""After publication: withdraw, validity, a new version with its differences, 判定涉密 of a
published item, and the withheld register with its re-assessment."""

import datetime

from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.models import Disclosure, VersionState
from tests.catalog.conftest import make_draft, publish_new, walk


def url(name, item):
    return reverse(f"catalog:{name}", args=[item.pk])


def test_leader_withdraws_a_published_item_with_a_reason(client, cast):
    item = publish_new(cast)
    number = item.index_number
    client.force_login(cast.leader)
    assert "撤回理由" in client.get(url("item_withdraw", item)).content.decode()
    response = client.post(url("item_withdraw", item), {"reason": "内容已过时"}, follow=True)
    item.refresh_from_db()
    assert item.published_version is None and item.index_number == number
    html = response.content.decode()
    assert "公开网站不再显示" in html and "内容已过时" in html


def test_office_marks_an_item_amended_with_a_link_to_the_new_one(client, cast):
    old = publish_new(cast, title="2016年补贴标准")
    new = publish_new(cast, title="2017年补贴标准")
    client.force_login(cast.office_reviewer)
    response = client.post(
        url("item_validity", old),
        {
            "validity": "amended",
            "effective_date": timezone.localdate().isoformat(),
            "replaced_by": new.index_number,
            "note": "标准已调整",
        },
        follow=True,
    )
    old.refresh_from_db()
    assert old.validity == "amended" and old.replaced_by == new
    html = response.content.decode()
    assert "已修改" in html and url("item_detail", new) in html


def test_a_new_version_is_reviewed_again_and_its_differences_are_shown(client, cast):
    item = publish_new(cast, title="关于2017年财政预算的公示")
    first = item.published_version
    client.force_login(cast.drafter)
    response = client.post(url("item_new_version", item))
    assert response.status_code == 302 and response["Location"] == url("item_edit", item)
    edit = client.get(url("item_edit", item)).content.decode()
    assert item.index_number in edit  # the 索引号 is shown read-only
    values = {
        "title": "关于2017年财政预算调整的公示",
        "formed_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "scope": "public",
        "body": "<p>2017年全镇财政预算收入3500万元。</p>",
        "submit_after": "1",
    }
    assert client.post(url("item_edit", item), values).status_code == 302
    walk_rest(cast, item)
    item.refresh_from_db()
    assert item.published_version.number == 2
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED
    html = client.get(url("item_detail", item)).content.decode()
    assert "与第 1 版相比" in html
    assert "<del>" in html and "<ins>调整</ins>" in html
    assert "<del>2</del><ins>5</ins>" in html  # 3200 → 3500 in the body


def walk_rest(cast, item):
    actions.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=False)
    actions.item_office_approve(actor=cast.office_reviewer, item=item)
    actions.item_sign_off(actor=cast.leader, item=item)


def test_the_public_keeps_the_published_version_while_a_new_one_is_drafted(client, cast):
    item = publish_new(cast)
    client.force_login(cast.drafter)
    client.post(url("item_new_version", item))
    html = client.get(url("item_detail", item)).content.decode()
    assert "公开网站显示第 1 版" in html
    assert client.post(url("item_new_version", item), follow=True).status_code == 200
    assert item.versions.count() == 2  # a second new version is refused with a message


def test_secrecy_reviewer_takes_a_published_item_offline_as_secret(client, cast):
    item = publish_new(cast)
    client.force_login(cast.secrecy_reviewer)
    response = client.post(url("item_mark_secret", item), {"reason": "含内部资料"})
    assert response.status_code == 400  # the box was not ticked
    item.refresh_from_db()
    assert not item.is_secret
    response = client.post(
        url("item_mark_secret", item), {"reason": "含内部资料", "confirm": "on"}, follow=True
    )
    item.refresh_from_db()
    assert item.is_secret and item.published_version is None
    assert "确认线下处置" in response.content.decode()
    response = client.post(url("secret_handled", item), {"note": "原件已交机要室"}, follow=True)
    item.refresh_from_db()
    assert item.secret_handled_at is not None
    assert "原件已交机要室" in response.content.decode()


def test_the_withheld_register_lists_reasons_and_reassessment_dates(client, cast):
    item = walk(cast, make_draft(cast, title="某企业的经营数据"), "secrecy_review")
    actions.item_secrecy_verdict(
        actor=cast.secrecy_reviewer,
        item=item,
        secret=False,
        disclosure=Disclosure.WITHHELD,
        reason="涉及商业秘密",
        basis="条例第十五条",
    )
    other = make_draft(
        cast, title="夏村的不予公开", unit=cast.other_township, actor=cast.other_drafter
    )
    other.disclosure = Disclosure.WITHHELD
    other.save()
    client.force_login(cast.secrecy_reviewer)
    html = client.get(reverse("catalog:withheld")).content.decode()
    item.refresh_from_db()
    assert "某企业的经营数据" in html and "涉及商业秘密" in html
    assert item.reassess_due.isoformat() in html
    assert "夏村的不予公开" not in html
    assert url("item_reassess", item) in html


def test_reassessment_keeps_an_item_withheld_or_releases_it(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    actions.item_secrecy_verdict(
        actor=cast.secrecy_reviewer,
        item=item,
        secret=False,
        disclosure=Disclosure.WITHHELD,
        reason="正在研究中",
    )
    client.force_login(cast.secrecy_reviewer)
    response = client.post(url("item_reassess", item), {"decision": "keep", "reason": "仍在研究"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.disclosure_reason == "仍在研究"
    response = client.post(url("item_reassess", item), {"decision": "release", "reason": ""})
    assert response.status_code == 400
    response = client.post(url("item_reassess", item), {"decision": "release", "reason": "已定稿"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.disclosure == Disclosure.PROACTIVE
    assert item.current_version().state == VersionState.OFFICE_REVIEW


def test_the_drafter_sees_the_register_but_cannot_reassess(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    actions.item_secrecy_verdict(
        actor=cast.secrecy_reviewer, item=item, secret=False, disclosure="on_request", reason="x"
    )
    client.force_login(cast.drafter)
    html = client.get(reverse("catalog:withheld") + "?tab=on_request").content.decode()
    assert "关于2017年财政预算的公示" in html
    assert url("item_reassess", item) not in html
    assert client.get(url("item_reassess", item)).status_code == 403
