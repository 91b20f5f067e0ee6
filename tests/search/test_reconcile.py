"""Keeping the index in line with the database: the reconcile job catches up after a crashed
indexer, `gongkai reindex` rebuilds with a progress display."""

from __future__ import annotations

import io

from django.core.management import call_command

from gongkai.catalog.models import Item
from gongkai.core.jobs import all_jobs
from gongkai.search import api
from gongkai.search import jobs as _jobs  # noqa: F401  (registers the job, as the worker does)
from gongkai.search.backends import get_backend
from gongkai.search.backends.base import Scope, Tier
from gongkai.search.filters import Filters
from gongkai.search.models import SearchEntry
from gongkai.search.tokens import parse_query
from tests.catalog.conftest import publish_new


def count(q):
    return api.search(q=q, filters=Filters()).count


def test_items_published_while_the_indexer_was_down_are_indexed_by_the_job(cast):
    # No after-commit callbacks run here: as if the indexer had crashed.
    item = publish_new(cast, title="诸往镇美丽乡村建设方案")
    assert count("美丽乡村") == 0
    assert api.stale() == ([item.pk], [])
    job = next(j for j in all_jobs() if j.name == "search.reconcile")
    assert job.func() == 1
    assert count("美丽乡村") == 1
    assert job.func() == 0  # nothing left to do


def test_items_no_longer_public_are_removed_by_the_job(cast, publish):
    item = publish(title="公益性岗位招聘公告")
    # Withdrawn behind the index's back.
    Item.objects.filter(pk=item.pk).update(published_version=None)
    assert api.stale() == ([], [item.pk])
    # Never shown meanwhile: a page's hits are checked against the database before showing.
    assert api.search(q="招聘", filters=Filters()).hits == []
    result = api.reconcile()
    assert result.removed == 1 and not SearchEntry.objects.exists()


def test_an_item_indexed_at_an_old_version_is_reindexed(cast, publish):
    item = publish(title="樱桃采摘节")
    SearchEntry.objects.filter(item=item).update(version_id=0)
    assert api.stale() == ([item.pk], [])
    assert api.reconcile().indexed == 1
    assert api.stale() == ([], [])


def test_text_rows_without_an_entry_are_replaced_by_the_reconcile_job(cast, publish):
    item = publish(title="塘坝建设")
    SearchEntry.objects.filter(item=item).delete()  # the text row stays behind
    result = api.reconcile()
    assert result.indexed == 1 and count("塘坝") == 1
    backend = get_backend()
    keys = backend.keys(parse_query("塘坝"), Scope(), Tier.ALL, offset=0, limit=10)
    assert keys == [SearchEntry.objects.get(item=item).sort_key]


def test_reindex_rebuilds_and_reports_progress_as_plain_lines_when_not_a_terminal(
    cast, publish, capsys
):
    for n in range(3):
        publish(title=f"第{n}期工作动态")
    SearchEntry.objects.all().delete()
    get_backend().clear()
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "3 条信息" in out.getvalue()
    err = capsys.readouterr().err
    assert "索引 3/3 (100%)" in err and "\r" not in err
    assert count("工作动态") == 3


def test_reindex_missing_only_catches_up(cast, publish):
    publish(title="防汛抗旱应急预案")
    out = io.StringIO()
    call_command("reindex", "--missing", stdout=out)
    assert "已索引 0 条" in out.getvalue()


def test_a_rebuild_on_several_processes_indexes_every_item_once_in_batches(
    cast, import_item, monkeypatch
):
    made = [
        import_item(f"第{n}批农村低保资金发放公示", published=f"2024-0{1 + n % 9}-1{n % 10}")
        for n in range(11)
    ]
    monkeypatch.setattr(api, "BATCH", 3)
    seen = []
    assert api.reindex(lambda done, total: seen.append((done, total)), processes=2) == 11
    assert seen[-1] == (11, 11) and len(seen) == 4
    assert api.stale() == ([], [])
    results = api.search(q="低保", filters=Filters(), page_size=20)
    assert sorted(h.item.pk for h in results.hits) == sorted(i.pk for i in made)
    dates = [h.item.first_published_at for h in results.hits]
    assert dates == sorted(dates, reverse=True)  # the engine's key order is newest first
    assert not results.count_is_estimate and results.count == 11


def test_a_left_over_engine_row_never_shows_another_item_and_goes_after_a_migrate(cast, publish):
    import datetime

    from gongkai.search import documents
    from gongkai.search.apps import _drop_orphans
    from gongkai.search.backends.base import Row

    item = publish(title="塘坝维修公示")
    # A row a flushed test database left behind: its key's id is now this item's.
    later = item.first_published_at + datetime.timedelta(days=1)
    ghost = documents.sort_key(later, item.pk)
    get_backend().write(
        [Row(ghost, item.pk + 10**6, "塘坝", "", "", "", "", f"all o{item.organ_id}")]
    )
    assert [h.item.pk for h in api.search(q="塘坝", filters=Filters()).hits] == [item.pk]
    assert [i.pk for i in api.newest(Scope(), 10)] == [item.pk]  # and the row goes on sight
    assert get_backend().keys(None, Scope(), Tier.LIST, offset=0, limit=10) == [
        SearchEntry.objects.get(item=item).sort_key
    ]
    get_backend().write(
        [Row(ghost, item.pk + 10**6, "塘坝", "", "", "", "", f"all o{item.organ_id}")]
    )
    _drop_orphans(sender=None)
    assert get_backend().keys(None, Scope(), Tier.LIST, offset=0, limit=10) == [
        SearchEntry.objects.get(item=item).sort_key
    ]
