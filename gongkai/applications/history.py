"""Dates as facts, written out when shown: the case history, e-mails and letters of 依申请公开.

A date that may still move (counted through a year whose holiday notice is not in) is stored
as a fact, `{"date": "2027-01-06", "years": [2027]}`, never as finished text. The text is made
when it is shown: "2027年1月6日（暂定）" while 2027 has no notice, "2027年1月6日（当时暂定）"
after it (the entry keeps what was said then; the recompute adds its own entry with the new
date). Nothing here ever produces an instruction to an administrator or an "unknown": a fact
always has a date.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from gongkai.workdays.calendar import Dated, WorkCalendar, provisional_reason

_SLOT = re.compile(r"\{([a-z_]+)\}")


def fact(value: Dated | datetime.date, years: Iterable[int] = ()) -> dict[str, Any]:
    """A date and the years without a notice it depends on."""
    if isinstance(value, Dated):
        return {"date": value.date.isoformat(), "years": list(value.provisional_years)}
    return {"date": value.isoformat(), "years": sorted(set(years))}


def due_fact(application: Any) -> dict[str, Any] | None:
    """The application's reply due date as a fact (None while no clock runs)."""
    if application.due_date is None:
        return None
    years: list[int] = []
    if application.due_provisional:
        start = application.clock_start or application.due_date
        years = WorkCalendar().provisional_years(start, application.due_date)
    return fact(application.due_date, years)


def format_day(day: datetime.date) -> str:
    """2027年1月6日"""
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def _open_years(years: Iterable[int], calendar: WorkCalendar) -> list[int]:
    return [y for y in years if not calendar.covers(y)]


def phrase(value: dict[str, Any], calendar: WorkCalendar | None = None, long: bool = False) -> str:
    """A date fact in words: 2027年1月6日, 2027年1月6日（暂定）, 2027年1月6日（当时暂定）.
    `long` explains a provisional date in full (e-mails and letters)."""
    day = datetime.date.fromisoformat(value["date"])
    text = format_day(day)
    years = value.get("years") or []
    if not years:
        return text
    still_open = _open_years(years, calendar or WorkCalendar())
    if not still_open:
        return text + _("（当时暂定）")
    if long:
        return text + _("（暂定：%(reason)s）") % {"reason": provisional_reason(still_open)}
    return text + _("（暂定）")


def render_summary(
    summary: str, data: dict[str, Any] | None, calendar: WorkCalendar | None = None
) -> str:
    """Fill the {name} slots of a history sentence with its date facts."""
    if not data:
        return summary
    cal = calendar or WorkCalendar()

    def sub(match: re.Match[str]) -> str:
        value = data.get(match.group(1))
        if isinstance(value, dict) and "date" in value:
            return phrase(value, cal)
        return match.group(0)

    return _SLOT.sub(sub, summary)


def render_events(events: Iterable[Any]) -> list[Any]:
    """The events with their text written out (`.text_shown`), one calendar for all."""
    cal = WorkCalendar()
    rows = list(events)
    for event in rows:
        event.text_shown = render_summary(event.summary, event.data, cal)
    return rows
