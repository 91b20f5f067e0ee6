"""Counting working days (工作日), as DOMAIN.md §3 "Counting convention" says.

Working days are Monday–Friday, minus statutory holidays, plus the weekend make-up days (调休上班).
The starting day is not counted (民法典 201): the due date is the N-th working day after it.

A year without data is never counted as weekends only: MissingCalendarData names the year so an
administrator can import that year's notice. For many counts in a row (recomputing every open
application's deadline) make one WorkCalendar and reuse it: it loads each year's days once.

Other apps that store deadlines register a callable in `calendar_changed_callbacks` from their
AppConfig.ready(); it is called after commit with the set of years whose calendar changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils.translation import gettext

from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay

__all__ = [
    "MissingCalendarData",
    "WorkCalendar",
    "add_workdays",
    "calendar_changed_callbacks",
    "is_workday",
    "on_calendar_changed",
    "workdays_between",
]

# Called after commit with the set of years whose calendar changed. Register in AppConfig.ready().
calendar_changed_callbacks: list[Callable[[set[int]], None]] = []

# Years fetched per query when a count needs a year it has not loaded yet: a 20-day count needs
# one or two years, so fetching the next two as well saves a query without fetching much.
_PREFETCH_YEARS = 3
_ONE_DAY = datetime.timedelta(days=1)


def on_calendar_changed(func: Callable[[set[int]], None]) -> Callable[[set[int]], None]:
    """Register `func(years)` to run after a calendar change commits; usable as a decorator."""
    if func not in calendar_changed_callbacks:
        calendar_changed_callbacks.append(func)
    return func


class MissingCalendarData(Exception):
    """A count needs a year for which no holiday data has been loaded."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            gettext("缺少 %(year)s 年的节假日数据：请导入国务院办公厅 %(year)s 年节假日安排通知")
            % {"year": year}
        )


class WorkCalendar:
    """The calendar in memory, loaded a few years at a time. Not shared between requests:
    make one per request or per job run, so an import shows up on the next one."""

    def __init__(self) -> None:
        self._covered: set[int] = set()
        self._loaded: set[int] = set()
        self._kinds: dict[datetime.date, str] = {}

    def load(self, years: Iterable[int]) -> None:
        """Fetch the data of `years` (two queries, whatever the number of years)."""
        wanted = sorted(set(years) - self._loaded)
        if not wanted:
            return
        self._covered.update(
            CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True)
        )
        rows = SpecialDay.objects.filter(
            date__gte=datetime.date(wanted[0], 1, 1), date__lte=datetime.date(wanted[-1], 12, 31)
        ).values_list("date", "kind")
        for day, kind in rows:
            if day.year in wanted:
                self._kinds[day] = kind
        self._loaded.update(wanted)

    def covers(self, year: int) -> bool:
        self.load([year])
        return year in self._covered

    def _require(self, year: int) -> None:
        if year not in self._loaded:
            self.load(range(year, year + _PREFETCH_YEARS))
        if year not in self._covered:
            raise MissingCalendarData(year)

    def is_workday(self, day: datetime.date) -> bool:
        self._require(day.year)
        kind = self._kinds.get(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5

    def add_workdays(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (start itself not counted); `start` when n is 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += _ONE_DAY
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days in (a, b]; negative, counting (b, a], when b is before a."""
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        day = a
        while day < b:
            day += _ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_workday(day):
            day += _ONE_DAY
        return day


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The due date: the n-th working day after `start`. Raises MissingCalendarData."""
    return WorkCalendar().add_workdays(start, n)


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """Working days in (a, b]: how many of a deadline's days have run by `b`."""
    return WorkCalendar().workdays_between(a, b)
