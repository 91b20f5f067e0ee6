"""The drafter sees the findings before submitting (on the edit page and live, as they type),
masks a hit with one click, and can take a submitted item back while nobody reviews it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog import actions
from gongkai.catalog.models import VersionState
from tests.catalog.conftest import make_draft
from tests.catalog.test_pages_workflow import item_data

ID = "370283199001011234"  # wrong check digit, as typed by hand


def test_the_live_check_shows_an_id_number_typed_in_the_body(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        reverse("catalog:check_draft"),
        {"title": "临时救助公示", "summary": "", "body": f"<p>救助对象：张三，身份证号{ID}</p>"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<mark>{ID}</mark>" in html
    assert "疑似身份证号" in html and 'name="mask"' in html
    assert "3702831990****1234" in html


def test_the_live_check_is_for_drafters_only(client, cast):
    client.force_login(cast.office_reviewer)
    assert client.post(reverse("catalog:check_draft"), {"body": ID}).status_code == 403


def test_the_edit_page_shows_findings_before_submitting(client, cast):
    item = make_draft(cast, body=f"<p>身份证号{ID}</p>")
    client.force_login(cast.drafter)
    html = client.get(reverse("catalog:item_edit", args=[item.pk])).content.decode()
    assert 'id="live-checks"' in html and f"<mark>{ID}</mark>" in html


def test_one_click_masks_the_hit_and_saves_the_draft(client, cast):
    item = make_draft(cast, body=f"<p>身份证号{ID}</p>")
    client.force_login(cast.drafter)
    data = item_data(cast, body=f"<p>救助对象：张三，身份证号{ID}</p>", mask=ID)
    data.pop("unit")
    response = client.post(reverse("catalog:item_edit", args=[item.pk]), data)
    assert response.status_code == 302
    version = item.open_version()
    assert ID not in version.body and "3702831990****1234" in version.body
    assert version.state == VersionState.DRAFT
    html = client.get(response["Location"]).content.decode()
    assert "已遮盖" in html and f"<mark>{ID}</mark>" not in html


def test_a_drafter_can_take_back_a_submitted_item_nobody_reviews(client, cast):
    item = make_draft(cast)
    actions.item_submit(actor=cast.drafter, item=item)
    client.force_login(cast.drafter)
    detail = client.get(reverse("catalog:item_detail", args=[item.pk])).content.decode()
    assert reverse("catalog:item_recall", args=[item.pk]) in detail
    response = client.post(reverse("catalog:item_recall", args=[item.pk]))
    assert response["Location"] == reverse("catalog:item_edit", args=[item.pk])
    assert item.open_version().state == VersionState.DRAFT


def test_a_drafter_cannot_take_back_once_the_review_started(client, cast):
    item = make_draft(cast)
    actions.item_submit(actor=cast.drafter, item=item)
    client.force_login(cast.secrecy_reviewer)
    client.get(reverse("catalog:review_secrecy", args=[item.pk]))
    with pytest.raises(actions.InvalidTransition):
        actions.item_recall(actor=cast.drafter, item=item)
    assert item.open_version().state == VersionState.SECRECY_REVIEW
    with pytest.raises(actions.PermissionDenied):
        actions.item_recall(actor=cast.other_drafter, item=item)
