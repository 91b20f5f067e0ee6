"""Counting working days (DOMAIN.md §3): the worked examples, missing years, and the seed data."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays.calendar import (
    MissingCalendarData,
    WorkCalendar,
    add_workdays,
    is_workday,
    workdays_between,
)
from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay

D = datetime.date


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2025, 9, 26), 20, D(2025, 10, 30)),
        (D(2025, 9, 26), 7, D(2025, 10, 13)),
        (D(2024, 12, 31), 20, D(2025, 2, 5)),
        (D(2026, 2, 10), 40, D(2026, 4, 14)),
    ],
)
def test_it_gives_the_due_dates_checked_against_the_official_notices(db, start, n, due):
    assert add_workdays(start, n) == due


def test_make_up_days_count_and_national_day_does_not(db):
    # 2025-09-28 (Sunday) and 2025-10-11 (Saturday) are make-up working days.
    assert is_workday(D(2025, 9, 28))
    assert is_workday(D(2025, 10, 11))
    assert not any(is_workday(D(2025, 10, day)) for day in range(1, 9))
    assert add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)


def test_a_deadline_across_spring_festival_skips_the_whole_holiday(db):
    # 2026 春节: 2月15日–23日 off, 2月14日 (Sat) and 2月28日 (Sat) working.
    assert add_workdays(D(2026, 2, 12), 1) == D(2026, 2, 13)
    assert add_workdays(D(2026, 2, 12), 2) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14, 24, 25, 26, 27, 28


def test_the_starting_day_is_not_counted_even_when_it_is_a_working_day(db):
    assert add_workdays(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert add_workdays(D(2025, 3, 3), 0) == D(2025, 3, 3)


def test_a_count_received_on_a_holiday_starts_after_the_holiday(db):
    assert add_workdays(D(2025, 10, 3), 1) == D(2025, 10, 9)


def test_workdays_between_counts_the_half_open_interval(db):
    assert workdays_between(D(2025, 9, 26), D(2025, 10, 30)) == 20
    assert workdays_between(D(2025, 9, 26), D(2025, 9, 26)) == 0
    assert workdays_between(D(2025, 10, 30), D(2025, 9, 26)) == -20


def test_a_strict_count_names_the_missing_year_instead_of_counting_weekends(db):
    with pytest.raises(MissingCalendarData) as raised:
        add_workdays(D(2026, 12, 31), 20, strict=True)
    assert raised.value.year == 2027
    assert "2027" in str(raised.value)
    assert "缺少 2027 年的节假日数据" in str(raised.value)


def test_a_count_that_stays_inside_covered_years_does_not_need_the_next_year(db):
    assert add_workdays(D(2026, 12, 1), 5) == D(2026, 12, 8)


def test_a_year_with_special_days_but_no_calendar_year_row_is_not_covered(db):
    CalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(MissingCalendarData) as raised:
        is_workday(D(2026, 3, 2), strict=True)
    assert raised.value.year == 2026


def test_a_missing_year_before_the_data_is_named_too(db):
    with pytest.raises(MissingCalendarData) as raised:
        add_workdays(D(2003, 12, 1), 5, strict=True)
    assert raised.value.year == 2003


def test_it_reads_the_calendar_in_a_few_queries_whatever_the_length(
    db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert add_workdays(D(2025, 1, 2), 200) > D(2025, 10, 1)
    calendar = WorkCalendar()
    calendar.load(range(2004, 2027))
    with django_assert_max_num_queries(0):
        for month in range(1, 13):
            calendar.add_workdays(D(2020, month, 1), 20)


def test_the_seed_migration_holds_exactly_chinesecalendar_for_2004_to_2026(db):
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= set(range(2004, 2027))
    calendar = WorkCalendar()
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)
    from chinese_calendar.constants import holidays, workdays

    stored = dict(SpecialDay.objects.values_list("date", "kind"))
    expected = {d: DayKind.HOLIDAY for d in holidays} | {d: DayKind.WORKDAY for d in workdays}
    assert stored == {d: k.value for d, k in expected.items()}


def test_seed_holiday_names_are_chinese(db):
    assert SpecialDay.objects.get(date=D(2026, 2, 17)).name == "春节"
    assert SpecialDay.objects.get(date=D(2025, 10, 6)).name == "中秋节"
    assert SpecialDay.objects.get(date=D(2024, 4, 4)).name == "清明节"
    names = set(SpecialDay.objects.values_list("name", flat=True))
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names
    assert all(not name.isascii() for name in names)


def test_due_dates_are_monotonic_and_working_days(db):
    calendar = WorkCalendar()
    calendar.load(range(2004, 2027))
    dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30))
    counts = st.integers(min_value=0, max_value=50)

    @settings(max_examples=300, deadline=None)
    @given(start=dates, later=st.integers(min_value=0, max_value=60), n=counts, more=counts)
    def check(start, later, n, more):
        due = calendar.add_workdays(start, n)
        assert due >= start
        if n:
            assert calendar.is_workday(due)
            assert calendar.workdays_between(start, due) == n
        assert calendar.add_workdays(start, n + more) >= due
        if start + datetime.timedelta(days=later) <= D(2026, 6, 30):
            assert calendar.add_workdays(start + datetime.timedelta(days=later), n) >= due

    check()
