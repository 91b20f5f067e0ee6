"""The search index's background job (imported by the worker)."""

from __future__ import annotations

from gongkai.core.jobs import job


@job("search.reconcile", every_seconds=120)
def reconcile() -> int:
    """Index public items the index lacks (or holds at an older version) and remove items that
    are no longer public: a crashed or stopped indexer catches up here."""
    from gongkai.search import api

    result = api.reconcile()
    return result.indexed + result.removed + result.orphans
