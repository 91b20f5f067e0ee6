"""The staff pages (workspace, edit, acknowledge, finalise, publish, exports, import) and the
public report page, through the test client."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from gongkai.reports import actions
from gongkai.reports.demo import FIXTURE
from gongkai.reports.models import AnnualReport, ReportState
from tests.factories import PASSWORD
from tests.reports.helpers import ready, start
from tests.reports.test_import import full_document

REPORT = "/staff/reports/zhuwang/2025/"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def head(ledger, client):
    return login(client, "head")


def test_the_list_shows_the_organs_and_years(head):
    page = head.get("/staff/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "乳山市诸往镇人民政府" in text and REPORT in text
    assert "乳山市夏村镇人民政府" not in text


def test_staff_without_the_permission_are_refused(ledger, client):
    assert client.get("/staff/reports/").status_code == 302  # sign in first
    login(client, "drafter")
    assert client.get("/staff/reports/").status_code == 403
    login(client, "other")
    assert client.get(REPORT).status_code == 404


def test_before_starting_the_page_shows_the_live_figures_and_a_start_button(head):
    page = head.get(REPORT)
    text = page.content.decode()
    assert page.status_code == 200
    assert "开始编写报告" in text and 'rowspan="22"' in text
    assert "全年新收政府信息公开申请14件" in text
    head.post(f"{REPORT}create/")
    assert AnnualReport.objects.get().state == ReportState.DRAFT


def test_a_bad_amount_is_shown_on_the_form_and_changes_nothing(head, ledger):
    report = start(ledger)
    form = {
        "title": report.title,
        "section_1": report.section_1,
        "section_5": "问题和改进。",
        "section_6": report.section_6,
        "entered__license__decisions": "5",
        "entered__penalty__decisions": "",
        "entered__coercion__decisions": "",
        "entered__fee__amount_10k_yuan": "3.14159265",
    }
    page = head.post(f"{REPORT}edit/", form)
    assert page.status_code == 200
    assert "最多保留 6 位小数" in page.content.decode()
    report.refresh_from_db()
    assert report.section_5 == "" and report.entered == {}
    form["entered__fee__amount_10k_yuan"] = "3.14"
    assert head.post(f"{REPORT}edit/", form).status_code == 302
    report.refresh_from_db()
    assert report.section_5 == "问题和改进。"
    assert report.entered["fee"] == {"amount_10k_yuan": "3.14"}
    assert report.entered["license"] == {"decisions": 5}


def test_the_whole_way_through_the_pages(head, ledger, client):
    report = start(ledger)
    ready(ledger, report)
    page = head.get(REPORT).content.decode()
    assert "已由" in page and "确认" in page  # the acknowledgement is shown
    response = head.post(f"{REPORT}finalise/", follow=True)
    assert "报告已定稿" in response.content.decode()
    assert head.get("/nianbao/zhuwang/2025/").status_code == 404  # not yet published
    head.post(f"{REPORT}publish/")
    public = client.get("/nianbao/zhuwang/2025/")
    text = public.content.decode()
    assert public.status_code == 200
    assert "乳山市诸往镇人民政府2025年政府信息公开工作年度报告" in text
    assert 'rowspan="22"' in text and 'rowspan="8"' in text
    column = client.get("/gk/zhuwang/nianbao/").content.decode()
    assert "/nianbao/zhuwang/2025/" in column


def test_the_reviewer_cannot_finalise_from_the_page(ledger, client):
    ready(ledger, start(ledger))
    login(client, "reviewer")
    response = client.post(f"{REPORT}finalise/", follow=True)
    assert "没有权限" in response.content.decode()
    assert AnnualReport.objects.get().state == ReportState.DRAFT


def test_acknowledging_without_a_note_is_refused(head, ledger):
    start(ledger)
    response = head.post(
        f"{REPORT}acknowledge/",
        {"rule": "carry_over", "cell": "applications/2/total", "message": "x", "note": ""},
        follow=True,
    )
    assert "请写明核对情况" in response.content.decode()


def test_exports_of_the_working_copy_and_of_a_version(head, ledger):
    report = ready(ledger, start(ledger))
    data = head.get(f"{REPORT}export/json/").json()
    assert data["applications"]["1"]["total"] == 14 and data["sections"]["5"]
    docx = head.get(f"{REPORT}export/docx/")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Document(io.BytesIO(docx.content)).tables[1].cell(3, 9).text == "14"
    actions.report_finalise(actor=ledger.office_head, report=report)
    assert head.get(f"{REPORT}export/json/?v=1").json()["year"] == 2025
    assert head.get(f"{REPORT}export/json/?v=9").status_code == 404
    assert head.get(f"{REPORT}export/pdf/").status_code == 404
    assert head.get(f"{REPORT}v1/").status_code == 200


def test_a_corrected_version_stays_public_and_says_so(head, ledger, client):
    h = ledger.office_head
    report = ready(ledger, start(ledger))
    actions.report_finalise(actor=h, report=report)
    actions.report_publish(actor=h, report=report)
    actions.report_start_correction(actor=h, report=report, reason="第五部分补充")
    actions.report_finalise(actor=h, report=report)
    actions.report_publish(actor=h, report=report)
    newest = client.get("/nianbao/zhuwang/2025/").content.decode()
    assert "本报告已于" in newest and "更正说明：第五部分补充" in newest
    old = client.get("/nianbao/zhuwang/2025/v1/").content.decode()
    assert "本版本已于" in old and "/nianbao/zhuwang/2025/" in old
    download = client.get("/nianbao/zhuwang/2025/xiazai/docx/?v=1")
    assert download.status_code == 200
    assert client.get("/nianbao/zhuwang/2025/xiazai/docx/?v=x").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/nianbao/zhuwang/2025/",
        "/nianbao/zhuwang/99999/",
        "/nianbao/nowhere/2025/",
        "/nianbao/zhuwang-office/2025/",
        "/nianbao/zhuwang/2025/v3/",
        "/staff/reports/zhuwang/1999/",
    ],
)
def test_missing_reports_are_404(head, path):
    assert head.get(path).status_code == 404


def test_importing_the_seed_report_from_the_page(head, ledger, client):
    response = head.post(
        "/staff/reports/import/",
        {
            "kind": "legacy",
            "legacy-unit": "zhuwang",
            "legacy-year": "",
            "legacy-text": FIXTURE.read_text(encoding="utf-8"),
        },
    )
    assert response.status_code == 302
    public = client.get("/nianbao/zhuwang/2017/").content.decode()
    assert "乳山市诸往镇2017年政府信息公开工作年度报告" in public
    assert "发布日期：2018-01-29" in public
    assert "镇长信箱" in public


def test_a_bad_json_import_lists_the_problems_and_creates_nothing(head, ledger):
    raw = full_document("2021", 2024)
    del raw["applications"]["3.1"]
    upload = io.BytesIO(json.dumps(raw).encode())
    upload.name = "report.json"
    page = head.post(
        "/staff/reports/import/", {"kind": "json", "json-unit": "zhuwang", "json-file": upload}
    )
    assert page.status_code == 200
    assert "缺少 applications/3.1" in page.content.decode()
    assert not AnnualReport.objects.exists()


def test_the_workbench_reminds_the_office_of_last_years_report(head, ledger):
    from django.utils import timezone

    year = timezone.localdate().year - 1
    text = head.get("/staff/").content.decode()
    assert f"{year} 年度政府信息公开工作年度报告" in text
    assert "诸往镇：尚未开始" in text
    assert f"/staff/reports/zhuwang/{year}/" in text


def test_correcting_from_the_page_needs_a_reason(head, ledger):
    h = ledger.office_head
    report = ready(ledger, start(ledger))
    actions.report_finalise(actor=h, report=report)
    actions.report_publish(actor=h, report=report)
    response = head.post(f"{REPORT}correct/", {"reason": ""}, follow=True)
    assert "请写明原因" in response.content.decode()
    assert AnnualReport.objects.get().state == ReportState.PUBLISHED
    head.post(f"{REPORT}correct/", {"reason": "数字有误"})
    assert AnnualReport.objects.get().state == ReportState.DRAFT


def test_the_list_links_earlier_reports(head, ledger):
    actions.import_legacy_text(
        actor=ledger.office_head, unit=ledger.zhuwang, raw=FIXTURE.read_text(encoding="utf-8")
    )
    text = head.get("/staff/reports/").content.decode()
    assert "/staff/reports/zhuwang/2017/" in text
    page = head.get("/staff/reports/zhuwang/2017/").content.decode()
    assert "乳山市诸往镇2017年政府信息公开工作年度报告" in page and "重新导入" in page
