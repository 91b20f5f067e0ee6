"""紧急撤回: the 公开办负责人 and the 保密审查员 take a published item offline at once; it leaves
every public surface in the same transaction as a withdrawal; the public URL answers 410; the
leader confirms or restores."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.accounts.permissions import PermissionDenied
from gongkai.audit.models import AuditEntry
from gongkai.catalog import actions
from gongkai.catalog.models import Item, Takedown, VersionState
from gongkai.core.models import OutgoingEmail
from gongkai.search import api
from tests.catalog.conftest import make_draft, walk

BODY = "<p>救助对象：张三，身份证号370283199001011234，住诸往村5号</p>"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the catalog defers to after commit (the index update)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def leaked(cast, django_capture_on_commit_callbacks):
    """The issue's item: published over its findings (a leader's written reason), indexed."""
    item = make_draft(cast, title="诸往镇2026年临时救助发放情况公示", body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        walk(cast, item, "published", override_reason="已核实")
    item.refresh_from_db()
    return item


@pytest.mark.parametrize("who", ["office_head", "secrecy_reviewer"])
def test_head_and_secrecy_reviewer_can_take_down_a_published_item(
    client,
    cast,
    leaked,
    commit,
    who,
):
    number = leaked.index_number
    assert api.SearchEntry.objects.filter(item=leaked).exists()
    with commit():
        actions.item_take_down(actor=getattr(cast, who), item=leaked, reason="公示含身份证号")
    leaked.refresh_from_db()
    assert leaked.published_version is None and leaked.takedown == Takedown.PENDING
    assert not Item.objects.published().filter(pk=leaked.pk).exists()
    assert not api.SearchEntry.objects.filter(item=leaked).exists()
    response = client.get(reverse("portal:item", args=[number]))
    assert response.status_code == 410
    html = response.content.decode()
    assert "该信息已不再公开" in html
    assert "临时救助" not in html and "370283" not in html  # no title after a 紧急撤回
    assert number not in client.get("/sitemap.xml").content.decode()
    assert client.get("/api/v1/items/" + number).status_code == 404
    feed = client.get(reverse("portal:unit_feed", args=["zhuwang"])).content.decode()
    assert "临时救助" not in feed
    assert AuditEntry.objects.filter(action="catalog.item_take_down").count() == 1


def test_an_office_reviewer_and_a_drafter_cannot_take_down(cast, leaked):
    for actor in (cast.office_reviewer, cast.drafter, cast.other_drafter):
        with pytest.raises(PermissionDenied):
            actions.item_take_down(actor=actor, item=leaked, reason="含个人信息")
    leaked.refresh_from_db()
    assert leaked.published_version is not None


def test_a_take_down_needs_a_reason(cast, leaked):
    with pytest.raises(actions.ValidationError):
        actions.item_take_down(actor=cast.office_head, item=leaked, reason="  ")
    leaked.refresh_from_db()
    assert leaked.published_version is not None


def test_the_leader_is_told_and_confirms(cast, leaked):
    cast.leader.email = "leader@example.org"
    cast.leader.save()
    actions.item_take_down(actor=cast.office_head, item=leaked, reason="公示含身份证号")
    assert OutgoingEmail.objects.filter(
        to=["leader@example.org"], subject__contains="紧急撤回待确认"
    ).exists()
    with pytest.raises(PermissionDenied):
        actions.item_takedown_decide(actor=cast.office_head, item=leaked, restore=False)
    actions.item_takedown_decide(actor=cast.leader, item=leaked, restore=False, note="同意")
    leaked.refresh_from_db()
    assert leaked.takedown == Takedown.CONFIRMED and leaked.published_version is None
    with pytest.raises(actions.InvalidTransition):
        actions.item_takedown_decide(actor=cast.leader, item=leaked, restore=True, note="再恢复")


def test_the_leader_can_restore_a_take_down(client, cast, leaked, commit):
    actions.item_take_down(actor=cast.secrecy_reviewer, item=leaked, reason="疑似身份证号")
    with pytest.raises(actions.ValidationError):
        actions.item_takedown_decide(actor=cast.leader, item=leaked, restore=True, note="")
    with commit():
        actions.item_takedown_decide(
            actor=cast.leader, item=leaked, restore=True, note="核实为已遮盖的示例号码"
        )
    leaked.refresh_from_db()
    assert leaked.takedown == Takedown.RESTORED
    assert leaked.published_version.state == VersionState.PUBLISHED
    assert client.get(reverse("portal:item", args=[leaked.index_number])).status_code == 200
    assert api.SearchEntry.objects.filter(item=leaked).exists()


def test_a_leaders_own_take_down_needs_no_confirmation(cast, leaked):
    actions.item_take_down(actor=cast.leader, item=leaked, reason="含个人信息")
    leaked.refresh_from_db()
    assert leaked.takedown == Takedown.CONFIRMED


def test_head_takes_down_through_the_page_and_the_url_answers_410(client, cast, leaked):
    client.force_login(cast.office_head)
    detail = client.get(reverse("catalog:item_detail", args=[leaked.pk])).content.decode()
    assert reverse("catalog:item_take_down", args=[leaked.pk]) in detail
    form = client.get(reverse("catalog:item_take_down", args=[leaked.pk]))
    assert form.status_code == 200 and "立即撤回" in form.content.decode()
    assert (
        client.post(
            reverse("catalog:item_take_down", args=[leaked.pk]), {"reason": " "}
        ).status_code
        == 400
    )
    response = client.post(
        reverse("catalog:item_take_down", args=[leaked.pk]), {"reason": "公示含身份证号"}
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("portal:item", args=[leaked.index_number])).status_code == 410
    client.force_login(cast.leader)
    workbench = client.get(reverse("core:workbench")).content.decode()
    assert "紧急撤回待确认" in workbench
    client.post(reverse("catalog:takedown_decide", args=[leaked.pk]), {"decision": "confirm"})
    leaked.refresh_from_db()
    assert leaked.takedown == Takedown.CONFIRMED


def test_a_secret_purge_shows_no_title_and_answers_410(client, cast, leaked):
    number = leaked.index_number
    actions.item_mark_secret(actor=cast.secrecy_reviewer, item=leaked, reason="涉密")
    response = client.get(reverse("portal:item", args=[number]))
    assert response.status_code == 410
    assert "临时救助" not in response.content.decode()
