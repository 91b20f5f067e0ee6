"""The rescan of everything published: every public version and its attachments are checked
again with the current rules, newest first, in batches.

A run starts when the scanner's rules change (`gongkai.lib.scan.RULES_VERSION` differs from the
one of the last run) or when the last run finished more than `SCHEDULE` ago. Its progress (the
keyset cursor: publication time and version id of the last version done) is saved in the
`Rescan` row after every batch, in the batch's transaction, so a worker stopped in the middle
resumes after the last batch it committed. Memory is bounded by the batch: versions are read
`BATCH` at a time, with their attachments and stored findings in one query each.

What is found lands in the stored `Finding` rows of the published versions, which is the queue
of the unit's 保密审查员 and 公开办负责人 (queries.rescan_queue).
"""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from gongkai.catalog import checks
from gongkai.catalog.models import (
    Attachment,
    Finding,
    ItemVersion,
    Rescan,
    Secrecy,
    VersionState,
)
from gongkai.lib.scan import RULES_VERSION

BATCH = 200
SCHEDULE = datetime.timedelta(days=1)


def state() -> Rescan:
    return Rescan.objects.get_or_create(pk=1)[0]


def _start_if_due(row: Rescan, now: datetime.datetime) -> bool:
    """Start a new run when one is due; True while a run is in progress."""
    running = row.started_at is not None and row.finished_at is None
    if running and row.rules_version == RULES_VERSION:
        return True
    stale_rules = row.rules_version != RULES_VERSION
    if not stale_rules and row.finished_at is not None and now - row.finished_at < SCHEDULE:
        return False
    row.rules_version = RULES_VERSION
    row.started_at, row.finished_at = now, None
    row.cursor_published_at, row.cursor_version = None, None
    row.scanned = row.found = 0
    row.save()
    return True


def _batch(row: Rescan, size: int) -> list[ItemVersion]:
    versions = (
        ItemVersion.objects.filter(state=VersionState.PUBLISHED, published_at__isnull=False)
        .exclude(item__secrecy=Secrecy.SECRET)
        .select_related("item__organ", "item__unit")
        .only(
            "pk",
            "title",
            "summary",
            "body",
            "published_at",
            "item__organ__phone",
            "item__organ__fax",
            "item__organ__email",
            "item__unit__phone",
            "item__unit__fax",
            "item__unit__email",
        )
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(purged_at__isnull=True).only(
                    "pk",
                    "version_id",
                    "name",
                    "text",
                    "readable",
                    "unreadable_reason",
                    "readable_confirmed_at",
                    "purged_at",
                ),
                to_attr="live_attachments",
            ),
            Prefetch("findings", to_attr="stored_findings"),
        )
        .order_by("-published_at", "-pk")
    )
    if row.cursor_published_at is not None:
        # (published_at, id) < cursor, written as a range on published_at so the index
        # (state, published_at, id) serves both the filter and the order.
        versions = versions.filter(published_at__lte=row.cursor_published_at).exclude(
            published_at=row.cursor_published_at, pk__gte=row.cursor_version
        )
    return list(versions[:size])


def step(*, now: datetime.datetime | None = None, size: int = BATCH) -> int | None:
    """Check one batch; returns how many versions it checked, or None when no run is due or
    the run just finished."""
    now = now or timezone.now()
    with transaction.atomic():
        row = Rescan.objects.select_for_update().get(pk=state().pk)
        if not _start_if_due(row, now):
            return None
        batch = _batch(row, size)
        if not batch:
            row.finished_at = now
            row.save(update_fields=["finished_at"])
            return None
        contacts: dict[tuple[int, int], dict[str, list[str]]] = {}
        new: list[Finding] = []
        stale: list[int] = []
        for version in batch:
            item = version.item
            key = (item.organ_id, item.unit_id)
            if key not in contacts:
                contacts[key] = checks.allowed_contacts(item)
            found, gone = checks.diff_findings(
                version,
                version.stored_findings,  # type: ignore[attr-defined]
                version.live_attachments,  # type: ignore[attr-defined]
                contacts[key],
                now,
            )
            new += found
            stale += gone
        pks = [v.pk for v in batch]
        if stale:
            Finding.objects.filter(pk__in=stale).delete()
        Finding.objects.filter(version_id__in=pks).update(last_seen_at=now)
        Finding.objects.bulk_create(new, batch_size=500)
        ItemVersion.objects.filter(pk__in=pks).update(checks_run_at=now)
        last = batch[-1]
        row.cursor_published_at, row.cursor_version = last.published_at, last.pk
        row.scanned += len(batch)
        row.found += len(new)
        row.save()
        return len(batch)


def run(
    *, now: datetime.datetime | None = None, budget_seconds: float = 240, size: int = BATCH
) -> int:
    """Check batches until the run is done or the time budget is spent (the job's next turn
    goes on from the cursor). Returns how many versions were checked."""
    deadline = time.monotonic() + budget_seconds
    done = 0
    while time.monotonic() < deadline:
        checked = step(now=now, size=size)
        if checked is None:
            break
        done += checked
    return done
