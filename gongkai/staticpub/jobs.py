"""The static publisher's background jobs (imported by the worker)."""

from __future__ import annotations

from gongkai.core.jobs import job


@job("staticpub.drain", every_seconds=5)
def drain() -> int:
    """Rewrite the queued pages a web process's thread has not (it died, or threads are off)."""
    from gongkai.staticpub import publisher

    return publisher.drain()


@job("staticpub.refresh_columns", every_seconds=15 * 60)
def refresh_columns() -> int:
    """Queue every column page: what no hook reports (a unit's contact data, a renamed
    category, the site footer) reaches the published columns within a quarter of an hour."""
    from gongkai.staticpub import publisher

    if not publisher.enabled():
        return 0
    count = publisher.mark(publisher.column_paths())
    publisher.drain()
    return count
