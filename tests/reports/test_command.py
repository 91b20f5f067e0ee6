"""`gongkai annual-report UNIT YEAR [--format json|html|docx] [-o FILE]` (INTERFACES.md)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from gongkai.reports import actions
from tests.reports.helpers import late_application, ready, start


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("annual-report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_the_live_figures_when_nothing_is_finalised(ledger):
    data = json.loads(run("zhuwang", "2025"))
    assert data["format"] == "2021" and data["unit"] == "乳山市诸往镇人民政府"
    assert data["applications"]["1"]["total"] == 14
    assert "全年新收政府信息公开申请14件" in data["sections"]["1"]  # the system's draft


def test_it_takes_the_full_name_as_well_as_the_code(ledger):
    assert json.loads(run("乳山市诸往镇人民政府", "2024"))["applications"]["4"]["total"] == 4


def test_it_prints_the_finalised_version_once_there_is_one(ledger):
    report = ready(ledger, start(ledger))
    actions.report_finalise(actor=ledger.office_head, report=report)
    late_application("2025-03-03")  # after 定稿: the command keeps the frozen figures
    data = json.loads(run("zhuwang", "2025"))
    assert data["applications"]["1"]["total"] == 14
    assert data["sections"]["5"].startswith("一是公开内容不够全面")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nowhere", "2025"), "没有这个单位"),
        (("zhuwang-office", "2025"), "不是信息公开主体"),
        (("zhuwang", "twenty"), "年度“twenty”无效"),
        (("zhuwang", "2999"), "无效"),
        (("zhuwang", "2016"), "没有固定表格"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(cast, args, message):
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == 2


def test_it_writes_docx_and_html_files(ledger, tmp_path):
    target = tmp_path / "report.docx"
    call_command(
        "annual-report",
        "zhuwang",
        "2025",
        "--format",
        "docx",
        "-o",
        str(target),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    document = Document(str(target))
    assert document.tables[1].cell(3, 9).text == "14"
    html = tmp_path / "report.html"
    call_command(
        "annual-report",
        "zhuwang",
        "2025",
        "--format",
        "html",
        "-o",
        str(html),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    text = html.read_text(encoding="utf-8")
    assert 'rowspan="22"' in text and "<style>" in text
    assert {p.name for p in tmp_path.iterdir()} == {"report.docx", "report.html"}  # no temp files


def test_a_missing_directory_is_refused_without_writing(ledger, tmp_path):
    with pytest.raises(CommandError, match="目录不存在") as caught:
        run("zhuwang", "2025", "-o", str(tmp_path / "no" / "such.json"))
    assert caught.value.returncode == 2


def test_the_legacy_report_prints_its_text(cast):
    from gongkai.reports.demo import FIXTURE

    actions.import_legacy_text(
        actor=cast.office_head, unit=cast.zhuwang, raw=FIXTURE.read_text(encoding="utf-8")
    )
    data = json.loads(run("zhuwang", "2017"))
    assert set(data) == {"unit", "year", "format", "text"}
    assert data["format"] == "legacy" and data["text"].startswith(
        "根据《中华人民共和国政府信息公开条例》"
    )
