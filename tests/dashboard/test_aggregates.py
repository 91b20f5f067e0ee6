"""The dashboard's figures against counts worked out by hand, across 春节 and 国庆 2025:
2025 春节 1月28日–2月4日 off, 1月26日（日） and 2月8日（六） worked; 国庆中秋 10月1日–8日 off,
9月28日（日） and 10月11日（六） worked."""

from __future__ import annotations

import datetime
from collections import Counter

from gongkai.applications.queries import report_counts
from gongkai.catalog.models import VersionState
from gongkai.catalog.queries import late_publications
from gongkai.dashboard import queries
from gongkai.dashboard.spans import WorkdayIndex, mean, median
from gongkai.workdays.calendar import WorkCalendar
from tests.dashboard.conftest import (
    D,
    beijing,
    make_application,
    make_letter,
    make_publication,
    replied,
)


def test_decisions_are_counted_in_the_month_concluded_by_report_group(cast, zhuwang_scope):
    z = cast.zhuwang
    replied(z, D(2025, 1, 6), D(2025, 1, 20))
    replied(z, D(2025, 1, 8), D(2025, 1, 27), decision="3.3.4")
    replied(z, D(2024, 12, 20), D(2025, 1, 10), decision="3.4.1")  # carried in from 2024
    replied(z, D(2025, 2, 10), D(2025, 3, 3), decision="3.2")
    make_application(z, D(2025, 2, 20), concluded=D(2025, 3, 20), decision="3.6.1")
    # Not in 2025's results: concluded in 2024, still open, discarded, another township's.
    replied(z, D(2024, 11, 1), D(2024, 11, 20))
    make_application(z, D(2025, 5, 1))
    make_application(z, D(2025, 4, 1), concluded=D(2025, 4, 10), decision="3.1", state="discarded")
    replied(cast.other_township, D(2025, 1, 6), D(2025, 1, 20))

    table = queries.decisions_by_month(zhuwang_scope, 2025)

    assert table[1] == {"3.1": 1, "3.2": 0, "3.3": 1, "3.4": 1, "3.5": 0, "3.6": 0}
    assert table[3] == {"3.1": 0, "3.2": 1, "3.3": 0, "3.4": 0, "3.5": 0, "3.6": 1}
    assert all(sum(table[m].values()) == 0 for m in (2, 4, 5, 6, 7, 8, 9, 10, 11, 12))
    # The year's total is the annual report's 3.7.
    total = sum(sum(row.values()) for row in table.values())
    assert total == 5 == report_counts(z, 2025)["3.7"]["total"]


def test_on_time_rate_counts_replies_on_or_before_the_due_date(cast, zhuwang_scope):
    z = cast.zhuwang
    replied(z, D(2025, 9, 26), D(2025, 10, 30), due=D(2025, 10, 30))  # on the last day
    replied(z, D(2025, 9, 26), D(2025, 10, 31), due=D(2025, 10, 30))  # one day late
    replied(z, D(2025, 9, 26), D(2025, 10, 15), due=None)  # due date unknown
    replied(z, D(2025, 10, 20), D(2025, 11, 3), due=D(2025, 11, 17))
    # Closed without a reply (逾期不补正): no reply to be on time or late with.
    make_application(
        z, D(2025, 9, 1), concluded=D(2025, 10, 20), decision="3.6.1", due=D(2025, 10, 10)
    )
    replied(cast.other_township, D(2025, 10, 1), D(2025, 12, 30), due=D(2025, 10, 30))

    table = queries.on_time_by_month(zhuwang_scope, 2025)

    october = table[10]
    assert (october.replied, october.on_time, october.late, october.unknown) == (3, 1, 1, 1)
    assert october.rate == 50.0
    assert table[11].rate == 100.0
    assert table[12].replied == 0 and table[12].rate is None
    year = queries.OnTime(
        on_time=sum(t.on_time for t in table.values()),
        late=sum(t.late for t in table.values()),
    )
    assert year.rate == 66.7


def test_working_days_to_reply_skip_national_day_and_count_make_up_days(cast, zhuwang_scope):
    z = cast.zhuwang
    replied(z, D(2025, 9, 26), D(2025, 10, 13))  # 9/28 班, 9/29, 9/30, 10/9, 10/10, 10/11 班, 10/13
    replied(z, D(2025, 9, 26), D(2025, 10, 30))  # the 20th working day (DOMAIN.md example)
    replied(z, D(2025, 9, 30), D(2025, 10, 9))  # only 10/9: the holiday week counts nothing
    replied(z, D(2025, 1, 24), D(2025, 2, 5))  # 1/26 班, 1/27, 2/5 across 春节
    replied(cast.other_township, D(2025, 9, 26), D(2025, 12, 30))

    durations = queries.reply_workdays(zhuwang_scope, 2025)

    assert durations.by_month[10] == Counter({7: 1, 20: 1, 1: 1})
    assert durations.by_month[2] == Counter({3: 1})
    assert durations.provisional == 0
    assert median(durations.all) == 5.0  # (3 + 7) / 2


def test_working_days_in_a_year_without_holiday_data_are_counted_and_marked_provisional(
    cast, zhuwang_scope
):
    replied(cast.zhuwang, D(2026, 12, 28), D(2027, 1, 5))  # the seed data ends with 2026

    durations = queries.reply_workdays(zhuwang_scope, 2027)

    # 12/29, 12/30, 12/31, (1 January off by the 放假办法), 1/4, 1/5.
    assert durations.all == Counter({5: 1})
    assert durations.provisional == 1
    assert durations.provisional_years == {2027}


def test_replies_judged_against_a_provisional_due_date_count_and_are_marked(cast, zhuwang_scope):
    from gongkai.dashboard.charts import on_time_chart

    z = cast.zhuwang
    replied(z, D(2026, 12, 7), D(2026, 12, 30), due=D(2027, 1, 5), due_provisional=True)
    replied(z, D(2026, 11, 2), D(2026, 12, 1), due=D(2026, 11, 30))

    table = queries.on_time_by_month(zhuwang_scope, 2026)

    assert (table[12].on_time, table[12].late, table[12].provisional) == (1, 1, 1)
    chart = on_time_chart(zhuwang_scope, 2026, table)
    assert chart.headline[1] == "50%（暂定）"
    assert any("暂定：1 件" in note for note in chart.notes)


def test_publications_are_counted_by_beijing_date_and_late_after_the_due_date(cast, zhuwang_scope):
    z = cast.zhuwang
    make_publication(z, beijing(D(2025, 1, 1), 0, 30), due=D(2025, 1, 2))  # 2024-12-31 UTC
    make_publication(z, beijing(D(2025, 3, 31), 23, 30), due=D(2025, 3, 31))  # last minute
    make_publication(z, beijing(D(2025, 4, 1), 0, 30), due=D(2025, 3, 31))  # half an hour late
    make_publication(z, beijing(D(2025, 4, 10)), due=None)
    make_publication(z, beijing(D(2025, 4, 15)), due=D(2025, 4, 1), state=VersionState.SECRET)
    make_publication(cast.other_township, beijing(D(2025, 4, 2)), due=D(2025, 3, 1))
    make_publication(z, beijing(D(2024, 12, 31), 23), due=D(2024, 12, 1))

    table = queries.publications_by_month(zhuwang_scope, 2025)

    assert (table[1].published, table[1].late) == (1, 0)
    assert (table[3].published, table[3].late) == (1, 0)
    assert (table[4].published, table[4].late, table[4].unknown) == (2, 1, 1)
    assert table[4].late_share == 100.0  # one late of the one whose due date is known
    assert sum(t.published for t in table.values()) == 4
    # The same definition as the annual report's timeliness figures.
    assert late_publications(z, 2025) == {"published": 4, "late": 1, "due_unknown": 1}


def test_mailbox_response_times_are_working_days_by_month_of_answer(cast, zhuwang_scope):
    z = cast.zhuwang
    make_letter(z, beijing(D(2025, 9, 30), 16), beijing(D(2025, 10, 9), 9))  # 1
    make_letter(z, beijing(D(2025, 10, 9)), beijing(D(2025, 10, 13)))  # 10/10, 10/11 班, 10/13
    make_letter(z, beijing(D(2025, 10, 20)), beijing(D(2025, 10, 27)))  # 5
    make_letter(z, beijing(D(2025, 11, 3)), beijing(D(2025, 11, 4)))  # 1
    make_letter(z, beijing(D(2024, 12, 31), 9), beijing(D(2025, 1, 1), 0, 30))  # 元旦: 0
    make_letter(z, beijing(D(2025, 10, 9)))  # not answered
    make_letter(cast.other_township, beijing(D(2025, 10, 9)), beijing(D(2025, 12, 30)))

    durations = queries.letter_workdays(zhuwang_scope, 2025)

    assert durations is not None
    assert durations.by_month[10] == Counter({1: 1, 3: 1, 5: 1})
    assert median(durations.by_month[10]) == 3.0
    assert durations.by_month[11] == Counter({1: 1})
    assert durations.by_month[1] == Counter({0: 1})


def test_letters_forwarded_to_a_station_count_for_staff_covering_no_organ(cast):
    from gongkai.dashboard.scope import Scope

    station_scope = Scope(cast.station.code, cast.station.name, (cast.station.pk,), by_organ=False)
    make_letter(
        cast.zhuwang,
        beijing(D(2025, 10, 20)),
        beijing(D(2025, 10, 27)),
        forwarded_to=cast.station,
    )
    make_letter(cast.zhuwang, beijing(D(2025, 10, 20)), beijing(D(2025, 10, 21)))

    durations = queries.letter_workdays(station_scope, 2025)

    assert durations is not None
    assert durations.all == Counter({5: 1})


def test_workday_index_agrees_with_the_calendar_day_by_day(db):
    calendar = WorkCalendar()
    first, last = D(2024, 12, 20), D(2025, 10, 20)
    index = WorkdayIndex(first, last)
    days = [first + datetime.timedelta(days=n) for n in range(0, (last - first).days + 1, 4)]
    for a in days[::3]:
        for b in days:
            assert index.between(a, b) == calendar.workdays_between(a, b), (a, b)


def test_median_and_mean_of_counted_values():
    assert median(Counter({1: 2, 5: 1, 9: 1})) == 3.0
    assert median(Counter({4: 3})) == 4.0
    assert median(Counter()) is None
    assert mean(Counter({1: 2, 4: 1})) == 2.0
