"""The working-day calendar as data: which years are covered, and the days that differ from the
Monday–Friday rule (statutory holidays and weekend make-up working days, 调休上班).

Nothing here is computed from a library at run time: the seed years come from a data migration
that carries the dates as literals, later years from the State Council notice an administrator
imports (DOMAIN.md §3 "Holiday data")."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year the calendar has data for. A year without a row is not covered: counting through
    it raises MissingCalendarData instead of silently counting weekends only."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("数据来源"), max_length=200)
    notice_text = models.TextField(_("通知原文"), blank=True)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年份")
        verbose_name_plural = _("日历年份")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                name="workdays_year_in_range", condition=Q(year__gte=1949) & Q(year__lte=2200)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


NAME_MAX_LENGTH = 60


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class SpecialDay(models.Model):
    """One day that is not what its weekday says: a holiday (休) or a make-up working day (班)."""

    # The notice (year) that set this day. Usually date.year; a 元旦 that starts on 12月30日
    # belongs to the next year's notice, so re-importing that notice replaces it too.
    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("所属年度通知")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(
        _("名称"), max_length=NAME_MAX_LENGTH, blank=True, help_text=_("如 春节、国庆节")
    )

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="workdays_specialday_kind_valid", condition=Q(kind__in=DayKind.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def weekday_is_workday(day: datetime.date) -> bool:
    """The default rule before holidays and make-up days: Monday to Friday."""
    return day.weekday() < 5
