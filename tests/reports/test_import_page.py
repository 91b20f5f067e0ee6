"""`gongkai import-report PATH --unit U --year Y`: annual reports saved from the web pages they
were published on, read into the structured report with every cell as printed."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.reports import documents, formats, htmlreport
from gongkai.reports.models import AnnualReport, Origin

PAGES = Path(__file__).parent / "real_reports"
SHUYANG = PAGES / "shuyang-fgj-2023.html"
SHANGHAI = PAGES / "shanghai-bgt-2019.html"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference" / "real-reports"


def _import(path, year, unit="zhuwang", *args):
    out = StringIO()
    call_command("import-report", str(path), "--unit", unit, "--year", str(year), *args, stdout=out)
    return out.getvalue()


def _zero_except(table, given):
    for row, values in table.items():
        for col, value in values.items():
            assert value == given.get((row, col), 0), (row, col, value)


def test_the_fixture_is_the_shared_reference_page_unchanged():
    shared = SHARED / "shuyang-fgj-2023.html"
    if shared.exists():
        assert shared.read_bytes() == SHUYANG.read_bytes()


def test_shuyang_2023_page_imports_with_every_cell_as_printed(cast):
    out = _import(SHUYANG, 2023)
    assert "已导入并发布：沭阳县发展和改革局2023年政府信息公开年度报告" in out
    assert "原发布日期：2024-01-17" in out
    assert "格式：2021年格式" in out and "读取表格单元格 200 个" in out
    report = AnnualReport.objects.get(unit=cast.zhuwang, year=2023)
    assert report.origin == Origin.IMPORTED and report.format == formats.F2021
    version = report.published_version()
    assert version.published_at.date().isoformat() == "2024-01-17"
    doc = version.document
    # 二: 「规范性文件」 is the form's 「行政规范性文件」; the 收费 amount is 万元.
    assert doc["proactive"] == {
        "regulation": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_document": {"issued": 8, "repealed": 0, "in_force": 18},
        "license": {"decisions": 0},
        "penalty": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fee": {"amount_10k_yuan": "0"},
    }
    # 三: blank cells are 0; only the printed numbers are non-zero.
    _zero_except(
        doc["applications"],
        {
            ("1", "natural_person"): 26,
            ("1", "total"): 26,
            ("3.1", "natural_person"): 26,
            ("3.1", "total"): 26,
            ("3.7", "natural_person"): 26,
            ("3.7", "total"): 26,
        },
    )
    assert set(doc["applications"]) == set(formats.application_rows(formats.F2021))
    # 四: 行政复议 尚未审结 1, 总计 1.
    _zero_except(
        doc["remedies"],
        {("reconsideration", "pending"): 1, ("reconsideration", "total"): 1},
    )
    assert doc["sections"]["1"].startswith("根据《中华人民共和国政府信息公开条例》")
    assert "全年受理网络问政182件" in doc["sections"]["1"]
    assert doc["sections"]["5"].startswith("（一）存在的主要问题。")
    assert doc["sections"]["6"].startswith("2023年度，县发展和改革局政府信息公开未发生收费情况。")
    assert "header" not in doc["sections"]["6"] and "jquery" not in doc["sections"]["6"]
    assert not [f for f in doc["checks"] if f["level"] == "error"]


def test_shanghai_2019_trial_format_page_imports_with_every_cell_as_printed(cast):
    out = _import(SHANGHAI, 2019)
    assert "格式：2019年试行格式" in out
    doc = AnnualReport.objects.get(unit=cast.zhuwang, year=2019).published_version().document
    assert doc["format"] == formats.F2019
    assert doc["proactive"]["regulation"] == {"made": 13, "published": 13, "total_public": 524}
    assert doc["proactive"]["normative_document"] == {
        "made": 60,
        "published": 60,
        "total_public": 368,
    }
    for row in ("license", "other_service", "penalty", "coercion"):
        assert doc["proactive"][row] == {"last_year_items": 0, "change": 0, "decisions": 0}
    assert doc["proactive"]["fee"] == {"last_year_items": 0, "change": 0}
    assert doc["proactive"]["procurement"] == {"items": 6, "amount": "251000元"}
    printed = {
        "1": (821, 35, 0, 0, 2, 1, 859),
        "2": (18, 0, 0, 0, 0, 0, 18),
        "3.1": (258, 12, 0, 0, 1, 1, 0),  # the page leaves 总计 blank
        "3.2": (3, 0, 0, 0, 0, 0, 0),
        "3.3.1": (14, 0, 0, 0, 0, 0, 0),
        "3.3.5": (5, 0, 0, 0, 0, 0, 0),
        "3.3.6": (3, 1, 0, 0, 0, 0, 0),
        "3.3.8": (10, 2, 0, 0, 0, 0, 0),
        "3.4.1": (252, 12, 0, 0, 1, 0, 0),
        "3.4.2": (44, 3, 0, 0, 0, 0, 0),
        "3.4.3": (25, 0, 0, 0, 0, 0, 0),
        "3.5.1": (148, 1, 0, 0, 0, 0, 0),
        "3.5.2": (5, 4, 0, 0, 0, 0, 0),
        "3.7": (767, 35, 0, 0, 2, 1, 805),
        "4": (72, 0, 0, 0, 0, 0, 72),
    }
    for row in formats.application_rows(formats.F2019):
        expected = printed.get(row, (0,) * 7)
        assert tuple(doc["applications"][row][c] for c in formats.COLUMNS) == expected, row
    assert doc["remedies"]["reconsideration"] == {
        "upheld": 5,
        "corrected": 0,
        "other": 0,
        "pending": 2,
        "total": 7,
    }
    assert doc["remedies"]["litigation_direct"] == {
        "upheld": 8,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 9,
    }
    assert set(doc["remedies"]["litigation_after_reconsideration"].values()) == {0}
    # Imported figures go through the same checks: the blank 总计 of （一）予以公开 is flagged.
    assert any(
        f["level"] == "error" and f["cell"].startswith("applications/3.1") for f in doc["checks"]
    ), doc["checks"]
    assert "核对错误" in out
    assert doc["sections"]["6"] == "无。"


def test_carry_over_check_works_across_the_import_boundary(cast):
    _import(SHANGHAI, 2019)
    doc = documents.live_document(cast.zhuwang, 2020)
    carry = [f for f in doc["checks"] if f["rule"] == "carry_over"]
    assert carry and carry[0]["cell"] == "applications/2/natural_person"
    assert "2019年度报告（第1版）的“结转下年度继续办理”为72" in carry[0]["message"]
    assert "上年报告为导入的报告" in carry[0]["message"]


def test_a_directory_with_the_saved_page_and_its_assets(cast, tmp_path):
    folder = tmp_path / "saved"
    (folder / "files").mkdir(parents=True)
    shutil.copy(SHUYANG, folder / "report.html")
    (folder / "files" / "style.css").write_text("body{}")
    assert "已导入并发布" in _import(folder, 2023)


def test_a_page_whose_tables_cannot_be_read_goes_in_as_text_with_a_note(cast, tmp_path):
    page = SHUYANG.read_text(encoding="utf-8").replace("结果维持", "维持")
    broken = tmp_path / "broken.html"
    broken.write_text(page, encoding="gb18030")
    out = _import(broken, 2023)
    assert "格式：全文（表格未能读取）" in out
    assert "找不到“四、政府信息公开行政复议、行政诉讼情况”的表格" in out
    report = AnnualReport.objects.get(unit=cast.zhuwang, year=2023)
    assert report.format == formats.LEGACY
    assert report.text.startswith("【导入说明】本报告从原网站发布的页面导入。页面中的表格无法")
    assert "一、总体情况" in report.text and "沭阳县发展和改革局" in report.text


def test_bad_arguments_exit_2_and_write_nothing(cast, tmp_path):
    with pytest.raises(CommandError) as failed:
        _import(SHUYANG, 2023, "nowhere")
    assert failed.value.returncode == 2
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>")
    with pytest.raises(CommandError) as failed:
        _import(empty, 2023)
    assert "页面中没有找到报告正文" in str(failed.value)
    with pytest.raises(CommandError) as failed:
        _import(SHUYANG, 2022)
    assert "页面标题中的年度（2023）与所选年度（2022）不一致" in str(failed.value)
    _import(SHUYANG, 2023)
    with pytest.raises(CommandError) as failed:
        _import(SHUYANG, 2023)
    assert "再次导入即为更正" in str(failed.value)
    assert AnnualReport.objects.get().versions.count() == 1


def test_gb2312_page_is_decoded_by_its_declared_charset():
    html = '<meta charset="gb2312"><p>一、总体情况</p><p>诸往镇</p>'.encode("gb18030")
    assert "诸往镇" in htmlreport.read_page(htmlreport.decode(html)).text


def test_office_head_imports_a_saved_page_on_the_import_page(cast, client):
    from gongkai.accounts.models import Role
    from tests.factories import make_user

    head = make_user("head-import", roles=[(cast.zhuwang, Role.OFFICE_HEAD)])
    client.force_login(head)
    assert "从原网站保存的报告网页导入" in client.get("/staff/reports/import/").content.decode()
    with SHUYANG.open("rb") as page:
        response = client.post(
            "/staff/reports/import/",
            {
                "kind": "page",
                "page-unit": cast.zhuwang.code,
                "page-year": 2023,
                "page-file": page,
            },
        )
    assert response.status_code == 302
    doc = AnnualReport.objects.get(year=2023).published_version().document
    assert doc["applications"]["1"]["total"] == 26


def test_cells_and_rows_left_open_are_closed_as_browsers_do():
    html = (
        "<table><tr><td colspan=2>第二十条第（一）项<tr><td>信息内容<td>本年制发件数"
        "<tr><td>规章<td>3<tr><td>行政规范性文件<td><p>5</table>"
    )
    grid = htmlreport.grid_of(htmlreport.parse_html(html).find_all("table")[0])
    assert [[c.text for c in htmlreport.distinct(line)] for line in grid] == [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数"],
        ["规章", "3"],
        ["行政规范性文件", "5"],
    ]
