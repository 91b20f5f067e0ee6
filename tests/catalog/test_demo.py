"""The catalog's demo step: published 2017 items of 诸往镇, items in every state, run twice."""

import pytest

from gongkai.catalog import queries
from gongkai.catalog.models import Item, ItemVersion, Validity, VersionState
from gongkai.core import demo

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_catalog_once(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    demo.build()
    counts = (Item.objects.count(), ItemVersion.objects.count())
    demo.build()
    assert (Item.objects.count(), ItemVersion.objects.count()) == counts
    states = set(ItemVersion.objects.values_list("state", flat=True))
    assert {
        VersionState.DRAFT,
        VersionState.SECRECY_REVIEW,
        VersionState.OFFICE_REVIEW,
        VersionState.SIGN_OFF,
        VersionState.SCHEDULED,
        VersionState.PUBLISHED,
        VersionState.WITHDRAWN,
        VersionState.WITHHELD,
        VersionState.SECRET,
    } <= states
    zhuwang = queries.find_unit("zhuwang")
    assert queries.published_items(unit=zhuwang, year=2017).count() >= 9
    repealed = queries.published_items(validity=Validity.REPEALED).get()
    assert repealed.replaced_by is not None
    assert queries.public_interpretations(repealed.replaced_by)
    budget = (
        queries.published_items(unit=zhuwang)
        .filter(published_version__title="诸往镇2026年财政预算公开")
        .get()
    )
    assert budget.published_version.attachments.count() == 2
