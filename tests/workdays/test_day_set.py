"""Correcting a single day: administrators only, audited, deadlines move with it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.permissions import PermissionDenied
from gongkai.audit.models import AuditEntry
from gongkai.workdays import actions
from gongkai.workdays.calendar import add_workdays, calendar_changed_callbacks, is_workday
from gongkai.workdays.models import SpecialDay

D = datetime.date


def test_admin_makes_a_day_a_holiday_and_it_is_audited(cast, django_capture_on_commit_callbacks):
    heard: list[set[int]] = []
    calendar_changed_callbacks.append(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.day_set(actor=cast.admin, date=D(2026, 3, 2), kind="holiday", name="地方假日")
    finally:
        calendar_changed_callbacks.remove(heard.append)
    assert not is_workday(D(2026, 3, 2))
    assert add_workdays(D(2026, 2, 28), 1) == D(2026, 3, 3)
    entry = AuditEntry.objects.get(action="workdays.day_set")
    assert entry.actor_id == cast.admin.pk
    assert entry.object_repr == "2026-03-02"
    assert entry.before == {"day": None}
    assert entry.after == {"day": ["2026-03-02", "holiday", "地方假日"]}
    assert heard == [{2026}]


def test_admin_turns_a_make_up_day_back_into_an_ordinary_sunday(cast):
    assert is_workday(D(2025, 9, 28))
    actions.day_set(actor=cast.admin, date=D(2025, 9, 28), kind=None)
    assert not is_workday(D(2025, 9, 28))
    assert not SpecialDay.objects.filter(date=D(2025, 9, 28)).exists()
    entry = AuditEntry.objects.get(action="workdays.day_set")
    assert entry.before == {"day": ["2025-09-28", "workday", "国庆节"]}
    assert entry.after == {"day": None}


def test_setting_a_day_to_what_it_already_is_writes_no_audit_row(cast):
    actions.day_set(actor=cast.admin, date=D(2025, 10, 1), kind="holiday", name="国庆节")
    actions.day_set(actor=cast.admin, date=D(2025, 3, 3), kind=None)
    assert not AuditEntry.objects.filter(action="workdays.day_set").exists()


@pytest.mark.parametrize("who", ["drafter", "office_head", "leader", "station_drafter"])
def test_non_administrators_cannot_edit_a_day(cast, who):
    with pytest.raises(PermissionDenied):
        actions.day_set(actor=getattr(cast, who), date=D(2026, 3, 2), kind="holiday", name="x")
    assert is_workday(D(2026, 3, 2))
    assert not AuditEntry.objects.filter(action="workdays.day_set").exists()


def test_a_weekday_cannot_be_a_make_up_day(cast):
    with pytest.raises(ValidationError) as raised:
        actions.day_set(actor=cast.admin, date=D(2026, 3, 2), kind="workday", name="")
    assert "本来就是工作日" in str(raised.value)
    assert not SpecialDay.objects.filter(date=D(2026, 3, 2)).exists()


def test_a_day_in_a_year_without_data_cannot_be_edited(cast):
    with pytest.raises(ValidationError) as raised:
        actions.day_set(actor=cast.admin, date=D(2027, 3, 1), kind="holiday", name="x")
    assert "2027 年还没有节假日数据" in str(raised.value)
    assert not SpecialDay.objects.filter(date=D(2027, 3, 1)).exists()
