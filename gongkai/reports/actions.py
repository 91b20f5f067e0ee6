"""Every state change of an annual report. One transaction each, a permission check first
(reports.edit to write, reports.finalise to freeze and publish), an explicit transition table
and one audit row.

    draft ──finalise──▶ finalised ──publish──▶ published
      ▲                    │                      │
      └──────reopen────────┘                      │
      └──────────────start_correction─────────────┘   (the published version stays online
                                                        until the correction is published)
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Unit
from gongkai.accounts.permissions import require
from gongkai.audit.log import record
from gongkai.reports import checks, documents, drafts, formats, htmlreport, importer
from gongkai.reports.models import (
    Acknowledgement,
    AnnualReport,
    Origin,
    ReportState,
    ReportVersion,
    WorkEntry,
)

S = ReportState
FIRST_YEAR = 2008  # the first year of the 2008 条例; nothing earlier is a disclosure report

# action -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "update": (frozenset({S.DRAFT}), None),
    "redraft": (frozenset({S.DRAFT}), None),
    "acknowledge": (frozenset({S.DRAFT}), None),
    "finalise": (frozenset({S.DRAFT}), S.FINALISED),
    "reopen": (frozenset({S.FINALISED}), S.DRAFT),
    "publish": (frozenset({S.FINALISED}), S.PUBLISHED),
    "start_correction": (frozenset({S.PUBLISHED}), S.DRAFT),
}

AUDIT_FIELDS = ["title", "format", "state", "section_1", "section_5", "section_6", "entered"]


class InvalidTransition(ValidationError):
    pass


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


def _transition(report: AnnualReport, action: str) -> str:
    """The state `action` leads to from the report's state (the state itself when it keeps it);
    InvalidTransition when the action is not allowed there."""
    allowed, target = TRANSITIONS[action]
    if report.state not in allowed:
        raise InvalidTransition(
            _("报告当前状态为“%(state)s”，不能进行这项操作。")
            % {"state": report.get_state_display()}
        )
    return target or report.state


def _audit(actor: Any, action: str, report: AnnualReport, **kwargs: Any) -> None:
    record(actor=actor, action=f"reports.{action}", obj=report, unit=report.unit, **kwargs)


def _snapshot(report: AnnualReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in AUDIT_FIELDS}


def _check_organ(unit: Unit) -> None:
    if not unit.is_organ:
        raise ValidationError(
            {
                "unit": _("“%(unit)s”不是信息公开主体（行政机关），没有年度报告。")
                % {"unit": unit.name}
            }
        )


def _check_year(year: int, *, finished: bool = False) -> None:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("年度应在 %(a)s 至 %(b)s 之间。") % {"a": FIRST_YEAR, "b": this_year}}
        )
    if finished and year >= this_year:
        raise ValidationError({"year": _("%(year)s 年尚未结束，不能定稿。") % {"year": year}})


def clean_entered(fmt: str, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The office-entered section 二 figures of `fmt`, checked: whole numbers (本年增/减 may be
    negative), 万元 amounts with at most 6 places, 采购总金额 as printed. Raises ValidationError
    keyed "row.col"."""
    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for row, col, kind in formats.proactive_fields(fmt, computed=False):
        value = (raw.get(row) or {}).get(col)
        key = f"{row}.{col}"
        if value is None or str(value).strip() == "":
            value = formats.empty_value(kind)
        try:
            if kind == formats.AMOUNT:
                cleaned.setdefault(row, {})[col] = formats.format_amount(
                    formats.parse_amount(str(value))
                )
            elif kind == formats.TEXT:
                text = str(value).strip()
                if len(text) > 100:
                    raise ValueError(_("不能超过 100 个字"))
                cleaned.setdefault(row, {})[col] = text or "0"
            else:
                number = int(str(value).strip())
                if kind == formats.COUNT and number < 0:
                    raise ValueError(_("件数不能为负数"))
                if abs(number) > 10_000_000:
                    raise ValueError(_("数字过大"))
                cleaned.setdefault(row, {})[col] = number
        except ValueError as exc:
            message = str(exc)
            if message.startswith("invalid literal"):
                message = _("请填写整数")
            errors[key] = message
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def report_create(*, actor: Any, unit: Unit, year: int, format: str | None = None) -> AnnualReport:
    """Start the report of `unit` for `year`, with the system's drafts of sections 一 and 六."""
    require(actor, "reports.edit", unit)
    _check_organ(unit)
    _check_year(year)
    fmt = format or formats.default_format(year)
    if fmt == formats.LEGACY or formats.default_format(year) == formats.LEGACY:
        raise ValidationError(
            {"year": _("2019 年以前的报告没有固定表格，请以“导入报告”方式录入其全文。")}
        )
    if fmt not in formats.TABLE_FORMATS:
        raise ValidationError({"format": _("请选择报告格式。")})
    if AnnualReport.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("该机关已有 %(year)s 年度的报告。") % {"year": year}})
    report = AnnualReport(
        unit=unit,
        year=year,
        format=fmt,
        origin=Origin.SYSTEM,
        title=documents.default_title(unit, year),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    doc = documents.live_document(unit, year, None)
    report.section_1, report.section_6 = doc["sections"]["1"], doc["sections"]["6"]
    report.save()
    _audit(actor, "report_create", report, after=_snapshot(report))
    return report


@transaction.atomic
def report_update(
    *,
    actor: Any,
    report: AnnualReport,
    title: str | None = None,
    sections: dict[str, str] | None = None,
    entered: dict[str, Any] | None = None,
    entered_source: str | None = None,
    format: str | None = None,
) -> AnnualReport:
    """Edit the working copy: title, prose, the entered figures and where they come from."""
    report = _lock(report)
    require(actor, "reports.edit", report.unit)
    _transition(report, "update")
    before = _snapshot(report)
    if format is not None and format != report.format:
        if format not in formats.TABLE_FORMATS or report.year < 2019:
            raise ValidationError({"format": _("请选择报告格式。")})
        report.format = format
        report.entered = {}
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": _("请填写标题。")})
        report.title = title.strip()[:200]
    for key, text in (sections or {}).items():
        if key not in formats.PROSE_SECTIONS:
            raise ValidationError({"sections": _("没有这一部分。")})
        setattr(report, f"section_{key}", text.strip())
    if entered is not None:
        report.entered = clean_entered(report.format, entered)
    if entered_source is not None:
        report.entered_source = entered_source.strip()
    report.save()
    _audit(actor, "report_update", report, before=before, after=_snapshot(report))
    return report


@transaction.atomic
def report_redraft(*, actor: Any, report: AnnualReport, section: str) -> AnnualReport:
    """Replace section 一 or 六 with a fresh system draft from today's figures."""
    report = _lock(report)
    require(actor, "reports.edit", report.unit)
    _transition(report, "redraft")
    if section not in drafts.DRAFTERS:
        raise ValidationError({"section": _("系统只起草第一部分和第六部分。")})
    before = {f"section_{section}": getattr(report, f"section_{section}")}
    setattr(
        report,
        f"section_{section}",
        documents.draft_text(report.unit, report.year, section, report),
    )
    report.save()
    _audit(
        actor,
        "report_redraft",
        report,
        before=before,
        after={f"section_{section}": getattr(report, f"section_{section}")},
    )
    return report


@transaction.atomic
def report_acknowledge(
    *, actor: Any, report: AnnualReport, rule: str, cell: str, message: str, note: str
) -> Acknowledgement:
    """Accept one warning of the checks, with a note saying why it is right."""
    report = _lock(report)
    require(actor, "reports.edit", report.unit)
    _transition(report, "acknowledge")
    if not note.strip():
        raise ValidationError({"note": _("请写明核对情况。")})
    doc = documents.live_document(report.unit, report.year, report, with_drafts=False)
    warning = next(
        (
            w
            for w in documents.warnings_of(doc)
            if (w["rule"], w["cell"], w["message"]) == (rule, cell, message)
        ),
        None,
    )
    if warning is None:
        raise ValidationError(_("这条提示已不存在（数字可能已经变化），请刷新页面后重新确认。"))
    ack, _created = Acknowledgement.objects.get_or_create(
        report=report,
        rule=rule,
        cell=cell,
        message=message[:500],
        defaults={"note": note.strip()[:500], "by": actor},
    )
    _audit(
        actor,
        "report_acknowledge",
        report,
        after={"rule": rule, "cell": cell, "message": message},
        note=note.strip(),
    )
    return ack


def unacknowledged(report: AnnualReport, doc: dict[str, Any]) -> list[dict[str, str]]:
    acked = {a.key for a in report.acknowledgements.all()}
    return [
        w
        for w in documents.warnings_of(doc)
        if (w["rule"], w["cell"], w["message"][:500]) not in acked
    ]


def blockers(report: AnnualReport, doc: dict[str, Any]) -> list[str]:
    """Why `report` cannot be finalised with `doc` (empty when it can)."""
    problems = []
    if report.year >= timezone.localdate().year:
        problems.append(_("%(year)s 年尚未结束，不能定稿。") % {"year": report.year})
    for key in formats.PROSE_SECTIONS:
        text = doc["sections"][key]
        title = formats.SECTION_TITLES[key]
        if not text.strip():
            problems.append(_("“%(title)s”还没有内容。") % {"title": title})
        elif drafts.has_prompt(text):
            problems.append(_("“%(title)s”中还有待填写的〔请填写〕提示。") % {"title": title})
    errors = documents.errors_of(doc)
    if errors:
        problems.append(
            _("核对发现 %(n)s 处错误，请先更正：%(first)s")
            % {"n": len(errors), "first": errors[0]["message"]}
        )
    pending = unacknowledged(report, doc)
    if pending:
        problems.append(_("还有 %(n)s 条提示未确认。") % {"n": len(pending)})
    return problems


@transaction.atomic
def report_finalise(*, actor: Any, report: AnnualReport) -> ReportVersion:
    """定稿: freeze the figures and the text in a new version. Blocked by any error of the
    checks, an unacknowledged warning, an empty section or a 〔请填写〕 prompt."""
    report = _lock(report)
    require(actor, "reports.finalise", report.unit)
    target = _transition(report, "finalise")
    doc = documents.live_document(report.unit, report.year, report, with_drafts=False)
    problems = blockers(report, doc)
    if problems:
        raise ValidationError(problems)
    acked = {a.key: a for a in report.acknowledgements.select_related("by")}
    acknowledgements = []
    for warning in documents.warnings_of(doc):
        ack = acked[(warning["rule"], warning["cell"], warning["message"][:500])]
        acknowledgements.append(
            {
                **warning,
                "note": ack.note,
                "by": ack.by.display_name if ack.by else "",
                "at": ack.at.isoformat(),
            }
        )
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        document=doc,
        title=report.title,
        entered_source=report.entered_source,
        acknowledgements=acknowledgements,
        correction_reason=report.correction_reason if number > 1 else "",
        finalised_by=actor,
        finalised_at=timezone.now(),
    )
    report.state = target
    report.save(update_fields=["state", "updated_at"])
    _audit(
        actor,
        "report_finalise",
        report,
        after={"version": number, "checks": doc["checks"]},
    )
    return version


@transaction.atomic
def report_reopen(*, actor: Any, report: AnnualReport, reason: str) -> AnnualReport:
    """Take back a finalised version that was never published, to edit it again."""
    report = _lock(report)
    require(actor, "reports.finalise", report.unit)
    target = _transition(report, "reopen")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销定稿的原因。")})
    version = report.current_version()
    if version is not None and version.published_at is None:
        version.void_at = timezone.now()
        version.save(update_fields=["void_at"])
    report.state = target
    report.save(update_fields=["state", "updated_at"])
    _audit(
        actor,
        "report_reopen",
        report,
        after={"version": getattr(version, "number", None)},
        note=reason,
    )
    return report


def _publish_version(
    actor: Any, report: AnnualReport, version: ReportVersion, when: datetime.datetime
) -> None:
    replaced = list(
        report.versions.filter(published_at__isnull=False, corrected_at__isnull=True).exclude(
            pk=version.pk
        )
    )
    for old in replaced:
        old.corrected_at = when
        old.save(update_fields=["corrected_at"])
    version.published_at = when
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save(update_fields=["published_at", "published_by"])


@transaction.atomic
def report_publish(*, actor: Any, report: AnnualReport) -> ReportVersion:
    """Put the finalised version in the portal's 年报 column. An earlier published version
    stays reachable, marked 更正."""
    report = _lock(report)
    require(actor, "reports.finalise", report.unit)
    target = _transition(report, "publish")
    version = report.current_version()
    if version is None:
        raise InvalidTransition(_("没有已定稿的版本。"))
    _publish_version(actor, report, version, timezone.now())
    report.state = target
    report.save(update_fields=["state", "updated_at"])
    _audit(actor, "report_publish", report, after={"version": version.number})
    return version


@transaction.atomic
def report_start_correction(*, actor: Any, report: AnnualReport, reason: str) -> AnnualReport:
    """Reopen a published report for a correction. The published version stays online until
    the corrected one is finalised and published."""
    report = _lock(report)
    require(actor, "reports.edit", report.unit)
    target = _transition(report, "start_correction")
    if report.origin != Origin.SYSTEM:
        raise InvalidTransition(_("导入的报告请重新导入更正后的文件。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明更正原因。")})
    report.correction_reason = reason.strip()
    report.state = target
    report.save(update_fields=["state", "correction_reason", "updated_at"])
    _audit(actor, "report_start_correction", report, note=reason)
    return report


@transaction.atomic
def report_import(
    *,
    actor: Any,
    unit: Unit,
    document: dict[str, Any],
    title: str = "",
    published_date: datetime.date | None = None,
    reason: str = "",
) -> ReportVersion:
    """Bring in a report made outside the system (a checked document of
    `importer.read_document`, or a legacy text), published at once: it is already public
    elsewhere. Importing the same year again is a correction: a new version, the old one
    marked 更正, with `reason`. `actor` None is the server operator (`gongkai import-report`)."""
    if actor is not None:
        require(actor, "reports.finalise", unit)
    _check_organ(unit)
    year = document["year"]
    _check_year(year, finished=True)
    fmt = document["format"]
    if fmt != formats.LEGACY and formats.default_format(year) == formats.LEGACY:
        raise ValidationError({"year": _("2019 年以前的报告没有固定表格，只能导入全文。")})
    existing = AnnualReport.objects.select_for_update().filter(unit=unit, year=year).first()
    if existing is not None and existing.origin == Origin.SYSTEM:
        raise ValidationError(
            {
                "year": _("%(year)s 年度的报告是在本系统中编写的，请在报告页面办理更正。")
                % {"year": year}
            }
        )
    if existing is not None and not reason.strip():
        raise ValidationError(
            {"reason": _("该年度已有导入的报告；再次导入即为更正，请写明更正原因。")}
        )
    if fmt == formats.LEGACY:
        text = document["text"]
        doc = documents.legacy_document(unit, year, text)
    else:
        text = ""
        doc = {
            "unit": unit.name,
            "unit_code": unit.code,
            "year": year,
            "format": fmt,
            "sections": document["sections"],
            "proactive": document["proactive"],
            "applications": document["applications"],
            "remedies": document["remedies"],
        }
        doc["checks"] = checks.run(
            doc,
            unit_kind=unit.kind,
            previous=documents.previous_for(unit, year),
            origin=Origin.IMPORTED,
        )
    report = existing or AnnualReport(unit=unit, year=year, origin=Origin.IMPORTED)
    before = _snapshot(report) if existing else None
    report.format = fmt
    report.title = (title.strip() or documents.default_title(unit, year))[:200]
    report.text = text
    report.entered = {}
    sections = doc.get("sections", {})
    report.section_1, report.section_5, report.section_6 = (
        sections.get(k, "") for k in ("1", "5", "6")
    )
    report.state = S.PUBLISHED
    report.correction_reason = reason.strip() if existing else ""
    if existing is None:
        report.created_by = actor if getattr(actor, "is_authenticated", False) else None
    report.save()
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    now = timezone.now()
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        document=doc,
        title=report.title,
        correction_reason=report.correction_reason,
        finalised_by=actor if getattr(actor, "is_authenticated", False) else None,
        finalised_at=now,
    )
    when = now
    if published_date is not None and number == 1:
        when = timezone.make_aware(datetime.datetime.combine(published_date, datetime.time(9)))
    _publish_version(actor, report, version, when)
    _audit(
        actor,
        "report_import",
        report,
        before=before,
        after={"year": year, "format": fmt, "version": number, "title": report.title},
        note=reason,
    )
    return version


def import_legacy_text(
    *, actor: Any, unit: Unit, raw: str, year: int | None = None
) -> ReportVersion:
    """Import the text of a pre-2019 report copied from an old website page."""
    parsed = importer.parse_legacy_text(raw)
    year = year or parsed["year"]
    if not year:
        raise ValidationError({"year": _("无法从标题判断年度，请选择年度。")})
    if not parsed["text"]:
        raise ValidationError({"text": _("报告正文为空。")})
    return report_import(
        actor=actor,
        unit=unit,
        document={"year": year, "format": formats.LEGACY, "text": parsed["text"]},
        title=parsed["title"],
        published_date=parsed["published_date"],
    )


PAGE_NOTE = (
    "【导入说明】本报告从原网站发布的页面导入。页面中的表格无法按年度报告格式读取（{why}），"
    "以下为页面上的全文，表格数字未进入统计。"
)


def import_page(
    *, actor: Any, unit: Unit, year: int, data: bytes, reason: str = ""
) -> tuple[ReportVersion, htmlreport.Parsed]:
    """Import a report from the HTML page it was published on: the structured report with every
    table cell when the tables can be read, otherwise the page's text in the text-only form,
    opened by a note saying why. The figures go through the same checks as computed ones."""
    parsed = htmlreport.read_page(htmlreport.decode(data))
    stated = re.search(r"(\d{4})\s*年", parsed.title)
    if stated and int(stated.group(1)) != year:
        raise ValidationError(
            {
                "year": _("页面标题中的年度（%(page)s）与所选年度（%(year)s）不一致。")
                % {"page": stated.group(1), "year": year}
            }
        )
    tables = parsed.format is not None and not parsed.problems
    if formats.default_format(year) == formats.LEGACY:
        tables = False
        parsed.problems = []
    if tables:
        document: dict[str, Any] = {
            "year": year,
            "format": parsed.format,
            "sections": {k: parsed.sections.get(k, "") for k in formats.PROSE_SECTIONS},
            "proactive": parsed.proactive,
            "applications": parsed.applications,
            "remedies": parsed.remedies,
        }
    else:
        if not parsed.text.strip():
            raise ValidationError({"file": _("页面中没有找到报告正文。")})
        text = parsed.text
        if parsed.problems:
            text = PAGE_NOTE.format(why="；".join(parsed.problems[:5])) + "\n" + text
        document = {"year": year, "format": formats.LEGACY, "text": text}
    version = report_import(
        actor=actor,
        unit=unit,
        document=document,
        title=parsed.title,
        published_date=parsed.published_date,
        reason=reason,
    )
    return version, parsed


# -- the year's work entries (section 一 of the 2021 format) ---------------------------------


@transaction.atomic
def work_entry_add(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    kind: str,
    text: str,
    date: datetime.date | None = None,
) -> WorkEntry:
    """Record a fact of the year's work (a training, an assessment result …) for section 一."""
    require(actor, "reports.edit", unit)
    _check_organ(unit)
    _check_year(year)
    if kind not in WorkEntry.Kind.values:
        raise ValidationError({"kind": _("请选择类别。")})
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("请填写内容。")})
    if len(text) > 300:
        raise ValidationError({"text": _("内容不能超过300字。")})
    if date is not None and date.year != year:
        raise ValidationError({"date": _("日期应在%(year)s年内。") % {"year": year}})
    entry = WorkEntry.objects.create(
        unit=unit, year=year, kind=kind, text=text, date=date, created_by=actor
    )
    record(
        actor=actor,
        action="reports.work_entry_add",
        obj=entry,
        unit=unit,
        after={"year": year, "kind": kind, "text": text, "date": date},
    )
    return entry


@transaction.atomic
def work_entry_delete(*, actor: Any, entry: WorkEntry) -> None:
    require(actor, "reports.edit", entry.unit)
    record(
        actor=actor,
        action="reports.work_entry_delete",
        obj=entry,
        unit=entry.unit,
        before={"year": entry.year, "kind": entry.kind, "text": entry.text},
    )
    entry.delete()
