"""Changing the calendar: importing a year's notice, or correcting one day. Each runs in one
transaction with one audit row; apps that keep deadlines hear about it after commit."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.audit.log import record
from gongkai.workdays.calendar import calendar_changed_callbacks
from gongkai.workdays.models import NAME_MAX_LENGTH, CalendarYear, DayKind, SpecialDay
from gongkai.workdays.notice import ParsedNotice, parse_notice

logger = logging.getLogger(__name__)

NOTICE_SOURCE = "国务院办公厅节假日安排通知"


@dataclass(frozen=True)
class ImportResult:
    calendar_year: CalendarYear
    notice: ParsedNotice
    replaced: int  # days that were stored for this year before


def _require_manager(actor: Any) -> Any:
    """The calendar is one for everybody, so the permission is held anywhere; returns the unit
    the audit row is filed under (the highest one the actor manages the calendar for).
    A run from the command line (actor None) is the server operator and needs no role."""
    if actor is None:
        return None
    if not permissions.has_any(actor, "workdays.manage"):
        raise permissions.PermissionDenied(
            f"{getattr(actor, 'username', 'anonymous')} lacks workdays.manage"
        )
    return permissions.units_for(actor, "workdays.manage").order_by("path").first()


def _day_rows(days: list[SpecialDay] | Any) -> list[list[str]]:
    return [[d.date.isoformat(), d.kind, d.name] for d in days]


def _notify(years: set[int]) -> None:
    def run() -> None:
        for callback in list(calendar_changed_callbacks):
            try:
                callback(set(years))
            except Exception:
                # The calendar change is committed; one app failing to recompute must not hide
                # that from the administrator or stop the other apps. Its own job catches up.
                logger.exception("calendar_changed callback %r failed for %s", callback, years)

    transaction.on_commit(run)


@transaction.atomic
def calendar_import_notice(*, actor: Any, text: str, year: int) -> ImportResult:
    """Replace `year`'s holidays and make-up days with those of the notice text."""
    unit = _require_manager(actor)
    notice = parse_notice(text, year)  # raises NoticeError before anything is touched
    calendar_year, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": NOTICE_SOURCE, "notice_text": text}
    )
    old_days = list(calendar_year.days.order_by("date"))
    new_days = notice.special_days()
    new_dates = [d for d, _kind, _name in new_days]
    # A date another year's notice set (a 元旦 beginning in December) goes over to this notice.
    taken_over = list(
        SpecialDay.objects.filter(date__in=new_dates).exclude(calendar_year=calendar_year)
    )
    before = {
        "source": None if created else calendar_year.source,
        "days": _day_rows(old_days),
        "taken_over": _day_rows(taken_over),
    }
    SpecialDay.objects.filter(pk__in=[d.pk for d in old_days + taken_over]).delete()
    SpecialDay.objects.bulk_create(
        SpecialDay(calendar_year=calendar_year, date=day, kind=kind, name=name)
        for day, kind, name in new_days
    )
    calendar_year.source = NOTICE_SOURCE
    calendar_year.notice_text = text
    calendar_year.save()
    record(
        actor=actor,
        action="workdays.calendar_import_notice",
        obj=calendar_year,
        unit=unit,
        before=before,
        after={"source": NOTICE_SOURCE, "days": [[d.isoformat(), k, n] for d, k, n in new_days]},
        note=_("导入 %(year)s 年节假日安排：%(h)s 个放假日，%(w)s 个调休上班日")
        % {"year": year, "h": notice.holiday_count, "w": notice.workday_count},
    )
    years = {year} | {d.year for d in new_dates} | {d.date.year for d in old_days + taken_over}
    _notify(years)
    return ImportResult(calendar_year=calendar_year, notice=notice, replaced=len(old_days))


@transaction.atomic
def day_set(
    *, actor: Any, date: datetime.date, kind: str | None, name: str = ""
) -> SpecialDay | None:
    """Make `date` a holiday, a make-up working day, or (kind None) an ordinary day again.

    Returns the day's row, or None when it is now ordinary."""
    unit = _require_manager(actor)
    name = (name or "").strip()
    if kind is not None and kind not in DayKind.values:
        raise ValidationError({"kind": _("未知的日期类型：%(kind)s") % {"kind": kind}})
    if kind == DayKind.WORKDAY and date.weekday() < 5:
        raise ValidationError(
            {
                "kind": _(
                    "周一至周五本来就是工作日，不必设为调休上班。如要取消这一天的放假，请选择“普通日”。"
                )
            }
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("名称过长。")})
    calendar_year = CalendarYear.objects.select_for_update().filter(year=date.year).first()
    if calendar_year is None:
        raise ValidationError(
            {
                "date": _(
                    "%(year)s 年还没有节假日数据，"
                    "请先导入国务院办公厅 %(year)s 年节假日安排通知，再修改单日。"
                )
                % {"year": date.year}
            }
        )
    current = SpecialDay.objects.select_for_update().filter(date=date).first()
    before = _day_rows([current])[0] if current else None
    if kind is None:
        if current is None:
            return None
        current.delete()
        day = None
    elif current is None:
        day = SpecialDay.objects.create(
            calendar_year=calendar_year, date=date, kind=kind, name=name
        )
    else:
        if (current.kind, current.name) == (kind, name):
            return current
        current.kind, current.name = kind, name
        current.save(update_fields=["kind", "name"])
        day = current
    record(
        actor=actor,
        action="workdays.day_set",
        obj=calendar_year,
        unit=unit,
        before={"day": before},
        after={"day": _day_rows([day])[0] if day else None},
        object_repr=date.isoformat(),
        note=_("修改 %(date)s：%(what)s")
        % {"date": date.isoformat(), "what": DayKind(kind).label if kind else _("普通日")},
    )
    _notify({date.year})
    return day
