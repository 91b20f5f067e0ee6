"""Staff of a sibling township neither see nor act on 诸往镇's items; a station's drafts are
reviewed by the township that covers it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from gongkai.catalog import actions, queries
from gongkai.catalog.workbench import provider
from gongkai.core.jobs import all_jobs
from tests.catalog.conftest import make_draft, publish_new, walk


def test_another_township_cannot_see_or_act_on_any_step(cast):
    item = make_draft(cast)
    other = cast.other_drafter
    assert not queries.items_for(other).filter(pk=item.pk).exists()
    for call in (
        lambda: actions.item_submit(actor=other, item=item),
        lambda: actions.item_update(actor=other, item=item, title="改"),
        lambda: actions.attachment_add(actor=other, item=item, data=b"%PDF-1.4", name="a.pdf"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    walk(cast, item, "sign_off")
    for call in (
        lambda: actions.item_reject(actor=other, item=item, reason="x"),
        lambda: actions.item_sign_off(actor=other, item=item),
        lambda: actions.item_mark_secret(actor=other, item=item, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    published = publish_new(cast, title="已发布")
    for call in (
        lambda: actions.item_withdraw(actor=other, item=published, reason="x"),
        lambda: actions.item_new_version(actor=other, item=published),
        lambda: actions.item_set_validity(actor=other, item=published, validity="expired"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    request = RequestFactory().get("/staff/")
    request.user = other
    assert all(q.count == 0 for q in provider(request))


def test_the_township_reviews_its_stations_drafts(cast):
    item = make_draft(cast, unit=cast.station, actor=cast.station_drafter)
    actions.item_submit(actor=cast.station_drafter, item=item)
    assert list(queries.queue_for(cast.secrecy_reviewer)) == [item.current_version()]
    assert queries.visible_item(cast.drafter, item.pk) == item
    # The station's drafter does not see the township's own drafts.
    township_item = make_draft(cast)
    assert queries.visible_item(cast.station_drafter, township_item.pk) is None


def test_the_catalog_jobs_are_registered_for_the_worker():
    import gongkai.catalog.jobs  # noqa: F401 - the worker imports it the same way

    names = {job.name for job in all_jobs()}
    assert {
        "catalog.publish_scheduled",
        "catalog.recheck_published",
        "catalog.withheld_reminders",
        "catalog.due_dates",
    } <= names
