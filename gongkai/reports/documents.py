"""The report as a JSON document (REPORT_FORMAT.md "The whole JSON document"): built live from
the records for a draft, or read from the frozen version of a finalised report.

Every row and column code is present, zeros included; `checks` lists what the checks found.
The legacy form carries only the unit, the year, "format": "legacy" and the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.accounts.models import Unit
from gongkai.reports import checks, compute, drafts, formats

if TYPE_CHECKING:
    from gongkai.reports.models import AnnualReport, ReportVersion


class NoTables(ValidationError):
    """A year before 2019 has no tables to compute: only an imported full text exists."""


def find_report(unit: Unit, year: int) -> AnnualReport | None:
    from gongkai.reports.models import AnnualReport

    return AnnualReport.objects.filter(unit=unit, year=year).first()


def previous_for(unit: Unit, year: int) -> checks.Previous:
    """Last year's report as the carry-over check needs it."""
    from gongkai.reports.models import Origin

    report = find_report(unit, year - 1)
    version = report.current_version() if report else None
    if report is None or version is None:
        return checks.Previous(kind="none", year=year - 1)
    if report.is_legacy:
        return checks.Previous(kind="legacy", year=year - 1, version=version.number)
    if report.origin == Origin.IMPORTED:
        kind = "imported"
    elif version.number > 1:
        kind = "corrected"
    else:
        kind = "system"
    carried = version.document.get("applications", {}).get("4", {})
    proactive = version.document.get("proactive", {})
    in_force = None
    if version.document.get("format") == formats.F2021:
        in_force = {
            row: int(proactive.get(row, {}).get("in_force", 0) or 0)
            for row in ("regulation", "normative_document")
        }
    return checks.Previous(
        kind=kind,
        year=year - 1,
        carried_out={col: int(carried.get(col, 0)) for col in formats.COLUMNS},
        version=version.number,
        in_force=in_force,
    )


def legacy_document(unit: Unit, year: int, text: str) -> dict[str, Any]:
    return {"unit": unit.name, "year": year, "format": formats.LEGACY, "text": text}


def live_document(
    unit: Unit, year: int, report: AnnualReport | None = None, *, with_drafts: bool = True
) -> dict[str, Any]:
    """The document of `unit` for `year` from today's records and, when there is a report,
    its prose and entered figures. Without a report (or with its prose sections empty and
    `with_drafts`), sections 一 and 六 carry the system's drafts."""
    fmt = report.format if report is not None else formats.default_format(year)
    if fmt == formats.LEGACY:
        if report is None:
            raise NoTables(
                _("%(year)s 年的报告没有固定表格，系统中也没有导入该年度的报告全文。")
                % {"year": year}
            )
        return legacy_document(unit, year, report.text)
    entered = report.entered if report is not None else {}
    proactive, undated = compute.proactive(unit, year, fmt, entered)
    doc: dict[str, Any] = {
        "unit": unit.name,
        "unit_code": unit.code,
        "year": year,
        "format": fmt,
        "sections": {key: "" for key in formats.PROSE_SECTIONS},
        "proactive": proactive,
        "applications": compute.applications(unit, year, fmt),
        "remedies": compute.remedies(unit, year),
        "checks": [],
    }
    if report is not None:
        doc["sections"] = report.sections()
    if with_drafts:
        for key, drafter in drafts.DRAFTERS.items():
            if not doc["sections"][key].strip():
                doc["sections"][key] = drafter(unit, year, doc)
    origin = report.origin if report is not None else "system"
    doc["checks"] = checks.run(
        doc,
        unit_kind=unit.kind,
        previous=previous_for(unit, year),
        origin=origin,
        undated=undated,
        amended=compute.amended(unit, year) if fmt == formats.F2021 else None,
        fees=compute.fee_figures(unit, year),
    )
    return doc


def draft_text(unit: Unit, year: int, section: str, report: AnnualReport | None = None) -> str:
    """A fresh system draft of prose section `section` ("1" or "6")."""
    doc = live_document(unit, year, report, with_drafts=False)
    return drafts.DRAFTERS[section](unit, year, doc)


def version_document(version: ReportVersion) -> dict[str, Any]:
    return version.document


def document_for(unit: Unit, year: int) -> tuple[dict[str, Any], ReportVersion | None]:
    """What `gongkai annual-report` prints: the newest finalised version when there is one,
    otherwise the live figures (with the draft's prose, if a draft exists)."""
    report = find_report(unit, year)
    version = report.current_version() if report else None
    if version is not None:
        return version.document, version
    return live_document(unit, year, report), None


def errors_of(doc: dict[str, Any]) -> list[dict[str, str]]:
    return [c for c in doc.get("checks", []) if c["level"] == checks.ERROR]


def warnings_of(doc: dict[str, Any]) -> list[dict[str, str]]:
    return [c for c in doc.get("checks", []) if c["level"] == checks.WARNING]


def default_title(unit: Unit, year: int) -> str:
    return f"{unit.name}{year}年政府信息公开工作年度报告"
