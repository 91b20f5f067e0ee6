"""Who may open which page: another township's staff get 404 on every page of an item, a role
without the step's permission gets 403, and buttons a user cannot use are not shown."""

import pytest
from django.urls import reverse

from gongkai.catalog import actions
from gongkai.catalog.models import VersionState
from tests.catalog.conftest import make_draft, publish_new, walk
from tests.lib.files import make_docx

ITEM_PAGES = [
    ("item_detail", "get"),
    ("item_edit", "get"),
    ("item_submit", "post"),
    ("review_secrecy", "get"),
    ("review_office", "get"),
    ("review_sign_off", "get"),
    ("item_reject", "post"),
    ("item_mark_secret", "get"),
    ("secret_handled", "post"),
    ("item_withdraw", "get"),
    ("item_validity", "get"),
    ("item_new_version", "post"),
    ("item_reassess", "get"),
]


@pytest.mark.parametrize(("name", "method"), ITEM_PAGES)
def test_another_townships_staff_get_404_on_every_item_page(client, cast, name, method):
    item = walk(cast, make_draft(cast), "secrecy_review")
    client.force_login(cast.other_drafter)
    response = getattr(client, method)(reverse(f"catalog:{name}", args=[item.pk]))
    assert response.status_code == 404
    assert item.current_version().state == VersionState.SECRECY_REVIEW


def test_another_townships_staff_cannot_download_or_confirm_a_file(client, cast):
    item = make_draft(cast)
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx(["名单"]), name="名单.docx"
    )
    client.force_login(cast.other_drafter)
    download = reverse("catalog:attachment_download", args=[item.pk, attachment.pk])
    assert client.get(download).status_code == 404
    confirm = reverse("catalog:attachment_confirm", args=[item.pk, attachment.pk])
    assert client.post(confirm, {"note": "看过"}).status_code == 404
    client.force_login(cast.drafter)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert "attachment" in response["Content-Disposition"]


def test_a_file_of_one_item_cannot_be_fetched_through_another(client, cast):
    mine = make_draft(cast, title="甲")
    other = make_draft(cast, title="乙")
    attachment = actions.attachment_add(
        actor=cast.drafter, item=other, data=make_docx(["乙的附件"]), name="乙.docx"
    )
    client.force_login(cast.drafter)
    url = reverse("catalog:attachment_download", args=[mine.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_roles_without_the_steps_permission_get_403(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    client.force_login(cast.drafter)
    assert client.get(reverse("catalog:review_secrecy", args=[item.pk])).status_code == 403
    response = client.post(
        reverse("catalog:review_secrecy", args=[item.pk]),
        {"verdict": "non_secret", "disclosure": "proactive"},
    )
    assert response.status_code == 403
    assert item.current_version().state == VersionState.SECRECY_REVIEW
    client.force_login(cast.leader)
    response = client.post(reverse("catalog:item_reject", args=[item.pk]), {"reason": "不行"})
    assert response.status_code == 403
    client.force_login(cast.secrecy_reviewer)
    assert client.get(reverse("catalog:item_create")).status_code == 403
    assert client.get(reverse("catalog:item_edit", args=[item.pk])).status_code == 403


def test_a_page_for_another_step_sends_the_user_to_the_item(client, cast):
    item = walk(cast, make_draft(cast), "office_review")
    client.force_login(cast.secrecy_reviewer)
    response = client.get(reverse("catalog:review_secrecy", args=[item.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("catalog:item_detail", args=[item.pk])
    assert "待公开办审核" in response.content.decode()


def test_a_submitted_draft_can_no_longer_be_edited(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    client.force_login(cast.drafter)
    response = client.post(reverse("catalog:item_edit", args=[item.pk]), {"title": "改名"})
    assert response.status_code == 302
    assert item.current_version().title == "关于2017年财政预算的公示"


def test_buttons_show_only_to_those_who_may_use_them(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    detail = reverse("catalog:item_detail", args=[item.pk])
    client.force_login(cast.drafter)
    html = client.get(detail).content.decode()
    assert reverse("catalog:review_secrecy", args=[item.pk]) not in html
    assert reverse("catalog:item_mark_secret", args=[item.pk]) not in html
    client.force_login(cast.secrecy_reviewer)
    html = client.get(detail).content.decode()
    assert reverse("catalog:review_secrecy", args=[item.pk]) in html
    assert reverse("catalog:item_mark_secret", args=[item.pk]) in html
    assert reverse("catalog:item_edit", args=[item.pk]) not in html


def test_only_the_leader_sees_withdraw_and_only_the_office_sees_validity(client, cast):
    item = publish_new(cast)
    detail = reverse("catalog:item_detail", args=[item.pk])
    withdraw = reverse("catalog:item_withdraw", args=[item.pk])
    validity = reverse("catalog:item_validity", args=[item.pk])
    new_version = reverse("catalog:item_new_version", args=[item.pk])
    client.force_login(cast.leader)
    html = client.get(detail).content.decode()
    assert withdraw in html and validity not in html and new_version not in html
    client.force_login(cast.office_reviewer)
    html = client.get(detail).content.decode()
    assert validity in html and withdraw not in html
    client.force_login(cast.drafter)
    html = client.get(detail).content.decode()
    assert new_version in html and withdraw not in html and validity not in html
    assert client.get(withdraw).status_code == 403
    assert client.post(withdraw, {"reason": "试试"}).status_code == 403
    item.refresh_from_db()
    assert item.published_version is not None


def test_a_drafter_cannot_confirm_an_unreadable_file(client, cast):
    from tests.lib.files import make_png

    item = make_draft(cast)
    scan = actions.attachment_add(actor=cast.drafter, item=item, data=make_png(), name="扫描.png")
    walk(cast, item, "secrecy_review")
    client.force_login(cast.drafter)
    url = reverse("catalog:attachment_confirm", args=[item.pk, scan.pk])
    assert client.post(url, {"note": "我看过了"}).status_code == 403
    scan.refresh_from_db()
    assert scan.readable_confirmed_at is None
