"""不予公开 register (条例18): reason, periodic re-assessment, reminders, release."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gongkai.catalog import actions, jobs, queries
from gongkai.catalog.models import Disclosure, Item, VersionState
from gongkai.core.models import OutgoingEmail
from tests.catalog.conftest import make_draft


def _withheld(cast):
    item = make_draft(cast, title="某企业经营情况报告")
    actions.item_submit(actor=cast.drafter, item=item)
    actions.item_secrecy_verdict(
        actor=cast.secrecy_reviewer,
        item=item,
        secret=False,
        disclosure=Disclosure.WITHHELD,
        reason="涉及第三方商业秘密",
        basis="条例第十五条",
    )
    item.refresh_from_db()
    return item


def test_withholding_needs_a_reason(cast):
    item = make_draft(cast)
    actions.item_submit(actor=cast.drafter, item=item)
    with pytest.raises(ValidationError):
        actions.item_secrecy_verdict(
            actor=cast.secrecy_reviewer, item=item, secret=False, disclosure=Disclosure.WITHHELD
        )
    assert item.current_version().state == VersionState.SECRECY_REVIEW


def test_a_withheld_item_is_on_the_register_with_a_reassessment_date(cast, settings):
    settings.CATALOG_WITHHELD_REASSESS_MONTHS = 12
    with time_machine.travel(datetime.datetime(2025, 3, 31, 10, 0), tick=False):
        item = _withheld(cast)
    assert item.current_version().state == VersionState.WITHHELD
    assert item.reassess_due == datetime.date(2026, 3, 31)
    assert list(queries.withheld_register(cast.office_reviewer)) == [item]
    assert not queries.withheld_register(cast.other_drafter).exists()
    assert not Item.objects.published().exists()


def test_the_office_is_reminded_once_when_reassessment_is_due(cast):
    cast.office_reviewer.email = "gkb@example.org"
    cast.office_reviewer.save()
    with time_machine.travel(datetime.datetime(2024, 1, 10, 10, 0), tick=False):
        item = _withheld(cast)
    with time_machine.travel(datetime.datetime(2025, 1, 11, 10, 0), tick=False):
        assert list(queries.reassess_due(cast.office_reviewer)) == [item]
        assert jobs.withheld_reminders() == 1
        assert jobs.withheld_reminders() == 0
    assert (
        OutgoingEmail.objects.filter(to=["gkb@example.org"], subject__contains="待复核").count()
        == 1
    )


def test_reassessment_keeps_it_withheld_with_a_new_reason_and_date(cast):
    with time_machine.travel(datetime.datetime(2024, 1, 10, 10, 0), tick=False):
        item = _withheld(cast)
    with time_machine.travel(datetime.datetime(2025, 1, 11, 10, 0), tick=False):
        actions.item_reassess(
            actor=cast.secrecy_reviewer, item=item, release=False, reason="第三方仍不同意公开"
        )
    item.refresh_from_db()
    assert item.disclosure_reason == "第三方仍不同意公开"
    assert item.reassess_due == datetime.date(2026, 1, 11)


def test_a_released_item_goes_through_office_review_and_sign_off(cast):
    item = _withheld(cast)
    actions.item_reassess(
        actor=cast.secrecy_reviewer, item=item, release=True, reason="第三方已同意公开"
    )
    assert list(queries.queue_for(cast.office_reviewer)) == [item.current_version()]
    actions.item_office_approve(actor=cast.office_reviewer, item=item)
    actions.item_sign_off(actor=cast.leader, item=item)
    item.refresh_from_db()
    assert item.is_public and item.disclosure == Disclosure.PROACTIVE
    assert not queries.withheld_register(cast.office_reviewer).exists()
