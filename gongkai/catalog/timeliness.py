"""Timeliness of proactive disclosure (条例第二十六条): an item is due 20 working days after it is
formed or changed (`成文日期`), or after the period a law sets for it (`legal_period_days`).

When the working-day calendar lacks a year the count needs, the due date is unknown: it is stored
as null with the calendar's message in `due_date_problem`, never guessed from weekends alone.
It is filled in as soon as the missing year's notice is imported (see `recompute_unknown`).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from gongkai.catalog.models import OPEN_STATES, ItemVersion
from gongkai.workdays.calendar import MissingCalendarData, WorkCalendar


def compute_due(version: ItemVersion, calendar: WorkCalendar | None = None) -> None:
    """Set `due_date` and `due_date_problem` on `version` (not saved)."""
    calendar = calendar or WorkCalendar()
    try:
        version.due_date = calendar.add_workdays(version.formed_date, version.legal_period)
        version.due_date_problem = ""
    except MissingCalendarData as exc:
        version.due_date = None
        version.due_date_problem = str(exc)[:300]


def soon_limit(today: datetime.date | None = None, workdays: int | None = None) -> datetime.date:
    """The last due date counted as "due soon" (settings.DUE_SOON_WORKDAYS working days ahead).
    Falls back to calendar days when the calendar lacks next year: a reminder, not a deadline."""
    from django.conf import settings

    today = today or timezone.localdate()
    n = settings.DUE_SOON_WORKDAYS if workdays is None else workdays
    try:
        return WorkCalendar().add_workdays(today, n)
    except MissingCalendarData:
        return today + datetime.timedelta(days=n)


def recompute_unknown(years: set[int] | None = None) -> int:
    """Fill in the due dates that were unknown for lack of calendar data. Returns how many."""
    calendar = WorkCalendar()
    changed = 0
    pending = ItemVersion.objects.filter(due_date__isnull=True).exclude(due_date_problem="")
    for version in pending.iterator():
        if years is not None and not any(y >= version.formed_date.year for y in years):
            continue
        compute_due(version, calendar)
        if version.due_date is not None:
            version.save(update_fields=["due_date", "due_date_problem"])
            changed += 1
    return changed


def on_calendar_changed(years: set[int]) -> None:
    """Registered with the workdays calendar (CatalogConfig.ready)."""
    recompute_open(years)


def recompute_open(years: set[int]) -> int:
    """A calendar change moves the due dates of versions still in the workflow; published ones
    keep the due date they were judged against (the annual statistic must not drift)."""
    calendar = WorkCalendar()
    changed = 0
    first = datetime.date(min(years), 1, 1) - datetime.timedelta(days=120)
    for version in ItemVersion.objects.filter(state__in=OPEN_STATES, formed_date__gte=first):
        old = (version.due_date, version.due_date_problem)
        compute_due(version, calendar)
        if (version.due_date, version.due_date_problem) != old:
            version.save(update_fields=["due_date", "due_date_problem"])
            changed += 1
    return changed + recompute_unknown(years)
