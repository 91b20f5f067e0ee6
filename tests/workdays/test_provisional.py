"""The provisional calendar of a year without a notice (放假办法 as amended in 2024, 第六条's
补假), checked by hand for 2027 and 2028 and against every seeded year, and the conservative
(earliest possible) count the alarms use."""

from __future__ import annotations

import datetime
import importlib
import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.workdays import provisional
from gongkai.workdays.calendar import WorkCalendar, count_workdays
from gongkai.workdays.models import CalendarYear

D = datetime.date
SEED = importlib.import_module("gongkai.workdays.migrations.0002_seed_holidays_2004_2026")


def _seed() -> tuple[dict[datetime.date, str], dict[datetime.date, str]]:
    holidays: dict[datetime.date, str] = {}
    workdays: dict[datetime.date, str] = {}
    for _year, kind, name, dates in SEED.DAYS:
        for day in dates:
            (holidays if kind == "holiday" else workdays)[D.fromisoformat(day)] = name
    return holidays, workdays


HOLIDAYS, MAKEUPS = _seed()


def holiday_year(day: datetime.date, name: str) -> int:
    """The notice a day belongs to: a 元旦 day in December is the next year's."""
    return day.year + 1 if day.month == 12 and name == "元旦" else day.year


def test_2027_by_the_rules_checked_by_hand():
    assert D(2027, 1, 1).weekday() == 4  # 元旦 2027 is a Friday: nothing to make up
    assert provisional.holidays(2027) == {
        D(2027, 1, 1): "元旦",
        # 除夕 is 5 February (Friday); 初一 and 初二 fall on the weekend: made up on 9 and 10 Feb.
        D(2027, 2, 5): "春节",
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",
        D(2027, 2, 9): "春节",
        D(2027, 2, 10): "春节",
        D(2027, 4, 5): "清明节",
        # 1–2 May are Saturday and Sunday: made up on Monday and Tuesday.
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 5, 3): "劳动节",
        D(2027, 5, 4): "劳动节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
        D(2027, 10, 4): "国庆节",
        D(2027, 10, 5): "国庆节",
    }
    assert provisional.statutory_count(2027) == 13


def test_2028_by_the_rules_checked_by_hand():
    off = provisional.holidays(2028)
    assert off[D(2028, 1, 3)] == "元旦"  # 1 January is a Saturday: made up on Monday
    assert [d for d, n in off.items() if n == "春节"] == [
        D(2028, 1, 25),  # 除夕, Tuesday
        D(2028, 1, 26),
        D(2028, 1, 27),
        D(2028, 1, 28),
    ]
    assert off[D(2028, 4, 4)] == "清明节"
    assert off[D(2028, 5, 28)] == off[D(2028, 5, 29)] == "端午节"  # Sunday, made up Monday
    # 中秋 falls on 3 October, a 国庆 day: both are days off, so 1–5 October.
    assert sorted(d for d in off if d.month == 10) == [D(2028, 10, d) for d in range(1, 6)]
    assert len([d for d in off if d.weekday() < 5]) == 13


@pytest.mark.parametrize("year", range(2004, 2027))
def test_every_statutory_weekday_of_the_rule_then_in_force_is_off_in_the_seed(year):
    for _name, days in provisional.statutory_days(year):
        for day in days:
            if day.weekday() < 5:
                assert day in HOLIDAYS, day
    for day, _name in provisional.EXTRAORDINARY.get(year, []):
        assert day in HOLIDAYS


def test_the_rule_has_13_days_from_2025_and_11_from_2008():
    assert [provisional.statutory_count(y) for y in (2025, 2026)] == [13, 13]
    assert {provisional.statutory_count(y) for y in range(2008, 2025)} == {11}
    assert provisional.statutory_count(2007) == 10
    assert {d for d, _n in provisional.EXTRAORDINARY[2020]} == {
        D(2020, 1, 31),
        D(2020, 2, 1),
        D(2020, 2, 2),
    }


@pytest.mark.parametrize("year", range(2008, 2027))
def test_each_seeded_year_loses_exactly_its_statutory_days(year):
    """Bridging days are paid back by make-up days: the working days a notice takes are the
    statutory days (补假 included), plus what an extraordinary decision added (2015, 2020)."""
    lost = sum(
        1 for d, n in HOLIDAYS.items() if holiday_year(d, n) == year and d.weekday() < 5
    ) - sum(1 for d, n in MAKEUPS.items() if holiday_year(d, n) == year)
    assert lost == provisional.statutory_count(year) + provisional.EXTRAORDINARY_LOST.get(year, 0)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_every_seeded_make_up_day_is_one_the_conservative_count_expects(year):
    extraordinary = {n for _d, n in provisional.EXTRAORDINARY.get(year, [])}
    for day, name in MAKEUPS.items():
        if holiday_year(day, name) != year or name in extraordinary:
            continue
        assert day in provisional.possible_workdays(year), (day, name)


def test_the_earliest_count_never_comes_after_the_notice(db):
    """Pretend 2025 and 2026 had no notice: the conservative date is never later than the
    real one, for every start date and the periods the law uses."""
    real = WorkCalendar()
    starts = [D(2024, 12, 2) + datetime.timedelta(days=3 * i) for i in range(240)]
    expected = {(s, n): real.add_workdays(s, n) for s in starts for n in (7, 15, 20, 40)}
    CalendarYear.objects.filter(year__in=[2025, 2026]).delete()
    earliest = WorkCalendar(earliest=True)
    for (start, n), due in expected.items():
        assert earliest.add_workdays(start, n) <= due, (start, n)


def test_a_count_into_a_year_without_notice_is_provisional_with_its_earliest_date(db):
    dated = count_workdays(D(2026, 12, 7), 20)
    assert dated.date == D(2027, 1, 5)  # 1 January off, weekends off
    assert dated.provisional_years == (2027,)
    assert "2027 年的节假日安排尚未公布" in dated.reason
    # 26–27 December and 2–3 January could become make-up working days.
    assert dated.earliest == D(2026, 12, 31)
    assert count_workdays(D(2026, 11, 2), 5).provisional is False


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_without_the_flag_still_exits_3_naming_the_year(db):
    with pytest.raises(CommandError) as raised:
        run("add", "2026-12-07", "20")
    assert raised.value.returncode == 3
    assert "2027" in str(raised.value) and "--provisional" in str(raised.value)


def test_add_provisional_prints_the_date_and_says_so_on_stderr(db):
    out, err = run("add", "2026-12-07", "20", "--provisional")
    assert out.strip() == "2027-01-05"
    assert "暂定" in err and "2027" in err and "2026-12-31" in err


def test_add_provisional_in_covered_years_is_silent(db):
    out, err = run("add", "2025-09-26", "20", "--provisional")
    assert (out.strip(), err) == ("2025-10-30", "")
