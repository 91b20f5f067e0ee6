"""Who sees which applications, the queues, the workbench boxes and the reminders job."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from gongkai.applications import actions, jobs, queries, workbench
from gongkai.applications.models import Reminder
from gongkai.core.models import OutgoingEmail
from tests.applications.conftest import D, at


@pytest.fixture
def emails(cast):
    for user in (cast.drafter, cast.office_reviewer, cast.office_head, cast.station_drafter):
        user.email = f"{user.username}@zhuwang.example"
        user.save(update_fields=["email"])
    return cast


def test_a_sibling_township_drafter_sees_no_applicant_of_zhuwang(cast, make_app):
    app = make_app(D(2025, 9, 26))
    assert not queries.visible_to(cast.other_drafter).exists()
    assert queries.get_visible(cast.other_drafter, app.pk) is None
    assert queries.get_visible(cast.drafter, app.pk) == app
    assert queries.get_visible(cast.admin, app.pk) == app  # the city sees its townships
    with at(D(2025, 10, 31)):
        assert queries.queues_for_user(cast.other_drafter)["overdue"].count() == 0
        assert queries.queues_for_user(cast.drafter)["overdue"].count() == 1


def test_a_station_sees_only_the_cases_assigned_to_it(cast, make_app):
    mine = make_app(D(2025, 9, 26))
    make_app(D(2025, 9, 26))
    assert not queries.visible_to(cast.station_drafter).exists()
    with at(D(2025, 9, 29)):
        actions.application_assign(actor=cast.drafter, application=mine, department=cast.station)
    assert list(queries.visible_to(cast.station_drafter)) == [mine]


def test_queues_follow_the_state(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        actions.application_draft_reply(
            actor=cast.drafter, application=app, decision="3.1", legal_basis="条例第三十六条"
        )
    assert list(queries.awaiting_sign_off(cast.leader)) == [app]
    assert not queries.awaiting_sign_off(cast.drafter).exists()
    with at(D(2025, 10, 27)):
        assert [a.pk for a in queries.queues_for_user(cast.drafter)["due_soon"]] == [app.pk]


def test_workbench_shows_overdue_cases_to_their_staff_only(cast, make_app):
    app = make_app(D(2025, 9, 26))
    request = RequestFactory().get("/staff/")
    with at(D(2025, 10, 31)):
        request.user = cast.drafter
        boxes = {b.title: b for b in workbench.provider(request)}
        assert boxes["依申请公开：已超期"].count == 1
        assert app.number in boxes["依申请公开：已超期"].rows[0]["label"]
        request.user = cast.other_drafter
        assert workbench.provider(request) == []


def test_reminders_are_sent_once_per_threshold_even_after_a_restart(emails, make_app):
    app = make_app(D(2025, 9, 26))
    assert jobs.reminders(today=D(2025, 10, 24)) == 0
    assert jobs.reminders(today=D(2025, 10, 27)) == 1
    assert jobs.reminders(today=D(2025, 10, 28)) == 0  # a restarted worker does not repeat
    mail = OutgoingEmail.objects.get(subject__contains="即将到期")
    assert set(mail.to) == {"reviewer@zhuwang.example", "head@zhuwang.example"}
    # The worker was down until after the deadline: the overdue reminder is not missed.
    assert jobs.reminders(today=D(2025, 11, 5)) == 1
    assert jobs.reminders(today=D(2025, 11, 6)) == 0
    assert set(Reminder.objects.filter(application=app).values_list("kind", flat=True)) == {
        "due_soon",
        "overdue",
    }


def test_a_new_due_date_earns_a_new_reminder_and_the_assignee_hears_too(emails, make_app):
    cast = emails
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        actions.application_assign(
            actor=cast.drafter,
            application=app,
            department=cast.station,
            assignee=cast.station_drafter,
        )
    jobs.reminders(today=D(2025, 10, 27))
    with at(D(2025, 10, 27)):
        ext = actions.application_extend(
            actor=cast.station_drafter, application=app, days=5, reason="档案在外村"
        )
        actions.application_extend_approve(actor=cast.office_head, extension=ext)
    assert jobs.reminders(today=D(2025, 11, 4)) == 1
    latest = OutgoingEmail.objects.filter(subject__contains="2025-11-06").get()
    assert "station@zhuwang.example" in latest.to


def test_a_provisional_due_date_reminds_on_the_earliest_possible_date(emails, make_app):
    make_app(D(2026, 12, 15))  # due 2027-01-13 (暂定), earliest 2027-01-07
    assert jobs.reminders(today=D(2026, 12, 16)) == 0
    assert jobs.reminders(today=D(2027, 1, 5)) == 1
    assert jobs.reminders(today=D(2027, 1, 6)) == 0
    mail = OutgoingEmail.objects.get(subject__contains="即将到期")
    assert "2027-01-07" in mail.subject
    assert "暂定为 2027-01-13" in mail.body and "从严" in mail.body
