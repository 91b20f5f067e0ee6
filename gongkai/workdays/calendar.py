"""Counting working days (工作日), as DOMAIN.md §3 "Counting convention" says.

Working days are Monday–Friday, minus statutory holidays, plus the weekend make-up days (调休上班).
The starting day is not counted (民法典 201): the due date is the N-th working day after it.

A year without data is never counted as weekends only. By default it is counted by the
provisional calendar (gongkai.workdays.provisional: the statutory holidays of the 放假办法 and
their 补假), and `provisional_years(a, b)` tells which missing notices a count depends on, so
the result can be shown as 暂定. `WorkCalendar(strict=True)` raises MissingCalendarData naming
the year instead (the `gongkai workdays add` contract). `WorkCalendar(earliest=True)` counts the
earliest date any notice could give: every weekend day a notice could make a working day counts,
and only the statutory days on weekdays are off (the bound conservative alarms use).
For many counts in a row (recomputing every open application's deadline) make one WorkCalendar
and reuse it: it loads each year's days once.

Other apps that store deadlines register a callable in `calendar_changed_callbacks` from their
AppConfig.ready(); it is called after commit with the set of years whose calendar changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from gongkai.workdays import provisional
from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay

__all__ = [
    "Dated",
    "MissingCalendarData",
    "WorkCalendar",
    "add_workdays",
    "calendar_changed_callbacks",
    "count_workdays",
    "is_workday",
    "on_calendar_changed",
    "provisional_reason",
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


def provisional_reason(years: Iterable[int]) -> str:
    """Why a date is provisional, in words an applicant can read (no instruction to anyone)."""
    names = "、".join(str(y) for y in sorted(set(years)))
    return gettext(
        "%(years)s 年的节假日安排尚未公布，此日期按《全国年节及纪念日放假办法》规定的法定节假日"
        "推算，以国务院办公厅公布的安排为准"
    ) % {"years": names}


# A December day of a covered year can still move with the next year's notice (a 元旦 make-up
# day, or 元旦 days off starting on 30 December).
_DECEMBER_REACH = 20


class WorkCalendar:
    """The calendar in memory, loaded a few years at a time. Not shared between requests:
    make one per request or per job run, so an import shows up on the next one."""

    def __init__(self, *, strict: bool = False, earliest: bool = False) -> None:
        self.strict = strict
        self.earliest = earliest
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

    def _require(self, year: int) -> bool:
        """Whether `year` has data (loading it); strict calendars raise when it has none."""
        if year not in self._loaded:
            self.load(range(year, year + _PREFETCH_YEARS))
        if year in self._covered:
            return True
        if self.strict:
            raise MissingCalendarData(year)
        return False

    def _uncertain_december(self, day: datetime.date) -> bool:
        return day.month == 12 and day.day > 31 - _DECEMBER_REACH and not self.covers(day.year + 1)

    def is_workday(self, day: datetime.date) -> bool:
        if not self._require(day.year):
            return self._provisional_workday(day)
        kind = self._kinds.get(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        if (
            self.earliest
            and day.weekday() >= 5
            and self._uncertain_december(day)
            and day in provisional.possible_workdays(day.year + 1)
        ):
            return True
        return day.weekday() < 5

    def _provisional_workday(self, day: datetime.date) -> bool:
        if not self.earliest:
            return day.weekday() < 5 and day not in provisional.holidays(day.year)
        if day.weekday() < 5:
            return day not in provisional.certain_holidays(day.year)
        return day in provisional.possible_workdays(day.year) or (
            day.month == 12 and day in provisional.possible_workdays(day.year + 1)
        )

    def provisional_years(self, a: datetime.date, b: datetime.date) -> list[int]:
        """The years without a notice that a count over (a, b] depends on (empty when the count
        is final). A count ending in late December depends on the next year's notice too."""
        if b < a:
            a, b = b, a
        years = set(range((a + _ONE_DAY).year, b.year + 1))
        if b.month == 12 and b.day > 31 - _DECEMBER_REACH:
            years.add(b.year + 1)
        self.load(years)
        return sorted(y for y in years if y not in self._covered)

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


@dataclass(frozen=True)
class Dated:
    """A date counted in working days, and whether it is final. While a year it depends on has
    no notice it is provisional (暂定), and `earliest` is the earliest date a notice could make
    it: alarms fire on that one (`alarm`)."""

    date: datetime.date
    provisional_years: tuple[int, ...] = ()
    earliest: datetime.date | None = None

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def alarm(self) -> datetime.date:
        return self.earliest or self.date

    @property
    def reason(self) -> str:
        return provisional_reason(self.provisional_years) if self.provisional else ""


def count_workdays(
    start: datetime.date,
    n: int,
    calendar: WorkCalendar | None = None,
    earliest_calendar: WorkCalendar | None = None,
) -> Dated:
    """The n-th working day after `start`, marked provisional when it depends on a year without
    a notice (then also the earliest date a notice could make it)."""
    cal = calendar or WorkCalendar()
    due = cal.add_workdays(start, n)
    years = cal.provisional_years(start, due)
    if not years:
        return Dated(due)
    early = (earliest_calendar or WorkCalendar(earliest=True)).add_workdays(start, n)
    return Dated(due, tuple(years), min(early, due))


def is_workday(day: datetime.date, *, strict: bool = False) -> bool:
    return WorkCalendar(strict=strict).is_workday(day)


def add_workdays(start: datetime.date, n: int, *, strict: bool = False) -> datetime.date:
    """The due date: the n-th working day after `start`, provisional through a year without
    data (strict: raises MissingCalendarData naming the year instead)."""
    return WorkCalendar(strict=strict).add_workdays(start, n)


def workdays_between(a: datetime.date, b: datetime.date, *, strict: bool = False) -> int:
    """Working days in (a, b]: how many of a deadline's days have run by `b`."""
    return WorkCalendar(strict=strict).workdays_between(a, b)
