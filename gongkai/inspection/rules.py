"""The thresholds of the inspection. Defaults follow 国办秘函〔2019〕19号 where it names a number
(2 weeks, 6 months, 5 and 10 columns, 20 visits a day, 15 s, 5 %, 3 months); the rest are local
practice. Every one can be changed with the INSPECTION_THRESHOLDS setting ("name=number,...")."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Thresholds:
    # 首页不更新: days without new information (veto), and when to warn.
    home_stale_days: int = 14
    home_warn_days: int = 10
    # 栏目不更新: 动态要闻 2 weeks; 通知公告 / 政策文件 6 months; other updatable columns.
    news_stale_days: int = 14
    news_warn_days: int = 10
    notice_stale_days: int = 183
    notice_warn_days: int = 153
    updatable_stale_days: int = 365
    updatable_warn_days: int = 335
    stale_columns_veto: int = 5
    should_update_veto: int = 10
    empty_columns_veto: int = 5
    # 站点无法访问: a week of probes, 20 visits a day, 15 s, 5 %.
    probe_days: int = 7
    probe_visits_per_day: int = 20
    probe_timeout_seconds: int = 15
    probe_fail_percent: float = 5.0
    probe_warn_percent: float = 3.0
    # 互动回应差: a valid message unanswered for more than 3 months within the past year.
    letter_unanswered_days: int = 90
    letter_warn_days: int = 60
    letter_window_days: int = 365
    # 政策解读: days after the policy within which its interpretation must be out (the city's rule).
    interpretation_days: int = 3
    interpretation_window_days: int = 365
    # Links: broken links on the home page fail at once; elsewhere from this many.
    home_broken_links_fail: int = 1
    other_broken_links_fail: int = 5
    broken_attachments_fail: int = 3
    # Wrong wording that is not serious: fail from this many hits.
    wrong_forms_fail: int = 3
    # 指南: reviewed within this many days (warning after).
    guide_review_days: int = 365
    # 年报: warn this many days before the deadline while unpublished.
    annual_report_warn_days: int = 14
    # 有效性: 行政规范性文件 are valid for at most 5 years unless renewed; warn this much earlier.
    normative_valid_years: int = 5
    normative_warn_days: int = 60
    # 20-working-day timeliness: late publications within this many days give a warning.
    late_window_days: int = 30


def current() -> Thresholds:
    """The thresholds with the INSPECTION_THRESHOLDS overrides applied."""
    overrides = getattr(settings, "INSPECTION_THRESHOLDS", {}) or {}
    known = {f.name: f for f in fields(Thresholds)}
    values = {}
    for name, raw in overrides.items():
        if name not in known:
            raise ImproperlyConfigured(
                f"INSPECTION_THRESHOLDS: unknown name {name!r} (known: {', '.join(sorted(known))})"
            )
        try:
            values[name] = float(raw) if known[name].type == "float" else int(raw)
        except ValueError:
            raise ImproperlyConfigured(
                f"INSPECTION_THRESHOLDS: {name}={raw!r} is not a number"
            ) from None
    return Thresholds(**values)
