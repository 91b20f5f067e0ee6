import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.catalog import actions, queries
from gongkai.catalog.models import Item, VersionState
from gongkai.catalog.publishing import PublishBlocked
from gongkai.catalog.workbench import provider
from gongkai.core.models import OutgoingEmail
from tests.catalog.conftest import make_draft, walk


def _queue_titles(user):
    request = RequestFactory().get("/staff/")
    request.user = user
    return {q.title: q for q in provider(request)}


def test_an_item_walks_from_draft_to_published_with_a_task_for_each_next_person(cast):
    cast.secrecy_reviewer.email = "baomi@example.org"
    cast.secrecy_reviewer.save()
    item = make_draft(cast)
    assert item.index_number is None
    assert queries.queue_for(cast.drafter).count() == 1

    actions.item_submit(actor=cast.drafter, item=item)
    assert [v.item_id for v in queries.queue_for(cast.secrecy_reviewer)] == [item.pk]
    assert _queue_titles(cast.secrecy_reviewer)["待保密审查"].count == 1
    assert OutgoingEmail.objects.filter(to=["baomi@example.org"]).exists()

    actions.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=False)
    assert not queries.queue_for(cast.secrecy_reviewer).exists()
    assert queries.queue_for(cast.office_reviewer).get().item_id == item.pk

    actions.item_office_approve(actor=cast.office_reviewer, item=item)
    assert queries.queue_for(cast.leader).get().item_id == item.pk
    assert not Item.objects.published().exists()

    actions.item_sign_off(actor=cast.leader, item=item)
    item.refresh_from_db()
    assert item.index_number == f"004362519/{timezone.localdate().year}-00001"
    assert item.published_version.state == VersionState.PUBLISHED
    assert len(item.published_version.fingerprint) == 64
    assert list(Item.objects.published()) == [item]
    assert queries.item_by_index_number(item.index_number) == item
    actions_logged = list(
        AuditEntry.objects.filter(object_type="catalog.item", object_id=str(item.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_logged == [
        "catalog.item_create",
        "catalog.item_submit",
        "catalog.item_secrecy_verdict",
        "catalog.item_office_approve",
        "catalog.item_publish",
    ]


@pytest.mark.parametrize("step", ["secrecy_review", "office_review", "sign_off"])
def test_a_reviewer_returns_the_item_to_the_drafter_with_a_reason(cast, step):
    item = walk(cast, make_draft(cast), step)
    reviewer = {
        "secrecy_review": cast.secrecy_reviewer,
        "office_review": cast.office_reviewer,
        "sign_off": cast.leader,
    }[step]
    version = actions.item_reject(actor=reviewer, item=item, reason="发文字号有误")
    assert version.state == VersionState.DRAFT
    assert version.rejection_reason == "发文字号有误"
    assert version.secrecy_reviewed_at is None and version.office_approved_at is None
    assert queries.queue_for(cast.drafter).get().rejection_reason == "发文字号有误"
    assert not queries.queue_for(reviewer).exists()
    # Resubmitted, it goes through every review again.
    actions.item_submit(actor=cast.drafter, item=item)
    assert item.current_version().state == VersionState.SECRECY_REVIEW


def test_rejection_without_a_reason_changes_nothing(cast):
    item = walk(cast, make_draft(cast), "office_review")
    with pytest.raises(ValidationError):
        actions.item_reject(actor=cast.office_reviewer, item=item, reason="  ")
    assert item.current_version().state == VersionState.OFFICE_REVIEW


def test_each_step_needs_its_own_role(cast):
    item = make_draft(cast)
    actions.item_submit(actor=cast.drafter, item=item)
    with pytest.raises(PermissionDenied):
        actions.item_secrecy_verdict(actor=cast.drafter, item=item, secret=False)
    actions.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=False)
    with pytest.raises(PermissionDenied):
        actions.item_sign_off(actor=cast.office_reviewer, item=item)
    actions.item_office_approve(actor=cast.office_reviewer, item=item)
    with pytest.raises(PermissionDenied):
        actions.item_sign_off(actor=cast.drafter, item=item)
    assert item.current_version().state == VersionState.SIGN_OFF


def test_a_step_out_of_order_is_refused_with_a_message(cast):
    item = make_draft(cast)
    with pytest.raises(actions.InvalidTransition, match="草稿"):
        actions.item_office_approve(actor=cast.office_reviewer, item=item)


def test_only_a_draft_can_be_edited(cast):
    item = walk(cast, make_draft(cast), "office_review")
    with pytest.raises(actions.InvalidTransition):
        actions.item_update(actor=cast.drafter, item=item, title="改过的标题")
    assert item.current_version().title == "关于2017年财政预算的公示"


def test_leader_can_schedule_publication_and_the_job_publishes_it(cast):
    item = walk(cast, make_draft(cast), "sign_off")
    go_live = timezone.now() + datetime.timedelta(hours=3)
    version = actions.item_sign_off(actor=cast.leader, item=item, go_live_at=go_live)
    assert version.state == VersionState.SCHEDULED
    assert actions.publish_due() == 0
    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        assert actions.publish_due() == 1
    item.refresh_from_db()
    assert item.is_public and item.index_number
    entry = AuditEntry.objects.get(action="catalog.item_publish", object_id=str(item.pk))
    assert entry.actor_name == "system:schedule"


def test_a_finding_blocks_publication_unless_the_leader_gives_a_reason(cast):
    item = walk(cast, make_draft(cast, body="<p>联系人手机 13812345678</p>"), "sign_off")
    with pytest.raises(PublishBlocked) as blocked:
        actions.item_sign_off(actor=cast.leader, item=item)
    assert blocked.value.problems[0].overridable
    assert item.current_version().state == VersionState.SIGN_OFF
    actions.item_sign_off(actor=cast.leader, item=item, override_reason="该号码为公开的办事电话")
    entry = AuditEntry.objects.get(action="catalog.item_publish", object_id=str(item.pk))
    assert "该号码为公开的办事电话" in entry.note
    assert Item.objects.published().count() == 1


def test_an_image_without_alt_text_blocks_publication_even_with_a_reason(cast):
    item = walk(
        cast,
        make_draft(cast, body='<p>现场照片</p><img src="https://example.org/a.png">'),
        "sign_off",
    )
    with pytest.raises(PublishBlocked, match="替代文字"):
        actions.item_sign_off(actor=cast.leader, item=item, override_reason="急需发布")
    assert not Item.objects.published().exists()


def test_the_workbench_shows_nothing_of_another_township(cast):
    item = make_draft(cast)
    actions.item_submit(actor=cast.drafter, item=item)
    assert not queries.queue_for(cast.other_drafter).exists()
    assert queries.visible_item(cast.other_drafter, item.pk) is None
    with pytest.raises(PermissionDenied):
        actions.item_update(actor=cast.other_drafter, item=item, title="x")
