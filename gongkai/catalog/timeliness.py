"""Timeliness of proactive disclosure (条例第二十六条): an item is due 20 working days after it is
formed or changed (`成文日期`), or after the period a law sets for it (`legal_period_days`).

When the working-day calendar lacks a year the count needs, the due date is provisional: counted
by the statutory holidays of the 放假办法 (gongkai.workdays.provisional), with the reason in
`due_date_problem` ("暂定：…"), never guessed from weekends alone. It is recomputed as soon as the
missing year's notice is imported (see `recompute_open`, `recompute_unknown`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.catalog.models import OPEN_STATES, ItemVersion
from gongkai.workdays.calendar import WorkCalendar, provisional_reason


def compute_due(version: ItemVersion, calendar: WorkCalendar | None = None) -> None:
    """Set `due_date` and `due_date_problem` (the reason, while provisional) on `version` (not
    saved)."""
    calendar = calendar or WorkCalendar()
    version.due_date = calendar.add_workdays(version.formed_date, version.legal_period)
    years = calendar.provisional_years(version.formed_date, version.due_date)
    # Stored text, so in the site's language whatever the language of the request that saves it.
    with translation.override(settings.LANGUAGE_CODE):
        version.due_date_problem = (
            (_("暂定：%(why)s") % {"why": provisional_reason(years)})[:300] if years else ""
        )


def soon_limit(today: datetime.date | None = None, workdays: int | None = None) -> datetime.date:
    """The last due date counted as "due soon" (settings.DUE_SOON_WORKDAYS working days ahead).
    Counted on the earliest calendar, so the reminder comes no later than it could be due."""
    today = today or timezone.localdate()
    n = settings.DUE_SOON_WORKDAYS if workdays is None else workdays
    return WorkCalendar(earliest=True).add_workdays(today, n)


def recompute_unknown(years: set[int] | None = None) -> int:
    """Fill in or settle the due dates that were unknown (rows from before provisional dates) or
    provisional, published ones included (the late-publication figures use them)."""
    calendar = WorkCalendar()
    changed = 0
    # Every row with a reason is provisional (or, from before provisional dates, unknown).
    pending = ItemVersion.objects.exclude(due_date_problem="")
    for version in pending.iterator():
        if years is not None and not any(y >= version.formed_date.year for y in years):
            continue
        old = (version.due_date, version.due_date_problem)
        compute_due(version, calendar)
        if (version.due_date, version.due_date_problem) != old:
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
