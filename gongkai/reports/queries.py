"""Reads of annual reports used by the staff pages, the portal, the API and the command.

The portal's 政府信息公开年报 column calls `published_reports(unit)`: each result has `title`,
`year`, `url` (also `get_absolute_url()`) and `published_at`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.reports.models import AnnualReport, ReportVersion


def published_reports(unit: Unit) -> list[AnnualReport]:
    """The reports of `unit` with a published version, newest year first."""
    return list(
        AnnualReport.objects.filter(unit=unit, versions__published_at__isnull=False)
        .select_related("unit")
        .distinct()
        .order_by("-year")
    )


def find_organ(value: str) -> Unit | None:
    """An organ by its system code or full name (what the command and the API accept)."""
    value = (value or "").strip()
    if not value:
        return None
    return Unit.objects.filter(Q(code=value) | Q(name=value)).first()


def staff_organs(user: Any, perm: str = "reports.edit") -> QuerySet[Unit]:
    """The organs whose reports `user` may work on, in tree order."""
    return Unit.objects.organs().filter(pk__in=permissions.units_for(user, perm)).order_by("path")


def staff_report(user: Any, code: str, year: int) -> tuple[Unit | None, AnnualReport | None]:
    """The organ (if the user may work on it) and its report for `year` (if started)."""
    organ = staff_organs(user).filter(code=code).first()
    if organ is None:
        return None, None
    return organ, AnnualReport.objects.filter(unit=organ, year=year).first()


def reports_by_organ(organs: list[Unit], years: list[int]) -> dict[tuple[int, int], AnnualReport]:
    found = AnnualReport.objects.filter(unit__in=organs, year__in=years)
    return {(r.unit_id, r.year): r for r in found}


def public_version(code: str, year: int, number: int | None = None) -> ReportVersion | None:
    """A published version of the report of organ `code` for `year`: the newest one, or
    version `number` (a corrected one included)."""
    versions = ReportVersion.objects.select_related("report", "report__unit").filter(
        report__unit__code=code,
        report__unit__is_organ=True,
        report__year=year,
        published_at__isnull=False,
    )
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def published_versions(report: AnnualReport) -> list[ReportVersion]:
    return list(report.versions.filter(published_at__isnull=False).order_by("-number"))


def recent_years(count: int = 4) -> list[int]:
    """Reporting years to offer: last year first (the year being reported on now)."""
    last = timezone.localdate().year - 1
    return [last - i for i in range(count)]


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None
