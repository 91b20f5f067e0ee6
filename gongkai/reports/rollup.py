"""The city roll-up: the finalised reports of every disclosure organ at and below a unit summed,
the organs late against their deadline, and the organs side by side.

Only organs count (DOMAIN.md §1: sums over units add organs only, so nothing is counted twice);
the city's own report is one row like any other. A report counts in the sums once it is
finalised (its newest finalised or published version); drafts and missing reports are listed,
not guessed. Reports in another format than the year's (a 2020 report in the 2021 format) are
listed but not summed, since their tables differ.

Deadlines (条例49): settings.REPORT_DEADLINE_MONTH_DAY gives, per kind of organ, the day of the
following year by which the report must be published.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit, UnitKind
from gongkai.reports import checks, formats
from gongkai.reports.models import AnnualReport, ReportVersion

_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
DEFAULT_KIND = UnitKind.CITY


KINDS = (UnitKind.CITY, UnitKind.DEPARTMENT, UnitKind.TOWNSHIP)


def parse_deadlines(table: dict[str, str], raw: str | None = None) -> dict[str, tuple[int, int]]:
    """settings.REPORT_DEADLINE_MONTH_DAY checked: known kinds, every value a real MM-DD.
    `raw`, the environment variable as typed, is checked for parts without "=" as well."""
    name = "REPORT_DEADLINE_MONTH_DAY"
    for part in (raw or "").split(","):
        if part.strip() and "=" not in part:
            raise ImproperlyConfigured(f"{name}: {part.strip()!r} is not kind=MM-DD")
    parsed = {}
    for kind, value in table.items():
        kind = kind.strip()
        if kind not in KINDS:
            raise ImproperlyConfigured(
                f"{name}: unknown kind {kind!r} (use {', '.join(str(k) for k in KINDS)})"
            )
        match = _MONTH_DAY.match(str(value).strip())
        try:
            if match is None:
                raise ValueError
            month, day = int(match.group(1)), int(match.group(2))
            datetime.date(2024, month, day)  # a leap year: 02-29 is accepted
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {kind}={value!r} is not a date in MM-DD form"
            ) from None
        parsed[kind] = (month, day)
    return parsed


def deadline_for(unit: Unit, year: int) -> datetime.date:
    """The day by which `unit` must publish its report for `year`."""
    table = parse_deadlines(settings.REPORT_DEADLINE_MONTH_DAY)
    month, day = table.get(unit.kind) or table.get(DEFAULT_KIND, (3, 31))
    try:
        return datetime.date(year + 1, month, day)
    except ValueError:  # 02-29 in a common year
        return datetime.date(year + 1, month, 28)


# (json key, label, how to read it from a document)
def _sum_rows(doc: dict[str, Any], prefix: str) -> int:
    return sum(v["total"] for k, v in doc["applications"].items() if k.startswith(prefix))


KEY_FIGURES: list[tuple[str, Any, Any]] = [
    ("new", _("新收申请"), lambda d: d["applications"]["1"]["total"]),
    ("carried_in", _("上年结转"), lambda d: d["applications"]["2"]["total"]),
    ("concluded", _("办结"), lambda d: d["applications"]["3.7"]["total"]),
    ("disclosed", _("予以公开"), lambda d: d["applications"]["3.1"]["total"]),
    ("partly", _("部分公开"), lambda d: d["applications"]["3.2"]["total"]),
    ("withheld", _("不予公开"), lambda d: _sum_rows(d, "3.3")),
    ("carried_out", _("结转下年度"), lambda d: d["applications"]["4"]["total"]),
    ("reconsideration", _("行政复议"), lambda d: d["remedies"]["reconsideration"]["total"]),
    (
        "litigation",
        _("行政诉讼"),
        lambda d: (
            d["remedies"]["litigation_direct"]["total"]
            + d["remedies"]["litigation_after_reconsideration"]["total"]
        ),
    ),
    (
        "normative_in_force",
        _("现行有效规范性文件"),
        lambda d: d["proactive"]["normative_document"].get(
            "in_force", d["proactive"]["normative_document"].get("total_public", 0)
        ),
    ),
]


@dataclass
class OrganRow:
    unit: Unit
    report: AnnualReport | None
    version: ReportVersion | None
    deadline: datetime.date
    published_date: datetime.date | None
    late: bool
    counted: bool
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.report is None:
            return "none"
        if self.published_date is not None:
            return "published"
        return "finalised" if self.version is not None else "draft"

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.name,
            "unit_code": self.unit.code,
            "kind": self.unit.kind,
            "status": self.status,
            "version": self.version.number if self.version else None,
            "format": self.version.document.get("format") if self.version else None,
            "deadline": self.deadline.isoformat(),
            "published_date": self.published_date.isoformat() if self.published_date else None,
            "late": self.late,
            "counted": self.counted,
            "figures": self.figures,
        }


@dataclass
class Rollup:
    unit: Unit
    year: int
    format: str
    rows: list[OrganRow]
    totals: dict[str, Any] | None
    uncounted_amounts: list[str] = field(default_factory=list)

    @property
    def counted(self) -> list[OrganRow]:
        return [r for r in self.rows if r.counted]

    @property
    def late(self) -> list[OrganRow]:
        return [r for r in self.rows if r.late]

    @property
    def missing(self) -> list[OrganRow]:
        return [r for r in self.rows if r.version is None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.name,
            "unit_code": self.unit.code,
            "year": self.year,
            "format": self.format,
            "organs": [r.as_dict() for r in self.rows],
            "counted": len(self.counted),
            "missing": [r.unit.code for r in self.missing],
            "late": [r.unit.code for r in self.late],
            "totals": self.totals,
        }


def _add_proactive(
    total: dict[str, dict[str, Any]], doc: dict[str, Any], fmt: str, bad: list[str]
) -> None:
    for row, col, kind in formats.proactive_fields(fmt):
        value = doc["proactive"][row][col]
        if kind in (formats.AMOUNT, formats.TEXT):
            try:
                amount = Decimal(str(value).replace(",", ""))
            except InvalidOperation:
                bad.append(f"{doc['unit']}：{value}")
                continue
            total[row][col] = str(Decimal(str(total[row][col])) + amount)
        else:
            total[row][col] += int(value)


def build(unit: Unit, year: int, today: datetime.date | None = None) -> Rollup:
    """The roll-up of `unit` (normally the city) for `year`."""
    today = today or timezone.localdate()
    fmt = formats.default_format(year)
    organs = list(Unit.objects.organs().filter(path__startswith=unit.path).order_by("path"))
    reports = {r.unit_id: r for r in AnnualReport.objects.filter(unit__in=organs, year=year)}
    current: dict[int, ReportVersion] = {}
    first_published: dict[int, datetime.datetime] = {}
    for found in ReportVersion.objects.filter(report__in=reports.values()).order_by("number"):
        if found.void_at is None:
            current[found.report_id] = found
        if found.published_at and found.report_id not in first_published:
            first_published[found.report_id] = found.published_at
    tables = fmt in formats.TABLE_FORMATS
    totals: dict[str, Any] | None = None
    if tables:
        totals = {
            "proactive": formats.empty_proactive(fmt),
            "applications": formats.empty_applications(fmt),
            "remedies": formats.empty_remedies(),
        }
    bad: list[str] = []
    rows = []
    for organ in organs:
        report = reports.get(organ.pk)
        version = current.get(report.pk) if report else None
        published = first_published.get(report.pk) if report else None
        published_date = timezone.localdate(published) if published else None
        deadline = deadline_for(organ, year)
        late = (published_date or today) > deadline
        doc = version.document if version else None
        counted = totals is not None and doc is not None and doc.get("format") == fmt
        row = OrganRow(organ, report, version, deadline, published_date, late, counted)
        if counted and doc is not None and totals is not None:
            row.figures = {key: int(read(doc)) for key, _label, read in KEY_FIGURES}
            _add_proactive(totals["proactive"], doc, fmt, bad)
            for part in ("applications", "remedies"):
                for code, values in doc[part].items():
                    for col, value in values.items():
                        totals[part][code][col] += int(value)
        rows.append(row)
    if totals is not None:
        for row_key, col, kind in formats.proactive_fields(fmt):
            if kind == formats.AMOUNT:
                totals["proactive"][row_key][col] = formats.format_amount(
                    totals["proactive"][row_key][col]
                )
    return Rollup(unit, year, fmt, rows, totals, bad)


def total_checks(rollup: Rollup) -> list[dict[str, str]]:
    """The arithmetic rules on the sums (they hold when every report summed holds them)."""
    if rollup.totals is None:
        return []
    return checks.table_checks({"format": rollup.format, **rollup.totals})


def key_totals(rollup: Rollup) -> dict[str, int]:
    return {
        key: sum(r.figures.get(key, 0) for r in rollup.counted)
        for key, _label, _read in KEY_FIGURES
    }
