"""Reports made before the system: the text of a pre-2019 report copied from an old web page,
and JSON documents whose format is read from their tables."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.reports import actions, documents, exports, formats, importer, queries
from gongkai.reports.demo import FIXTURE
from gongkai.reports.models import AnnualReport, Origin


def seed_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def test_the_seed_page_loses_its_web_chrome_and_keeps_title_date_and_body():
    parsed = importer.parse_legacy_text(seed_text())
    assert parsed["title"] == "乳山市诸往镇2017年政府信息公开工作年度报告"
    assert parsed["year"] == 2017
    assert parsed["published_date"] == datetime.date(2018, 1, 29)
    assert parsed["text"].startswith("根据《中华人民共和国政府信息公开条例》")
    assert parsed["text"].rstrip().endswith("无其他需要说明的事项。")
    for chrome in ("发布日期", "文章来源", "点击次数", "上一篇"):
        assert chrome not in parsed["text"]


def test_the_legacy_import_is_published_with_its_original_date(cast):
    version = actions.import_legacy_text(actor=cast.office_head, unit=cast.zhuwang, raw=seed_text())
    report = version.report
    assert (report.year, report.format, report.origin) == (2017, "legacy", Origin.IMPORTED)
    assert timezone.localdate(version.published_at) == datetime.date(2018, 1, 29)
    assert version.document == {
        "unit": "乳山市诸往镇人民政府",
        "year": 2017,
        "format": "legacy",
        "text": report.text,
    }
    assert [r.title for r in queries.published_reports(cast.zhuwang)] == [
        "乳山市诸往镇2017年政府信息公开工作年度报告"
    ]


def test_only_the_office_head_imports(cast):
    with pytest.raises(PermissionDenied):
        actions.import_legacy_text(actor=cast.office_reviewer, unit=cast.zhuwang, raw=seed_text())
    assert not AnnualReport.objects.exists()


def full_document(fmt: str, year: int) -> dict:
    doc = {
        "unit": "乳山市诸往镇人民政府",
        "unit_code": "zhuwang",
        "year": year,
        "format": fmt,
        "sections": {"1": "总体情况。", "5": "问题。", "6": "无。"},
        "proactive": formats.empty_proactive(fmt),
        "applications": formats.empty_applications(fmt),
        "remedies": formats.empty_remedies(),
        "checks": [],
    }
    for row, n in (("1", 2), ("3.1", 1), ("3.7", 1), ("4", 1)):
        doc["applications"][row]["natural_person"] = doc["applications"][row]["total"] = n
    return doc


def test_a_2019_format_document_is_recognised_by_its_tables_not_its_label(cast):
    raw = full_document("2019", 2020)
    raw.pop("format")
    raw["proactive"]["procurement"]["amount"] = "12.5万元"
    doc = importer.read_document(json.dumps(raw))
    assert doc["format"] == "2019"
    version = actions.report_import(actor=cast.office_head, unit=cast.zhuwang, document=doc)
    assert version.document["proactive"]["procurement"]["amount"] == "12.5万元"
    assert version.document["applications"]["3.6"]["total"] == 0
    # the carry-over of the next year compares with an imported report: a warning only
    nxt = documents.previous_for(cast.zhuwang, 2021)
    assert nxt.kind == "imported" and nxt.carried_out["total"] == 1


def test_a_label_that_contradicts_the_tables_is_refused():
    raw = full_document("2019", 2020)
    raw["format"] = "2021"
    with pytest.raises(importer.DocumentError, match="表格是 2019 年格式"):
        importer.read_document(json.dumps(raw))


def test_every_problem_of_a_bad_document_is_listed():
    raw = full_document("2021", 2024)
    del raw["applications"]["3.3.2"]
    raw["applications"]["1"]["research"] = -1
    raw["applications"]["2"]["commercial"] = "3"
    raw["remedies"]["reconsideration"]["extra"] = 1
    raw["proactive"]["fee"]["amount_10k_yuan"] = "1.1234567"
    with pytest.raises(importer.DocumentError) as caught:
        importer.read_document(json.dumps(raw))
    text = "\n".join(caught.value.problems)
    assert "缺少 applications/3.3.2" in text
    assert "applications/1/research 不能为负数" in text
    assert "applications/2/commercial 应为整数" in text
    assert "remedies/reconsideration 中有本格式没有的列“extra”" in text
    assert "最多保留 6 位小数" in text


@pytest.mark.parametrize("raw", ["not json", "[]", '{"year": "2024"}'])
def test_unreadable_documents_are_refused(raw):
    with pytest.raises(importer.DocumentError):
        importer.read_document(raw)


def test_importing_the_same_year_again_is_a_correction_with_a_reason(cast):
    head = cast.office_head
    doc = importer.read_document(json.dumps(full_document("2021", 2024)))
    v1 = actions.report_import(
        actor=head, unit=cast.zhuwang, document=doc, published_date=datetime.date(2025, 1, 20)
    )
    with pytest.raises(ValidationError, match="更正原因"):
        actions.report_import(actor=head, unit=cast.zhuwang, document=doc)
    v2 = actions.report_import(actor=head, unit=cast.zhuwang, document=doc, reason="原表有误")
    v1.refresh_from_db()
    assert v1.corrected_at is not None and v2.number == 2
    assert timezone.localdate(v1.published_at) == datetime.date(2025, 1, 20)
    assert documents.previous_for(cast.zhuwang, 2025).kind == "imported"
    html = exports.to_html(v2.document, v2.title)
    assert 'rowspan="22"' in html


def test_a_report_written_here_cannot_be_overwritten_by_an_import(ledger):
    from tests.reports.helpers import start

    start(ledger, 2024)
    doc = importer.read_document(json.dumps(full_document("2021", 2024)))
    with pytest.raises(ValidationError, match="本系统中编写"):
        actions.report_import(actor=ledger.office_head, unit=ledger.zhuwang, document=doc)


def test_tables_cannot_be_imported_for_a_year_before_2019_or_this_year(cast):
    raw = full_document("2021", timezone.localdate().year)
    with pytest.raises(ValidationError, match="尚未结束"):
        actions.report_import(
            actor=cast.office_head,
            unit=cast.zhuwang,
            document=importer.read_document(json.dumps(raw)),
        )
    raw = full_document("2021", 2018)
    with pytest.raises(ValidationError, match="2019"):
        actions.report_import(
            actor=cast.office_head,
            unit=cast.zhuwang,
            document=importer.read_document(json.dumps(raw)),
        )
