"""A report as a file: JSON (REPORT_FORMAT.md), a self-contained HTML page that prints on A4,
and a Word document (gongkai.reports.document_docx) whose tables have the merged cells of the
national form.

An export of a report not yet finalised is a draft: the HTML and the DOCX carry 草稿 on every
page and list what is missing (the prompts of the prose, the errors of the checks) instead of
printing the 〔请填写〕 prompts. A report published after its deadline says so (条例49).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.lib.cleantext import clean_data, clean_text
from gongkai.reports import checks, document_docx, drafts, formats, importer, layout

if TYPE_CHECKING:
    from gongkai.reports.models import ReportVersion

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _flag(grids: dict[str, layout.Grid], doc: dict[str, Any]) -> None:
    """Mark the cells each finding concerns (an error outranks a warning)."""
    cells = {c.key: c for grid in grids.values() for c in grid.cells if c.key}
    for finding in doc.get("checks", []):
        for key in checks.cells_of(finding, doc["format"]):
            cell = cells.get(key)
            if cell is None:
                continue
            if cell.flag != checks.ERROR:
                cell.flag = finding["level"]
            cell.note = f"{cell.note}\n{finding['message']}".strip()


def context(doc: dict[str, Any], title: str, *, flag: bool = False, **extra: Any) -> dict[str, Any]:
    """What the report templates need: the document, its tables laid out, its sections.
    With `flag`, cells named by the checks carry the finding (the staff preview)."""
    tables = doc.get("format") in formats.TABLE_FORMATS
    sections = []
    if tables:
        grids = layout.grids(doc)
        if flag:
            _flag(grids, doc)
        for key, heading in formats.SECTION_TITLES.items():
            sections.append(
                {
                    "key": key,
                    "title": heading,
                    "paragraphs": importer.paragraphs(doc.get("sections", {}).get(key, "")),
                    "grid": grids.get(key),
                }
            )
    return {
        "doc": doc,
        "title": title,
        "tables": tables,
        "sections": sections,
        "legacy_paragraphs": [] if tables else importer.paragraphs(doc.get("text", "")),
        "empty_section_text": "（本部分尚未填写）",
        **extra,
    }


@dataclass
class Status:
    """What an export says about the report beyond its text: a draft (and what it lacks), a
    late publication, and the date of the 落款."""

    draft: bool
    date: datetime.date
    missing: list[str] = field(default_factory=list)
    late: str = ""

    def section_text(self, doc: dict[str, Any], key: str) -> str:
        text = doc.get("sections", {}).get(key, "") or ""
        return drafts.without_prompts(text) if self.draft else text


def missing_items(doc: dict[str, Any]) -> list[str]:
    """What a draft still lacks, in words: the prompts of the prose, the empty sections, the
    errors of the checks and the warnings awaiting confirmation."""
    items = []
    for key in formats.PROSE_SECTIONS:
        heading = formats.SECTION_TITLES[key]
        text = doc.get("sections", {}).get(key, "") or ""
        if not text.strip():
            items.append(f"{heading}：尚未撰写")
        items += [f"{heading}：{prompt}" for prompt in drafts.prompts_in(text)]
    items += [f"核对错误：{c['message']}" for c in doc.get("checks", []) if c["level"] == "error"]
    warnings = sum(1 for c in doc.get("checks", []) if c["level"] == "warning")
    if warnings:
        items.append(f"核对提示{warnings}条，定稿前须逐条核对并确认")
    return items


def late_note(version: ReportVersion | None) -> str:
    """条例49: a report published after its deadline says so on the report itself."""
    if version is None or version.published_at is None:
        return ""
    from gongkai.reports.rollup import deadline_for

    report = version.report
    deadline = deadline_for(report.unit, report.year)
    published = timezone.localdate(version.published_at)
    if published <= deadline:
        return ""
    return (
        f"本报告于{_day(published)}发布，晚于规定的发布期限（{_day(deadline)}），"
        f"逾期{(published - deadline).days}日。"
    )


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def status_for(doc: dict[str, Any], version: ReportVersion | None = None) -> Status:
    if version is None:
        # An imported text of a year before 2019 is history, not a draft to finish.
        draft = doc.get("format") in formats.TABLE_FORMATS
        return Status(
            draft=draft, date=timezone.localdate(), missing=missing_items(doc) if draft else []
        )
    moment = version.published_at or version.finalised_at
    return Status(draft=False, date=timezone.localdate(moment), late=late_note(version))


def _css() -> str:
    path = finders.find("reports/reports.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def to_html(doc: dict[str, Any], title: str, status: Status | None = None, **extra: Any) -> str:
    """A self-contained page (styles inline): it opens anywhere, offline, and prints on A4."""
    status = status or status_for(doc)
    ctx = context(doc, title, css=_css(), status=status, **extra)
    if status.draft:
        for section in ctx["sections"]:
            section["paragraphs"] = importer.paragraphs(status.section_text(doc, section["key"]))
    ctx["signature_date"] = _day(status.date)
    return render_to_string("reports/document_standalone.html", ctx)


# ----------------------------------------------------------------------------------------- DOCX


def to_docx(doc: dict[str, Any], title: str, status: Status | None = None) -> bytes:
    # Text kept from before input was cleaned may hold control characters XML cannot hold.
    doc, title = clean_data(doc), clean_text(title)
    return document_docx.build(doc, title, status or status_for(doc))


def render(
    doc: dict[str, Any], title: str, fmt: str, version: ReportVersion | None = None
) -> bytes:
    """The report as `fmt` (json, html or docx), as bytes. Without a finalised `version` the
    HTML and the DOCX are marked 草稿 on every page and list what is missing."""
    if fmt == "json":
        return to_json(doc).encode()
    status = status_for(doc, version)
    if fmt == "html":
        return to_html(doc, title, status=status).encode()
    if fmt == "docx":
        return to_docx(doc, title, status)
    raise ValueError(f"unknown format {fmt!r}")


def filename(unit_code: str, year: int, fmt: str, version: int | None = None) -> str:
    suffix = f"-v{version}" if version else ""
    return f"{unit_code}-{year}-annual-report{suffix}.{fmt}"
