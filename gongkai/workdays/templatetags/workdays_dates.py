"""Dates as the notices write them: 2月15日（周日）; Django's "D" is English here."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def weekday_name(day: datetime.date) -> str:
    names = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
    return names[day.weekday()]


@register.filter
def md_weekday(day: datetime.date | None) -> str:
    """2月15日（周日）"""
    if not isinstance(day, datetime.date):
        return ""
    return _("%(m)s月%(d)s日（%(w)s）") % {"m": day.month, "d": day.day, "w": weekday_name(day)}


@register.filter
def ymd_weekday(day: datetime.date | None) -> str:
    """2026年2月15日（周日）"""
    if not isinstance(day, datetime.date):
        return ""
    return _("%(y)s年%(m)s月%(d)s日（%(w)s）") % {
        "y": day.year,
        "m": day.month,
        "d": day.day,
        "w": weekday_name(day),
    }
