"""The reply deadline, counted in working days across 国庆 and 春节 (DOMAIN.md §3 examples)."""

from __future__ import annotations

import pytest

from gongkai.applications import actions, deadlines
from gongkai.applications.deadlines import Interval
from gongkai.applications.models import Application
from gongkai.workdays import actions as workday_actions
from gongkai.workdays.calendar import MissingCalendarData, WorkCalendar, add_workdays
from tests.applications.conftest import D, at
from tests.workdays.conftest import notice_text


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (D(2025, 9, 26), 20, D(2025, 10, 30)),
        (D(2025, 9, 26), 7, D(2025, 10, 13)),
        (D(2024, 12, 31), 20, D(2025, 2, 5)),
        (D(2026, 2, 10), 40, D(2026, 4, 14)),
    ],
)
def test_reply_due_matches_the_official_examples(db, received, n, due):
    assert deadlines.reply_due(received, limit=n) == due


def test_reply_due_is_twenty_working_days_across_national_day(db):
    assert deadlines.reply_due(D(2025, 9, 26)) == D(2025, 10, 30)


def test_reply_due_across_spring_festival(db):
    assert deadlines.reply_due(D(2024, 12, 31)) == D(2025, 2, 5)


def test_an_extension_of_twenty_days_gives_forty_working_days(db):
    assert deadlines.reply_due(D(2026, 2, 10), extension_days=20) == D(2026, 4, 14)


def test_correction_notice_is_due_within_seven_working_days(db):
    assert deadlines.correction_notice_due(D(2025, 9, 26)) == D(2025, 10, 13)


def test_consultation_due_is_fifteen_working_days_after_the_letter(db):
    assert deadlines.consultation_due(D(2025, 10, 9)) == D(2025, 10, 29)


def test_working_days_inside_an_excluded_interval_do_not_count(db):
    # 10-09 and 10-10 are working days right after 国庆: the deadline moves two working days.
    excluded = [Interval(D(2025, 10, 9), D(2025, 10, 10))]
    assert deadlines.reply_due(D(2025, 9, 26), excluded=excluded) == D(2025, 11, 3)


def test_holidays_inside_an_excluded_interval_cost_nothing_extra(db):
    # The whole 国庆 holiday excluded: no working day in it, the deadline does not move.
    excluded = [Interval(D(2025, 10, 1), D(2025, 10, 8))]
    assert deadlines.reply_due(D(2025, 9, 26), excluded=excluded) == D(2025, 10, 30)


def test_overlapping_intervals_exclude_each_day_once(db):
    excluded = [
        Interval(D(2025, 10, 9), D(2025, 10, 10)),
        Interval(D(2025, 10, 10), D(2025, 10, 10)),
    ]
    assert deadlines.reply_due(D(2025, 9, 26), excluded=excluded) == D(2025, 11, 3)


def test_consultation_interval_starts_the_day_after_the_letter_and_ends_on_reply():
    interval = deadlines.consultation_interval(D(2025, 10, 9), D(2025, 10, 14), D(2025, 10, 29))
    assert (interval.start, interval.end) == (D(2025, 10, 10), D(2025, 10, 14))


def test_a_late_opinion_ends_the_interval_when_the_fifteen_days_ran_out():
    interval = deadlines.consultation_interval(D(2025, 10, 9), D(2025, 11, 20), D(2025, 10, 29))
    assert interval.end == D(2025, 10, 29)


def test_a_strict_calendar_names_the_missing_year_instead_of_guessing(db):
    with pytest.raises(MissingCalendarData) as info:
        deadlines.reply_due(D(2026, 12, 15), calendar=WorkCalendar(strict=True))
    assert info.value.year == 2027


def test_deadline_status_counts_working_days_not_calendar_days(db, settings):
    settings.DUE_SOON_WORKDAYS = 3
    due = D(2025, 10, 13)
    # Weekends only would say 3 working days remain on 10-08; the make-up Saturday 10-11 and
    # the holiday make it 4: not yet due soon.
    assert deadlines.status_for(due, today=D(2025, 10, 8)) == "on_time"
    assert deadlines.status_for(due, today=D(2025, 10, 9)) == "due_soon"
    assert deadlines.status_for(due, today=D(2025, 10, 13)) == "due_soon"
    assert deadlines.status_for(due, today=D(2025, 10, 14)) == "overdue"


# -- on real cases ---------------------------------------------------------------------------


def test_registered_case_stores_its_due_date(cast, make_app):
    app = make_app(D(2025, 9, 26))
    assert app.due_date == D(2025, 10, 30)
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 10, 30)


def test_consultation_interval_moves_the_stored_due_date(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        consultation = actions.application_consult(
            actor=cast.drafter,
            application=app,
            party="third_party",
            party_name="乳山市某公司",
            delivery="in_person",
        )
    assert consultation.due_date == D(2025, 10, 29)
    # Unanswered, the whole 15 WD are excluded: 4 counted before, 16 after 10-29.
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 11, 20)
    with at(D(2025, 10, 14)):
        actions.application_consultation_reply(
            actor=cast.drafter,
            consultation=consultation,
            reply_date=D(2025, 10, 14),
            opinion="objection",
            opinion_text="涉及商业秘密",
        )
    # 10-10, 10-11 (make-up Saturday), 10-13, 10-14 excluded: four working days.
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 11, 5)


def test_fee_interval_runs_from_the_day_after_the_notice_to_payment(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        fee = actions.application_fee_notice(
            actor=cast.drafter, application=app, method="per_page", quantity=120
        )
    assert fee.amount == 1100  # 70 pages at 10 + 20 pages at 20
    assert fee.payment_due == add_workdays(D(2025, 10, 9), 20)
    with at(D(2025, 10, 14)):
        actions.application_fee_paid(actor=cast.drafter, application=app, paid_date=D(2025, 10, 14))
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 11, 5)


def test_approved_extension_adds_its_days(cast, make_app):
    app = make_app(D(2026, 2, 10))
    with at(D(2026, 3, 2)):
        ext = actions.application_extend(
            actor=cast.drafter, application=app, days=20, reason="需要调取多个站所档案"
        )
        assert Application.objects.get(pk=app.pk).due_date == D(2026, 3, 16)  # not yet
        actions.application_extend_approve(actor=cast.office_head, extension=ext)
    assert Application.objects.get(pk=app.pk).due_date == D(2026, 4, 14)


def test_corrected_application_restarts_the_clock(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 9, 29)):
        actions.application_request_correction(
            actor=cast.drafter,
            application=app,
            items="请写明所需信息的年份",
            period_end=D(2025, 10, 20),
        )
    assert Application.objects.get(pk=app.pk).due_date is None
    with at(D(2025, 10, 13)):
        actions.application_receive_correction(
            actor=cast.drafter, application=app, received_date=D(2025, 10, 13)
        )
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 11, 10)


def test_a_missing_year_gives_a_provisional_due_date_and_its_earliest_one(cast, make_app):
    app = make_app(D(2026, 12, 15))
    app.refresh_from_db()
    # 1 January off, weekends off: the 20th working day is 13 January.
    assert (app.due_date, app.due_provisional) == (D(2027, 1, 13), True)
    # If 26–27 December and 2–3 January became make-up working days: 7 January.
    assert app.due_earliest == app.due_alarm == D(2027, 1, 7)
    assert app.deadline_status(today=D(2026, 12, 16)) == "on_time"
    assert app.deadline_status(today=D(2027, 1, 8)) == "overdue"  # conservative


def test_importing_the_missing_year_recomputes_open_cases(
    cast, make_app, django_capture_on_commit_callbacks
):
    app = make_app(D(2026, 12, 15))
    with django_capture_on_commit_callbacks(execute=True):
        workday_actions.calendar_import_notice(
            actor=cast.admin, text=notice_text("notice_2027_invented.txt"), year=2027
        )
    app.refresh_from_db()
    assert (app.due_provisional, app.due_earliest) == (False, None)
    assert app.due_date == add_workdays(D(2026, 12, 15), 20)
    assert app.events.filter(kind="due_recomputed").exists()


def test_a_calendar_change_of_an_unrelated_year_leaves_cases_alone(cast, make_app):
    app = make_app(D(2025, 9, 26))
    assert deadlines.recompute_count({2030}) == 0
    app.refresh_from_db()
    assert app.due_date == D(2025, 10, 30)
