"""条例26: publish within 20 working days of 成文日期, counted with the holiday calendar."""

import datetime

import time_machine
from django.utils import timezone

from gongkai.catalog import jobs, queries
from tests.catalog.conftest import make_draft, walk


def _at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(day + "T10:00:00+08:00"), tick=False)


def test_due_date_skips_national_day_and_counts_make_up_days(cast):
    with _at("2025-09-29"):
        item = make_draft(cast, formed_date=datetime.date(2025, 9, 26))
    # 2025-09-28 (Sun) and 10-11 (Sat) are make-up working days; 10-01..10-08 are holidays.
    assert item.current_version().due_date == datetime.date(2025, 10, 30)


def test_due_date_across_spring_festival(cast):
    with _at("2025-01-02"):
        item = make_draft(cast, formed_date=datetime.date(2024, 12, 31))
    assert item.current_version().due_date == datetime.date(2025, 2, 5)


def test_a_per_item_legal_period_overrides_the_twenty_days(cast):
    with _at("2025-09-29"):
        item = make_draft(
            cast,
            formed_date=datetime.date(2025, 9, 26),
            legal_period_days=7,
            legal_period_basis="《某法》第十条",
        )
    assert item.current_version().due_date == datetime.date(2025, 10, 13)


def test_due_soon_and_overdue_follow_the_working_day_calendar(cast):
    with _at("2025-09-29"):
        item = make_draft(cast, formed_date=datetime.date(2025, 9, 26))
    with _at("2025-10-27"):  # due 10-30, within 3 working days
        assert list(queries.due_soon(cast.drafter)) == [item.current_version()]
        assert not queries.overdue(cast.drafter).exists()
    with _at("2025-10-31"):
        assert list(queries.overdue(cast.drafter)) == [item.current_version()]
        assert not queries.overdue(cast.other_drafter).exists()


def test_late_publications_are_counted_for_the_annual_report(cast):
    with _at("2025-09-29"):
        on_time = walk(
            cast,
            make_draft(cast, title="按时", formed_date=datetime.date(2025, 9, 26)),
            "published",
        )
        late_item = make_draft(cast, title="超期", formed_date=datetime.date(2025, 9, 26))
    with _at("2025-10-31"):
        walk(cast, late_item, "published")
    assert on_time.published_version.is_late is False
    assert queries.late_publications(cast.zhuwang, 2025) == {
        "published": 2,
        "late": 1,
        "due_unknown": 0,
    }
    assert queries.late_publications(cast.zhuwang, 2024)["published"] == 0


def test_without_calendar_data_the_due_date_is_provisional_and_says_why(
    cast, django_capture_on_commit_callbacks
):
    with _at("2026-12-21"):
        item = make_draft(cast, formed_date=datetime.date(2026, 12, 18))
        version = item.current_version()
        # Counted by the 放假办法 (1 January off): the same date the notice gives below.
        assert version.due_date == datetime.date(2027, 1, 18)
        assert version.due_date_problem.startswith("暂定：2027 年的节假日安排尚未公布")
        assert list(queries.due_unknown(cast.drafter)) == [version]
        assert jobs.fill_unknown_due_dates() == 0
    from gongkai.workdays.actions import calendar_import_notice

    with django_capture_on_commit_callbacks(execute=True):
        calendar_import_notice(
            actor=cast.admin, year=2027, text="一、元旦：1月1日（周五）至3日（周日）放假，共3天。"
        )
    version.refresh_from_db()
    # 2026-12-18 + 20 working days, 2027-01-01 a holiday.
    assert version.due_date == datetime.date(2027, 1, 18)
    assert version.due_date_problem == ""


def test_publication_date_itself_is_today_in_local_time(cast):
    with _at("2025-10-09"):
        item = walk(cast, make_draft(cast, formed_date=datetime.date(2025, 10, 9)), "published")
        assert timezone.localdate(item.published_version.published_at) == datetime.date(2025, 10, 9)
        assert item.index_number == "004362519/2025-00001"
