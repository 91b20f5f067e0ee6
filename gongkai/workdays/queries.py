"""Reads for the calendar pages: covered years, a year's holidays as ranges, a month grid."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Q

from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay
from gongkai.workdays.notice import ParsedNotice


@dataclass
class HolidayRow:
    name: str
    first: datetime.date
    last: datetime.date
    days: int
    workdays: list[datetime.date] = field(default_factory=list)


@dataclass
class Cell:
    date: datetime.date | None
    state: str = ""  # holiday | workday | weekend | normal
    name: str = ""


def covered_years():
    return CalendarYear.objects.annotate(
        holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
        makeups=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
    ).order_by("-year")


def days_of_year(year: int) -> list[SpecialDay]:
    return list(SpecialDay.objects.filter(date__year=year).order_by("date"))


def holiday_rows(days: list[SpecialDay]) -> list[HolidayRow]:
    """Consecutive holidays of one name as one row; make-up days under the holiday they serve."""
    rows: list[HolidayRow] = []
    holidays = [d for d in days if d.kind == DayKind.HOLIDAY]
    for _key, run in groupby(
        enumerate(holidays), key=lambda p: (p[1].name, p[1].date.toordinal() - p[0])
    ):
        group = [d for _i, d in run]
        rows.append(HolidayRow(group[0].name, group[0].date, group[-1].date, len(group)))
    for day in (d for d in days if d.kind == DayKind.WORKDAY):
        # A make-up day goes with the nearest holiday of its name (春节 has one on each side).
        same = [r for r in rows if r.name == day.name] or rows
        if same:
            nearest = min(
                same,
                key=lambda r: min(abs((r.first - day.date).days), abs((r.last - day.date).days)),
            )
            nearest.workdays.append(day.date)
        else:
            rows.append(HolidayRow(day.name, day.date, day.date, 0, [day.date]))
    return sorted(rows, key=lambda r: r.first)


def notice_rows(notice: ParsedNotice) -> list[HolidayRow]:
    return [
        HolidayRow(e.name, e.holidays[0], e.holidays[-1], len(e.holidays), list(e.workdays))
        for e in notice.entries
    ]


def month_grid(year: int, days: list[SpecialDay]) -> list[dict]:
    """Twelve months of Monday-first weeks, each cell marked 休 / 班 / weekend / normal."""
    by_date = {d.date: d for d in days}
    months = []
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks = []
        for week in weeks_of(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(Cell(None))
                    continue
                special = by_date.get(day)
                if special:
                    cells.append(Cell(day, special.kind, special.name))
                else:
                    cells.append(Cell(day, "weekend" if day.weekday() >= 5 else "normal"))
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


def notice_changes(
    year: int, notice: ParsedNotice
) -> dict[str, list[tuple[datetime.date, str, str]]]:
    """What importing `notice` would add and remove, compared with the stored days."""
    stored = {
        (d.date, d.kind, d.name)
        for d in SpecialDay.objects.filter(
            Q(calendar_year__year=year) | Q(date__in=[day for day, _k, _n in notice.special_days()])
        )
    }
    new = set(notice.special_days())
    return {"added": sorted(new - stored), "removed": sorted(stored - new)}
