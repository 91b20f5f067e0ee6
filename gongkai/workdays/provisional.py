"""The provisional calendar of a year whose State Council notice is not in yet (DOMAIN.md §3).

The law fixes the statutory holidays (《全国年节及纪念日放假办法》, as amended in 2024): 元旦
1 January; 春节 农历除夕 and 正月初一至初三; 清明 the 清明 solar-term day; 劳动节 1–2 May;
端午 农历五月初五; 中秋 农历八月十五; 国庆 1–3 October. Its 第六条 (unchanged in 2024) makes
a holiday of all citizens that falls on a Saturday or Sunday up on a working day (补假): here the
first working day after the holiday. Only the weekend shifts (调休) and bridging days are
announced each year, so a deadline can be counted before the notice exists, and be known to be
provisional. Lunar dates and the 清明 day come from `lunar-python`.

The rule in force changed over the years, and `statutory_days` follows it, so the seeded years
can be checked against it (tests/workdays/test_provisional.py):

- 2025 on (国务院令第795号): 13 days, as above;
- 2014–2024 (国务院令第644号): 11 days: 春节 正月初一至初三, 劳动节 1 May only;
- 2008–2013 (国务院令第513号): 11 days: 春节 农历除夕、正月初一、初二;
- before 2008 (国务院令第270号): 10 days: 元旦, 春节 初一至初三, 劳动节 1–3 May, 国庆 1–3 October.

Extraordinary decisions are not rules and are not guessed: EXTRAORDINARY lists the ones the
seeded years contain (2015's 抗战胜利70周年 day, 2020's extended 春节), so the checks know them.

What a notice can still change, and so the conservative bound for alarms: bridging days off move
a deadline later, weekend make-up working days (调休上班) move it earlier. The 2024 调休
principles keep make-up days on weekends close to a holiday; `possible_workdays` takes every
weekend day within MAKEUP_REACH days of a statutory holiday (checked against every seeded year)
as a possible working day, and a 补假 day as possibly not off, which gives the earliest date a
notice could make a deadline.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from lunar_python import Lunar

__all__ = [
    "EXTRAORDINARY",
    "EXTRAORDINARY_LOST",
    "MAKEUP_REACH",
    "holidays",
    "possible_workdays",
    "statutory_count",
    "statutory_days",
]

_ONE_DAY = datetime.timedelta(days=1)
# Weekend days this close (in calendar days) to a holiday may become make-up working days. A
# holiday's days off may run past its statutory days: at most MAX_SPAN days in a row (the 2024
# principles: 春节 and 国庆 eight, 劳动节 five, the others three; 2026's 春节 had nine). The
# seeded years 2008–2026 stay inside (tests/workdays/test_provisional.py checks it).
MAKEUP_REACH = 6
MAX_SPAN = {"春节": 9, "国庆节": 8, "劳动节": 5}
DEFAULT_SPAN = 3

# Holidays decided outside the rules (国务院通知 of the year), as (date, name). Known to the checks
# of the seeded years; never used to count a year without a notice.
EXTRAORDINARY: dict[int, list[tuple[datetime.date, str]]] = {
    2015: [
        (datetime.date(2015, 9, 3), "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
    ],
    # 国办发明电〔2020〕1号: the 春节 holiday extended to 2 February (新冠肺炎疫情防控).
    2020: [
        (datetime.date(2020, 1, 31), "春节"),
        (datetime.date(2020, 2, 1), "春节"),
        (datetime.date(2020, 2, 2), "春节"),
    ],
}
# Working days those decisions took beyond the statutory ones: 2015's 9月3日–4日 off with 9月6日
# (Sunday) worked; 2020's 1月31日 (Friday) and the make-up Saturday 2月1日 that was cancelled.
EXTRAORDINARY_LOST = {2015: 1, 2020: 2}


def _lunar(year: int, month: int, day: int) -> datetime.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> datetime.date:
    solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=64)
def statutory_days(year: int) -> tuple[tuple[str, tuple[datetime.date, ...]], ...]:
    """The statutory holidays of `year` under the rule then in force: (name, days) per
    festival, in date order."""
    new_year = datetime.date(year, 1, 1)
    spring = _lunar(year, 1, 1)
    eve = spring - _ONE_DAY  # 除夕: the last day of the year before, 29 or 30 of the 12th month
    festivals: list[tuple[str, tuple[datetime.date, ...]]] = [("元旦", (new_year,))]
    if year >= 2025:
        festivals.append(("春节", (eve, spring, spring + _ONE_DAY, spring + 2 * _ONE_DAY)))
    elif year >= 2014 or year < 2008:
        festivals.append(("春节", (spring, spring + _ONE_DAY, spring + 2 * _ONE_DAY)))
    else:
        festivals.append(("春节", (eve, spring, spring + _ONE_DAY)))
    if year >= 2008:
        festivals.append(("清明节", (_qingming(year),)))
    if year >= 2025:
        labour = (datetime.date(year, 5, 1), datetime.date(year, 5, 2))
    elif year >= 2008:
        labour = (datetime.date(year, 5, 1),)
    else:
        labour = tuple(datetime.date(year, 5, d) for d in (1, 2, 3))
    festivals.append(("劳动节", labour))
    if year >= 2008:
        festivals.append(("端午节", (_lunar(year, 5, 5),)))
        festivals.append(("中秋节", (_lunar(year, 8, 15),)))
    festivals.append(("国庆节", tuple(datetime.date(year, 10, d) for d in (1, 2, 3))))
    return tuple(sorted(festivals, key=lambda f: f[1][0]))


def statutory_count(year: int) -> int:
    """How many statutory holiday days `year` has under the rule then in force."""
    return sum(len(days) for _name, days in statutory_days(year))


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[datetime.date, str]:
    """The provisional days off of `year`: the statutory holidays, and for each one on a
    Saturday or Sunday a 补假 day, the first working day after its festival (第六条). A day two
    festivals share (中秋 on 3 October 2028) is made up the same way, as 2020's notice did.
    The 补假 day is the first day after the festival that is neither weekend nor already off."""
    off: dict[datetime.date, str] = {}
    doubled: set[tuple[str, datetime.date]] = set()
    for name, days in statutory_days(year):
        for day in days:
            if day in off:  # two festivals on one day (中秋 on 国庆): each is a day off
                doubled.add((name, day))
            off.setdefault(day, name)
    for name, days in statutory_days(year):
        missing = [d for d in days if d.weekday() >= 5 or (name, d) in doubled]
        day = max(days)
        for _missing in missing:
            day += _ONE_DAY
            while day.weekday() >= 5 or day in off:
                day += _ONE_DAY
            off[day] = name
    return off


@lru_cache(maxsize=64)
def possible_workdays(year: int) -> frozenset[datetime.date]:
    """Weekend days that the notice of `year` could make working days (调休上班): those within
    MAKEUP_REACH days of the longest run of days off a holiday may have, the statutory days
    themselves excepted. They may lie in the December before (a 元旦 make-up day)."""
    statutory = {d for _name, days in statutory_days(year) for d in days}
    found = set()
    for name, days in statutory_days(year):
        span = MAX_SPAN.get(name, DEFAULT_SPAN)
        reach = datetime.timedelta(days=span - len(days) + MAKEUP_REACH)
        day, last = min(days) - reach, max(days) + reach
        while day <= last:
            if day.weekday() >= 5 and day not in statutory:
                found.add(day)
            day += _ONE_DAY
    return frozenset(found)


def certain_holidays(year: int) -> frozenset[datetime.date]:
    """The days off no notice can take away: statutory holidays on a weekday. (A 补假 day is
    off somewhere, but the notice may place it elsewhere.)"""
    return frozenset(d for _name, days in statutory_days(year) for d in days if d.weekday() < 5)
