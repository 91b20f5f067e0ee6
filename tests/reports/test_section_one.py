"""Section 一 in the five parts of 国办公开办函〔2021〕30号, drafted from the year's records and
the office's work entries, and the checks an inspector applies across the report: the prose
figures against the tables, 现行有效 from year to year, and the fees against section 六."""

from __future__ import annotations

import re

from gongkai.reports import actions, checks, documents, drafts
from gongkai.reports.models import WorkEntry
from tests.reports.helpers import ready, start

PARTS = [
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）平台建设",
    "（五）监督保障",
]


def section_1(cast, year=2025):
    return documents.draft_text(cast.zhuwang, year, "1")


def test_section_one_has_the_five_parts_in_order(ledger):
    text = section_1(ledger)
    paragraphs = text.split("\n\n")
    starts = [p[: len(part)] for p, part in zip(paragraphs[1:], PARTS, strict=True)]
    assert starts == PARTS
    # 工作考核、社会评议和责任追究结果 belong under 监督保障, not under 六
    assert drafts.ASSESSMENT_PROMPT in paragraphs[5]
    assert drafts.ASSESSMENT_PROMPT not in documents.draft_text(ledger.zhuwang, 2025, "6")


def test_the_offices_entries_fill_the_parts_and_the_prompts_go(ledger):
    head = ledger.office_head
    for kind, text in [
        ("management", "落实公开前保密审查"),
        ("platform", "政府信息公开专栏调整栏目"),
        ("training", "3月组织信息员培训，32人参加。"),
        ("training", "9月组织保密审查员培训"),
        ("assessment", "在全市考核中被评为良好等次"),
        ("accountability", "未发生责任追究"),
    ]:
        actions.work_entry_add(actor=head, unit=ledger.zhuwang, year=2025, kind=kind, text=text)
    text = section_1(ledger)
    assert not drafts.has_prompt(text)
    assert "（三）政府信息管理。落实公开前保密审查。" in text
    assert "政府信息公开专栏调整栏目。" in text
    assert (
        "全年开展政府信息公开教育培训2次：3月组织信息员培训，32人参加；9月组织保密审查员培训。"
        in text
    )
    assert "工作考核方面，在全市考核中被评为良好等次。责任追究方面，未发生责任追究。" in text
    other_year = section_1(ledger, 2024)
    assert drafts.has_prompt(other_year)  # entries belong to their year


def test_the_drafts_figures_match_the_tables(ledger):
    report = start(ledger)
    doc = documents.live_document(ledger.zhuwang, 2025, report)
    claims = checks.prose_claims(doc)
    text = doc["sections"]["1"]
    stated = 0
    for phrase, _cell, _label, figure in claims:
        for match in re.finditer(re.escape(phrase) + r"[^\d，。；、\n]{0,4}?(\d+)\s*件", text):
            assert int(match.group(1)) == figure, match.group(0)
            stated += 1
    assert stated >= 10
    assert not [c for c in doc["checks"] if c["rule"] == "prose_figures"]


def test_prose_contradicting_the_tables_is_an_error(ledger):
    report = start(ledger)
    text = report.section_1.replace("上年结转4件", "上年结转5件")
    assert text != report.section_1
    actions.report_update(actor=ledger.office_reviewer, report=report, sections={"1": text})
    report.refresh_from_db()
    doc = documents.live_document(ledger.zhuwang, 2025, report)
    found = [c for c in doc["checks"] if c["rule"] == "prose_figures"]
    assert [(c["cell"], c["level"]) for c in found] == [("applications/2/total", "error")]
    assert "上年结转5件" in found[0]["message"] and "为4件" in found[0]["message"]


def test_in_force_follows_last_year_and_names_the_amendments(ledger, catalog_docs):
    last = ready(ledger, start(ledger, 2024))
    actions.report_finalise(actor=ledger.office_head, report=last)
    doc = documents.live_document(ledger.zhuwang, 2025, start(ledger))
    found = [c for c in doc["checks"] if c["rule"] == "in_force"]
    assert [(c["cell"], c["level"]) for c in found] == [
        ("proactive/normative_document/in_force", "warning")
    ]
    message = found[0]["message"]
    assert "现行有效3件" in message and "上年现行有效4件" in message
    assert "相差-1件" in message and "1件标注为“已修改”" in message


def test_the_fee_amount_in_six_must_be_the_amount_paid(ledger):
    report = start(ledger)
    assert "共计150.50元" in report.section_6
    doc = documents.live_document(ledger.zhuwang, 2025, report)
    assert not [c for c in doc["checks"] if c["rule"].startswith("fee_")]
    actions.report_update(
        actor=ledger.office_reviewer,
        report=report,
        sections={"6": report.section_6.replace("150.50", "100.00")},
    )
    report.refresh_from_db()
    doc = documents.live_document(ledger.zhuwang, 2025, report)
    found = [c for c in doc["checks"] if c["rule"] == "fee_amount"]
    assert [c["level"] for c in found] == ["error"]
    assert "150.50元" in found[0]["message"]


def test_fee_notices_balance_paid_unpaid_and_pending():
    figures = type("F", (), {})()
    figures.notices, figures.paid, figures.unpaid_closed, figures.pending = 5, 2, 1, 1
    figures.amount_paid = 0
    doc = {
        "format": "2021",
        "sections": {"6": ""},
        "applications": {"3.6.2": {"total": 1}},
    }
    found = checks._fees(doc, figures)
    assert [c["rule"] for c in found] == ["fee_notices"]
    assert "本年发出收费通知5件" in found[0]["message"]


def test_work_entries_page_adds_and_deletes(client, ledger):
    from django.urls import reverse

    client.force_login(ledger.office_head)
    url = reverse("reports:entries", args=["zhuwang", 2025])
    response = client.post(url, {"kind": "training", "text": "组织培训", "date": "2025-03-01"})
    assert response.status_code == 302
    entry = WorkEntry.objects.get()
    assert (entry.year, entry.kind) == (2025, "training")
    bad = client.post(url, {"kind": "training", "text": "x", "date": "2024-03-01"})
    assert bad.status_code == 200 and "日期应在2025年内" in bad.content.decode()
    delete = reverse("reports:entry_delete", args=["zhuwang", 2025, entry.pk])
    assert client.post(delete).status_code == 302
    assert not WorkEntry.objects.exists()
    client.force_login(ledger.other_drafter)
    assert client.get(url).status_code in (403, 404)
