"""Reads of the inspection results for the score card, the city view, the export and the
workbench."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.inspection.indicators import BY_CODE, INDICATORS, Indicator
from gongkai.inspection.models import DailyResult, Status

TREND_DAYS = 90


def units_for(user: Any) -> QuerySet[Unit]:
    """The inspected sites (organs) the user may see results of."""
    return permissions.units_for(user, "inspection.view").filter(is_organ=True, is_active=True)


def latest_day(units: Any = None) -> datetime.date | None:
    qs = DailyResult.objects.all()
    if units is not None:
        qs = qs.filter(unit__in=units)
    return qs.aggregate(d=Max("day"))["d"]


@dataclass
class CardRow:
    indicator: Indicator
    result: DailyResult
    since: datetime.date | None = None

    @property
    def status(self) -> str:
        return self.result.status


@dataclass
class Card:
    unit: Unit
    day: datetime.date
    rows: list[CardRow]
    vetoes: list[CardRow] = field(default_factory=list)
    scored: list[CardRow] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if any(r.status == Status.FAIL for r in self.vetoes):
            return "veto"
        if any(r.status in (Status.FAIL, Status.WARNING) for r in self.rows):
            return "warning"
        return "pass"

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def fail_count(self) -> int:
        return self.count(Status.FAIL)

    @property
    def warning_count(self) -> int:
        return self.count(Status.WARNING)


def card(unit: Unit, day: datetime.date | None = None) -> Card | None:
    day = day or latest_day([unit])
    if day is None:
        return None
    results = {r.indicator: r for r in DailyResult.objects.filter(unit=unit, day=day)}
    if not results:
        return None
    history = (
        DailyResult.objects.filter(
            unit=unit, day__lte=day, day__gte=day - datetime.timedelta(days=365)
        )
        .exclude(status=Status.PASS)
        .values_list("indicator", "day")
    )
    passes = dict(
        DailyResult.objects.filter(unit=unit, day__lte=day, status=Status.PASS)
        .values("indicator")
        .annotate(last=Max("day"))
        .values_list("indicator", "last")
    )
    since: dict[str, datetime.date] = {}
    for code, when in history:
        last_ok = passes.get(code)
        if last_ok is not None and when <= last_ok:
            continue
        since[code] = min(since.get(code, when), when)
    rows = [
        CardRow(i, results[i.code], since.get(i.code) if results[i.code].status != "pass" else None)
        for i in INDICATORS
        if i.code in results
    ]
    return Card(
        unit=unit,
        day=day,
        rows=rows,
        vetoes=[r for r in rows if r.indicator.veto],
        scored=[r for r in rows if not r.indicator.veto],
    )


@dataclass
class CityRow:
    unit: Unit
    results: dict[str, DailyResult]
    vetoes: int
    warnings: int
    fails: int
    veto_days: int  # days with a failed veto within the trend window

    @property
    def cells(self) -> list[DailyResult | None]:
        return [self.results.get(i.code) for i in INDICATORS]

    @property
    def verdict(self) -> str:
        if self.vetoes:
            return "veto"
        return "warning" if self.warnings or self.fails else "pass"


SORTS = {
    "name": lambda r: (r.unit.sort_order, r.unit.path),
    "vetoes": lambda r: (-r.vetoes, -r.fails, -r.warnings, r.unit.path),
    "warnings": lambda r: (-r.warnings, -r.vetoes, r.unit.path),
    "fails": lambda r: (-r.fails, -r.vetoes, r.unit.path),
    "trend": lambda r: (-r.veto_days, r.unit.path),
}


def city_rows(units: list[Unit], day: datetime.date, sort: str = "vetoes") -> list[CityRow]:
    by_unit: dict[int, dict[str, DailyResult]] = {}
    for result in DailyResult.objects.filter(unit__in=units, day=day):
        by_unit.setdefault(result.unit_id, {})[result.indicator] = result
    since = day - datetime.timedelta(days=TREND_DAYS - 1)
    veto_days = dict(
        DailyResult.objects.filter(
            unit__in=units, day__gte=since, day__lte=day, is_veto=True, status=Status.FAIL
        )
        .values("unit")
        .annotate(n=Count("day", distinct=True))
        .values_list("unit", "n")
    )
    rows = []
    for unit in units:
        results = by_unit.get(unit.pk, {})
        rows.append(
            CityRow(
                unit=unit,
                results=results,
                vetoes=sum(1 for r in results.values() if r.is_veto and r.status == Status.FAIL),
                warnings=sum(1 for r in results.values() if r.status == Status.WARNING),
                fails=sum(1 for r in results.values() if r.status == Status.FAIL),
                veto_days=veto_days.get(unit.pk, 0),
            )
        )
    if sort.startswith("ind-") and sort[4:] in BY_CODE:
        code = sort[4:]
        order = {Status.FAIL: 0, Status.WARNING: 1, Status.UNMONITORED: 2, Status.PASS: 3}
        rows.sort(
            key=lambda r: (order.get(getattr(r.results.get(code), "status", ""), 4), r.unit.path)
        )
    else:
        rows.sort(key=SORTS.get(sort, SORTS["vetoes"]))
    return rows


def trend(units: list[Unit], day: datetime.date, days: int = TREND_DAYS) -> dict[str, Any]:
    """Per day: units with a failed veto, warnings and fails over all `units`."""
    since = day - datetime.timedelta(days=days - 1)
    rows = (
        DailyResult.objects.filter(unit__in=units, day__gte=since, day__lte=day)
        .values("day")
        .annotate(
            vetoes=Count("pk", filter=Q(is_veto=True, status=Status.FAIL)),
            warnings=Count("pk", filter=Q(status=Status.WARNING)),
            fails=Count("pk", filter=Q(status=Status.FAIL, is_veto=False)),
        )
        .order_by("day")
    )
    return {
        "days": [r["day"].isoformat() for r in rows],
        "vetoes": [r["vetoes"] for r in rows],
        "warnings": [r["warnings"] for r in rows],
        "fails": [r["fails"] for r in rows],
    }


def export_columns() -> list[tuple[str, str]]:
    """(indicator code, title) in the order of INSPECTION_EXPORT_COLUMNS, else all indicators."""
    configured = []
    for part in getattr(settings, "INSPECTION_EXPORT_COLUMNS", []) or []:
        code, _sep, title = part.partition("=")
        code = code.strip()
        if code in BY_CODE:
            configured.append((code, title.strip() or BY_CODE[code].label))
    return configured or [(i.code, i.label) for i in INDICATORS]


def warnings_for(units: list[Unit]) -> list[DailyResult]:
    """Warnings and fails of each unit's latest day, fails of tomorrow first."""
    day = latest_day(units)
    if day is None:
        return []
    return list(
        DailyResult.objects.filter(
            unit__in=units, day=day, status__in=[Status.WARNING, Status.FAIL]
        )
        .select_related("unit")
        .order_by("-fails_tomorrow", "-is_veto", "status", "unit__path")
    )
