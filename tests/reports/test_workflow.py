"""The report's life: started with drafts, edited, checked, acknowledged, finalised (a frozen
snapshot), published, corrected (a new version, the old one marked), reopened. Permissions are
checked in the actions and every change leaves an audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.reports import actions, documents, drafts, queries
from gongkai.reports.models import AnnualReport, ReportState
from tests.reports.helpers import late_application, ready, start


def audit_actions(report):
    return list(
        AuditEntry.objects.filter(object_type="reports.annualreport", object_id=str(report.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_a_new_report_has_drafts_of_sections_one_and_six_with_the_years_figures(ledger):
    report = start(ledger)
    assert report.state == ReportState.DRAFT and report.format == "2021"
    assert report.title == "乳山市诸往镇人民政府2025年政府信息公开工作年度报告"
    assert "全年新收政府信息公开申请14件，上年结转4件" in report.section_1
    assert "结转下年度继续办理3件" in report.section_1
    assert "行政复议2件、行政诉讼2件" in report.section_1
    assert "共计150.50元" in report.section_6
    assert drafts.ASSESSMENT_PROMPT in report.section_1  # 条例50: 工作考核、社会评议和责任追究结果
    assert report.section_5 == ""
    assert audit_actions(report) == ["reports.report_create"]


@pytest.mark.parametrize("who", ["drafter", "other_drafter", "station_drafter"])
def test_only_the_disclosure_office_may_start_a_report(ledger, who):
    with pytest.raises(PermissionDenied):
        actions.report_create(actor=getattr(ledger, who), unit=ledger.zhuwang, year=2025)
    assert not AnnualReport.objects.exists()


def test_a_report_is_refused_for_a_non_organ_a_second_time_and_bad_years(ledger):
    head = ledger.office_head
    with pytest.raises(ValidationError, match="不是信息公开主体"):
        actions.report_create(actor=head, unit=ledger.office, year=2025)
    start(ledger)
    with pytest.raises(ValidationError, match="已有 2025 年度"):
        start(ledger)
    with pytest.raises(ValidationError, match="导入报告"):
        actions.report_create(actor=head, unit=ledger.zhuwang, year=2017)
    with pytest.raises(ValidationError):
        actions.report_create(actor=head, unit=ledger.zhuwang, year=timezone.localdate().year + 1)
    assert AnnualReport.objects.count() == 1


def test_entered_figures_are_checked_and_a_bad_one_changes_nothing(ledger):
    report = start(ledger)
    with pytest.raises(ValidationError) as caught:
        actions.report_update(
            actor=ledger.office_reviewer,
            report=report,
            entered={"fee": {"amount_10k_yuan": "1.2345678"}, "license": {"decisions": "-3"}},
        )
    assert set(caught.value.message_dict) == {"fee.amount_10k_yuan", "license.decisions"}
    report.refresh_from_db()
    assert report.entered == {}
    actions.report_update(
        actor=ledger.office_reviewer,
        report=report,
        entered={"fee": {"amount_10k_yuan": "190.457379"}, "license": {"decisions": 12}},
        entered_source="政务服务平台统计",
    )
    doc = documents.live_document(ledger.zhuwang, 2025, AnnualReport.objects.get())
    assert doc["proactive"]["fee"] == {"amount_10k_yuan": "190.457379"}
    assert doc["proactive"]["license"] == {"decisions": 12}
    assert doc["proactive"]["penalty"] == {"decisions": 0}
    entry = AuditEntry.objects.filter(action="reports.report_update").get()
    assert entry.before["entered"] == {} and entry.after["entered"]["license"] == {"decisions": 12}


def test_finalising_waits_for_the_text_the_prompt_and_every_warning(ledger):
    report = start(ledger)
    doc = documents.live_document(ledger.zhuwang, 2025, report, with_drafts=False)
    problems = actions.blockers(report, doc)
    assert any("五、存在的主要问题及改进情况" in p for p in problems)
    assert any("〔请填写〕" in p for p in problems)
    assert any("未确认" in p for p in problems)
    with pytest.raises(ValidationError):
        actions.report_finalise(actor=ledger.office_head, report=report)
    assert not report.versions.exists()
    ready(ledger, report)
    version = actions.report_finalise(actor=ledger.office_head, report=report)
    assert version.number == 1 and version.document["year"] == 2025
    assert version.acknowledgements[0]["rule"] == "carry_over"
    assert version.acknowledgements[0]["note"] == "已核对纸质台账"
    report.refresh_from_db()
    assert report.state == ReportState.FINALISED


def test_an_acknowledgement_needs_a_note_and_a_warning_that_still_exists(ledger):
    report = start(ledger)
    with pytest.raises(ValidationError, match="请写明核对情况"):
        actions.report_acknowledge(
            actor=ledger.office_reviewer,
            report=report,
            rule="carry_over",
            cell="applications/2/total",
            message="x",
            note=" ",
        )
    with pytest.raises(ValidationError, match="已不存在"):
        actions.report_acknowledge(
            actor=ledger.office_reviewer,
            report=report,
            rule="carry_over",
            cell="applications/2/total",
            message="另一条提示",
            note="看过了",
        )
    assert not report.acknowledgements.exists()


def test_only_the_office_head_finalises_and_not_before_the_year_ends(ledger):
    report = ready(ledger, start(ledger))
    with pytest.raises(PermissionDenied):
        actions.report_finalise(actor=ledger.office_reviewer, report=report)
    this_year = timezone.localdate().year
    current = actions.report_create(actor=ledger.office_head, unit=ledger.zhuwang, year=this_year)
    with pytest.raises(ValidationError, match="尚未结束"):
        actions.report_finalise(actor=ledger.office_head, report=current)


def test_the_finalised_snapshot_does_not_move_when_the_records_do(ledger):
    report = ready(ledger, start(ledger))
    version = actions.report_finalise(actor=ledger.office_head, report=report)
    frozen = version.document["applications"]["1"]["total"]
    late_application("2025-06-01")
    version.refresh_from_db()
    assert version.document["applications"]["1"]["total"] == frozen == 14
    assert documents.live_document(ledger.zhuwang, 2025)["applications"]["1"]["total"] == 15
    with pytest.raises(ValidationError, match="不能进行这项操作"):
        actions.report_update(actor=ledger.office_reviewer, report=report, sections={"5": "改"})


def test_publish_puts_the_report_in_the_column_and_a_correction_keeps_the_old_version(ledger):
    head = ledger.office_head
    report = ready(ledger, start(ledger))
    actions.report_finalise(actor=head, report=report)
    v1 = actions.report_publish(actor=head, report=report)
    assert [r.year for r in queries.published_reports(ledger.zhuwang)] == [2025]
    assert queries.published_reports(ledger.zhuwang)[0].url == "/nianbao/zhuwang/2025/"
    with pytest.raises(ValidationError):
        actions.report_start_correction(actor=head, report=report, reason="")
    actions.report_start_correction(actor=head, report=report, reason="行政许可数字有误")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert queries.public_version("zhuwang", 2025).pk == v1.pk  # still online meanwhile
    actions.report_update(
        actor=ledger.office_reviewer, report=report, entered={"license": {"decisions": 40}}
    )
    actions.report_finalise(actor=head, report=report)
    v2 = actions.report_publish(actor=head, report=report)
    v1.refresh_from_db()
    assert v2.number == 2 and v2.correction_reason == "行政许可数字有误"
    assert v1.corrected_at is not None and v1.published_at is not None
    assert queries.public_version("zhuwang", 2025).pk == v2.pk
    assert queries.public_version("zhuwang", 2025, 1).pk == v1.pk
    assert v2.document["proactive"]["license"]["decisions"] == 40
    assert v1.document["proactive"]["license"]["decisions"] == 0
    assert audit_actions(report) == [
        "reports.report_create",
        "reports.report_update",
        "reports.report_acknowledge",
        "reports.report_finalise",
        "reports.report_publish",
        "reports.report_start_correction",
        "reports.report_update",
        "reports.report_finalise",
        "reports.report_publish",
    ]


def test_reopening_sets_aside_an_unpublished_version(ledger):
    head = ledger.office_head
    report = ready(ledger, start(ledger))
    v1 = actions.report_finalise(actor=head, report=report)
    with pytest.raises(ValidationError):
        actions.report_reopen(actor=head, report=report, reason=" ")
    actions.report_reopen(actor=head, report=report, reason="第五部分需要补充")
    v1.refresh_from_db()
    assert v1.void_at is not None
    assert report.current_version() is None
    v2 = actions.report_finalise(actor=head, report=report)
    assert v2.number == 2 and report.current_version().pk == v2.pk
    actions.report_publish(actor=head, report=report)
    with pytest.raises(ValidationError, match="已发布"):
        actions.report_reopen(actor=head, report=AnnualReport.objects.get(), reason="再改")


def test_a_late_registration_after_last_years_report_blocks_this_year_until_corrected(ledger):
    """Both years computed here: this year's 上年结转 must equal last year's 结转下年度."""
    head = ledger.office_head
    last = ready(ledger, start(ledger, 2024))
    actions.report_finalise(actor=head, report=last)
    actions.report_publish(actor=head, report=last)
    late_application("2024-12-15")  # registered after the 2024 report was finalised
    this = start(ledger, 2025)
    doc = documents.live_document(ledger.zhuwang, 2025, this, with_drafts=False)
    errors = documents.errors_of(doc)
    assert {e["cell"] for e in errors} == {"applications/2/natural_person", "applications/2/total"}
    assert "2024年度报告（第1版）的“结转下年度继续办理”为1" in errors[0]["message"]
    ready(ledger, this)
    with pytest.raises(ValidationError, match="错误"):
        actions.report_finalise(actor=head, report=this)
    # correcting 2024 makes it a corrected report: the mismatch becomes a warning
    actions.report_start_correction(actor=head, report=last, reason="补登一件年底收到的申请")
    ready(ledger, AnnualReport.objects.get(year=2024))
    actions.report_finalise(actor=head, report=last)
    actions.report_publish(actor=head, report=last)
    doc = documents.live_document(ledger.zhuwang, 2025, this, with_drafts=False)
    assert documents.errors_of(doc) == []
    ready(ledger, this)
    assert actions.report_finalise(actor=head, report=this).number == 1
