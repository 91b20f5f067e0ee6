"""Importing a year's notice: all of it or nothing, audited, other apps told after commit."""

from __future__ import annotations

import datetime

import pytest

from gongkai.accounts.permissions import PermissionDenied
from gongkai.audit.models import AuditEntry
from gongkai.workdays import actions
from gongkai.workdays.calendar import (
    MissingCalendarData,
    add_workdays,
    calendar_changed_callbacks,
    is_workday,
)
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.notice import NoticeError
from tests.workdays.conftest import notice_text

D = datetime.date


@pytest.fixture
def heard():
    years: list[set[int]] = []
    calendar_changed_callbacks.append(years.append)
    yield years
    calendar_changed_callbacks.remove(years.append)


def test_admin_imports_next_year_and_deadlines_cross_into_it(
    cast, notice_2027, heard, django_capture_on_commit_callbacks
):
    with pytest.raises(MissingCalendarData):
        add_workdays(D(2026, 12, 31), 20, strict=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = actions.calendar_import_notice(actor=cast.admin, text=notice_2027, year=2027)
    assert result.notice.holiday_count == 28
    assert add_workdays(D(2026, 12, 31), 20) == D(2027, 1, 29)
    assert not is_workday(D(2027, 2, 8))
    assert is_workday(D(2027, 2, 20))
    year = CalendarYear.objects.get(year=2027)
    assert year.notice_text == notice_2027
    assert year.days.count() == 28 + 5
    entry = AuditEntry.objects.get(action="workdays.calendar_import_notice")
    assert entry.actor_id == cast.admin.pk
    assert entry.unit_id == cast.city.pk
    assert entry.before["days"] == []
    assert ["2027-02-20", "workday", "春节"] in entry.after["days"]
    assert heard == [{2027}]


def test_reimporting_a_year_replaces_its_days(cast, django_capture_on_commit_callbacks):
    text = notice_text("notice_2026.txt").replace(
        "七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。",
        "七、国庆节：10月1日（周四）至8日（周四）放假调休，共8天。9月20日（周日）上班。",
    )
    before = SpecialDay.objects.filter(date__year=2026).count()
    actions.calendar_import_notice(actor=cast.admin, text=text, year=2026)
    assert SpecialDay.objects.filter(date__year=2026).count() == before  # +10-08, -10-10
    assert not is_workday(D(2026, 10, 8))
    assert not is_workday(D(2026, 10, 10))
    assert CalendarYear.objects.get(year=2026).source == actions.NOTICE_SOURCE
    entry = AuditEntry.objects.get(action="workdays.calendar_import_notice")
    assert ["2026-10-10", "workday", "国庆节"] in entry.before["days"]
    assert ["2026-10-10", "workday", "国庆节"] not in entry.after["days"]


def test_garbage_text_stores_nothing_and_audits_nothing(cast):
    days = list(SpecialDay.objects.values_list("date", "kind", "name"))
    with pytest.raises(NoticeError):
        actions.calendar_import_notice(actor=cast.admin, text="这不是通知：随便写的", year=2026)
    assert list(SpecialDay.objects.values_list("date", "kind", "name")) == days
    assert not AuditEntry.objects.filter(action__startswith="workdays.").exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_notice_for_the_wrong_year_stores_nothing(cast):
    with pytest.raises(NoticeError, match="2026 年的安排"):
        actions.calendar_import_notice(
            actor=cast.admin, text=notice_text("notice_2026.txt"), year=2027
        )
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("who", ["drafter", "office_head", "leader", "other_drafter"])
def test_only_an_administrator_may_import_a_notice(cast, notice_2027, who):
    with pytest.raises(PermissionDenied):
        actions.calendar_import_notice(actor=getattr(cast, who), text=notice_2027, year=2027)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_december_start_is_taken_over_from_the_previous_year(
    cast, heard, django_capture_on_commit_callbacks
):
    text = "一、元旦：12月31日（周四）至1月3日（周日）放假，共4天。"
    with django_capture_on_commit_callbacks(execute=True):
        actions.calendar_import_notice(actor=cast.admin, text=text, year=2027)
    day = SpecialDay.objects.get(date=D(2026, 12, 31))
    assert (day.kind, day.name, day.calendar_year.year) == ("holiday", "元旦", 2027)
    assert add_workdays(D(2026, 12, 30), 1) == D(2027, 1, 4)
    assert heard == [{2026, 2027}]


def test_a_failing_listener_does_not_undo_the_import(
    cast, notice_2027, django_capture_on_commit_callbacks
):
    def broken(years):
        raise RuntimeError("boom")

    calendar_changed_callbacks.append(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.calendar_import_notice(actor=None, text=notice_2027, year=2027)
    finally:
        calendar_changed_callbacks.remove(broken)
    assert CalendarYear.objects.filter(year=2027).exists()
