"""Counting working days for many (start, end) pairs at once, and summarising the counts.

The dashboard asks "how many working days from receipt to reply" for every case of a year. One
`WorkCalendar` loads the holiday data; `WorkdayIndex` turns it into a running count over the
days of the range, so each pair costs one subtraction instead of a walk through its days.
Counting follows the calendar's rule: working days in (start, end], the start day not counted.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from gongkai.workdays.calendar import WorkCalendar

_ONE_DAY = datetime.timedelta(days=1)


class WorkdayIndex:
    """Working days in (a, b] for any a, b within [first, last], in constant time. Years without
    a holiday notice are counted by the provisional calendar; `provisional_years(a, b)` says
    which of them a count went through."""

    def __init__(
        self, first: datetime.date, last: datetime.date, calendar: WorkCalendar | None = None
    ) -> None:
        if last < first:
            first, last = last, first
        cal = calendar or WorkCalendar()
        years = range(first.year, last.year + 2)
        cal.load(years)
        self.first = first
        self.last = last
        self._origin = first.toordinal()
        self.missing_years = {y for y in years if not cal.covers(y)}
        self._cal = cal
        running = 0
        self._running: list[int] = []
        day = first
        while day <= last:
            if cal.is_workday(day):
                running += 1
            self._running.append(running)
            day += _ONE_DAY

    @classmethod
    def for_pairs(
        cls,
        pairs: Iterable[tuple[datetime.date, datetime.date]],
        calendar: WorkCalendar | None = None,
    ) -> WorkdayIndex | None:
        """An index covering every date of `pairs`, or None when there are none."""
        days = [d for pair in pairs for d in pair]
        if not days:
            return None
        return cls(min(days), max(days), calendar)

    def provisional_years(self, a: datetime.date, b: datetime.date) -> list[int]:
        """The years without a notice the count over (a, b] depends on (empty: final)."""
        if not self.missing_years:
            return []
        return self._cal.provisional_years(a, b)

    def between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days in (a, b]; negative, counting (b, a], when b is before a."""
        if b < a:
            return -self.between(b, a)
        return (
            self._running[b.toordinal() - self._origin]
            - self._running[a.toordinal() - self._origin]
        )


def median(counts: Counter[int]) -> float | None:
    """The median of a multiset given as value -> how many times (None when empty)."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(n: int) -> int:  # the n-th smallest value, 0-based
        seen = 0
        for value, times in ordered:
            seen += times
            if n < seen:
                return value
        raise IndexError(n)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def mean(counts: Counter[int]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    return sum(value * times for value, times in counts.items()) / total
