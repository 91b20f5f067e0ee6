"""Background jobs of the inspection (run by the worker, gongkai/core/worker.py).

The daily run is idempotent: it recomputes today's results, so several passes a day keep the
latest state and a worker down for days resumes with today. The crawl runs once a day per unit;
the probes of INSPECTION_PROBE_TARGETS run every 30 minutes (48 visits a day, above the 20 the
indicator asks for)."""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone

from gongkai.core.jobs import job

logger = logging.getLogger(__name__)

PROBE_EVERY_SECONDS = 30 * 60


@job("inspection.daily", every_seconds=6 * 3600)
def daily() -> int:
    from gongkai.inspection import actions

    return actions.inspection_run()


@job("inspection.crawl", every_seconds=24 * 3600)
def crawl_sites() -> int:
    """Crawl each unit's site; returns how many links were checked."""
    from gongkai.inspection import actions, crawler, sites
    from gongkai.inspection.models import LinkCheck

    hours = settings.INSPECTION_EXTERNAL_CACHE_HOURS

    def cached(url: str):
        since = timezone.now() - datetime.timedelta(hours=hours)
        row = LinkCheck.objects.filter(url=url, kind="external", checked_at__gte=since).first()
        if row is None:
            return None
        return crawler.Link(
            row.url, row.found_on, row.kind, False, row.ok, row.status_code, row.error,
            row.checked_at,
        )  # fmt: skip

    total = 0
    for unit in actions.inspected_units():
        result = crawler.crawl(
            sites.home_url(unit),
            own_hosts=sites.own_hosts(unit),
            form_urls=sites.form_urls(unit),
            max_pages=settings.INSPECTION_CRAWL_MAX_PAGES,
            delay_seconds=settings.INSPECTION_CRAWL_DELAY_MS / 1000,
            external=settings.INSPECTION_CRAWL_EXTERNAL,
            cached=cached,
        )
        actions.crawl_store(unit=unit, result=result)
        total += len(result.links)
    return total


@job("inspection.probe", every_seconds=PROBE_EVERY_SECONDS)
def probe_targets() -> int:
    """Visit each configured target site once and record whether it opened in time."""
    from gongkai.accounts.models import Unit
    from gongkai.inspection import actions
    from gongkai.inspection.probe import visit

    done = 0
    for code, url in settings.INSPECTION_PROBE_TARGETS.items():
        unit = Unit.objects.filter(code=code.strip()).first()
        if unit is None:
            logger.warning("INSPECTION_PROBE_TARGETS: no unit %r", code)
            continue
        began = time.monotonic()
        result = visit(url.strip())
        actions.probe_record(
            actor=None,
            unit=unit,
            url=url.strip(),
            ok=result.ok,
            seconds=result.seconds or time.monotonic() - began,
            status_code=result.status_code,
            error=result.error,
            reporter="worker",
        )
        done += 1
    return done
