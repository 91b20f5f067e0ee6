"""Helpers for report tests: start a report, make it ready to finalise, register late."""

from __future__ import annotations

from gongkai.applications import importer
from gongkai.reports import actions, documents, drafts

SECTION_5 = "一是公开内容不够全面。下一步将逐项梳理法定主动公开内容。"


def start(cast, year=2025):
    return actions.report_create(actor=cast.office_reviewer, unit=cast.zhuwang, year=year)


def ready(cast, report):
    """Fill what the office must write and acknowledge every warning."""
    actions.report_update(
        actor=cast.office_reviewer,
        report=report,
        sections={
            "1": drafts.PROMPT_RE.sub(
                "无。", documents.draft_text(report.unit, report.year, "1", report)
            ),
            "5": SECTION_5,
            "6": drafts.PROMPT_RE.sub("无。", report.section_6),
        },
    )
    report.refresh_from_db()
    doc = documents.live_document(report.unit, report.year, report, with_drafts=False)
    for warning in documents.warnings_of(doc):
        actions.report_acknowledge(
            actor=cast.office_reviewer,
            report=report,
            rule=warning["rule"],
            cell=warning["cell"],
            message=warning["message"],
            note="已核对纸质台账",
        )
    return report


def late_application(received="2024-12-15"):
    csv = (
        "unit,received_date,channel,applicant_type,applicant_name,description\n"
        f"zhuwang,{received},当面,自然人,迟登记,年底收到但迟登记的申请\n"
    )
    importer.import_file(csv.encode(), source="late.csv")
