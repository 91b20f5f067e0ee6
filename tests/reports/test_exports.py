"""Exports: the JSON document exactly as REPORT_FORMAT.md; the DOCX read back with python-docx
(its cells equal the JSON, merged like the official form, East Asian fonts, A4); the HTML tables
with the official row spans."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.oxml.ns import qn

from gongkai.reports import documents, exports, formats, layout

DOC_KEYS = {
    "unit",
    "unit_code",
    "year",
    "format",
    "sections",
    "proactive",
    "applications",
    "remedies",
    "checks",
}


@pytest.fixture
def doc(ledger):
    from gongkai.reports import actions

    report = actions.report_create(actor=ledger.office_head, unit=ledger.zhuwang, year=2025)
    actions.report_update(
        actor=ledger.office_head,
        report=report,
        sections={"5": "第一段。\n第二段。"},
        entered={
            "license": {"decisions": 12},
            "penalty": {"decisions": 3},
            "fee": {"amount_10k_yuan": "190.457379"},
        },
    )
    report.refresh_from_db()
    return documents.live_document(ledger.zhuwang, 2025, report)


def test_json_has_every_code_with_zeros_and_the_checks(doc):
    data = json.loads(exports.to_json(doc))
    assert set(data) == DOC_KEYS
    assert data["format"] == "2021" and data["unit_code"] == "zhuwang" and data["year"] == 2025
    assert set(data["sections"]) == {"1", "5", "6"}
    assert list(data["applications"]) == formats.application_rows("2021")
    assert len(data["applications"]) == 25
    for row in data["applications"].values():
        assert list(row) == list(formats.COLUMNS)
        assert all(isinstance(v, int) for v in row.values())
    assert data["applications"]["3.3.1"]["total"] == 0  # zeros included
    assert data["proactive"] == {
        "regulation": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_document": {"issued": 0, "repealed": 0, "in_force": 0},
        "license": {"decisions": 12},
        "penalty": {"decisions": 3},
        "coercion": {"decisions": 0},
        "fee": {"amount_10k_yuan": "190.457379"},
    }
    assert set(data["remedies"]) == set(formats.REMEDY_KINDS)
    for values in data["remedies"].values():
        assert list(values) == list(formats.REMEDY_RESULTS)
    for check in data["checks"]:
        assert set(check) == {"rule", "cell", "level", "message"}
        assert check["level"] in {"error", "warning"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0"),
        ("12.50", "12.5"),
        ("190.457379", "190.457379"),
        (3, "3"),
        ("0.000001", "0.000001"),
    ],
)
def test_amounts_are_decimal_strings_of_at_most_six_places(value, text):
    assert formats.format_amount(value) == text


def _numbers(data: dict) -> dict[str, str]:
    """Every figure of the document by its cell path."""
    found = {}
    for part in ("proactive", "applications", "remedies"):
        for row, values in data[part].items():
            for col, value in values.items():
                found[f"{part}/{row}/{col}"] = str(value)
    return found


def test_docx_cells_equal_the_json(doc):
    data = json.loads(exports.to_json(doc))
    document = Document(io.BytesIO(exports.to_docx(doc, "测试报告")))
    proactive, applications, remedies = document.tables
    tables = {"proactive": proactive, "applications": applications, "remedies": remedies}
    read = {}
    for name, grid in layout.grids(data).items():
        table = tables[grid.name]
        assert len(table.rows) == grid.n_rows and len(table.columns) == grid.n_cols, name
        for cell in grid.cells:
            if cell.key:
                read[cell.key] = table.cell(cell.row, cell.col).text
    assert read == _numbers(data)  # every figure, and nothing else
    # fixed positions of the official form, independent of the layout code
    assert applications.cell(3, 3).text == str(data["applications"]["1"]["natural_person"])
    assert applications.cell(4, 9).text == str(data["applications"]["2"]["total"])
    assert applications.cell(27, 9).text == str(data["applications"]["4"]["total"])
    assert applications.cell(26, 9).text == str(data["applications"]["3.7"]["total"])
    assert remedies.cell(3, 14).text == str(
        data["remedies"]["litigation_after_reconsideration"]["total"]
    )
    assert proactive.cell(13, 1).text == "190.457379"


def test_docx_merges_cells_like_the_official_form(doc):
    table = Document(io.BytesIO(exports.to_docx(doc, "测试报告"))).tables[1]
    c = table.cell
    assert c(0, 0).text == formats.TOP_LEFT
    assert c(0, 0)._tc is c(2, 2)._tc  # top-left: 3 rows × 3 columns
    assert c(5, 0).text == "三、本年度办理结果"
    assert c(5, 0)._tc is c(26, 0)._tc and c(27, 0)._tc is not c(26, 0)._tc  # 22 rows
    assert c(7, 1).text == "（三）不予公开" and c(7, 1)._tc is c(14, 1)._tc  # 8 rows
    assert c(15, 1).text == "（四）无法提供" and c(15, 1)._tc is c(17, 1)._tc
    assert c(18, 1).text == "（五）不予处理" and c(18, 1)._tc is c(22, 1)._tc
    assert c(23, 1).text == "（六）其他处理" and c(23, 1)._tc is c(25, 1)._tc
    assert c(5, 1).text == "（一）予以公开" and c(5, 1)._tc is c(5, 2)._tc
    assert c(9, 2).text == "3.危及“三安全一稳定”"
    assert c(3, 0).text == "一、本年新收政府信息公开申请数量" and c(3, 0)._tc is c(3, 2)._tc


def test_docx_is_a4_with_east_asian_fonts(doc):
    document = Document(io.BytesIO(exports.to_docx(doc, "测试报告")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            fonts.add(run._element.rPr.rFonts.get(qn("w:eastAsia")))
    assert {"方正小标宋简体", "黑体", "仿宋_GB2312", "楷体_GB2312"} <= fonts
    cell_run = document.tables[1].cell(0, 0).paragraphs[0].runs[0]
    assert cell_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert document.paragraphs[0].text == "测试报告"
    headings = [p.text for p in document.paragraphs if p.text in formats.SECTION_TITLES.values()]
    assert headings == list(formats.SECTION_TITLES.values())


class Cells(HTMLParser):
    """(tag, text, rowspan, colspan) of every table cell of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[list] = []
        self._open: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            a = dict(attrs)
            self._open = [tag, "", int(a.get("rowspan", 1)), int(a.get("colspan", 1))]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open is not None:
            self.cells.append(self._open)
            self._open = None


def spans(html: str) -> dict[str, tuple[int, int]]:
    parser = Cells()
    parser.feed(html)
    return {text.strip(): (rowspan, colspan) for _tag, text, rowspan, colspan in parser.cells}


def test_html_has_the_official_row_spans(doc):
    found = spans(exports.to_html(doc, "测试报告"))
    assert found[formats.TOP_LEFT] == (3, 3)
    assert found["三、本年度办理结果"] == (22, 1)
    assert found["（三）不予公开"] == (8, 1)
    assert found["（四）无法提供"] == (3, 1)
    assert found["（五）不予处理"] == (5, 1)
    assert found["（六）其他处理"] == (3, 1)
    assert found["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == (1, 2)
    assert found["申请人情况"] == (1, 7)
    assert found["法人或其他组织"] == (1, 5)
    assert found["第二十条第（八）项"] == (1, 4)
    assert found["本年收费金额（单位：万元）"] == (1, 3)


def test_the_2019_format_has_its_own_layout(ledger):
    doc = documents.live_document(ledger.zhuwang, 2020)
    assert doc["format"] == "2019"
    found = spans(exports.to_html(doc, "2020"))
    assert found["三、本年度办理结果"] == (20, 1)
    assert found["（六）其他处理"] == (1, 2)
    assert found["第二十条第（九）项"] == (1, 4)
    assert found["规范性文件"] == (1, 1)
    table = Document(io.BytesIO(exports.to_docx(doc, "2020"))).tables[1]
    assert len(table.rows) == 26


def test_legacy_json_carries_only_unit_year_format_and_text(cast):
    doc = documents.legacy_document(cast.zhuwang, 2017, "全文")
    assert json.loads(exports.to_json(doc)) == {
        "unit": "乳山市诸往镇人民政府",
        "year": 2017,
        "format": "legacy",
        "text": "全文",
    }
    document = Document(io.BytesIO(exports.to_docx(doc, "2017年报告")))
    assert [p.text for p in document.paragraphs] == ["2017年报告", "全文"]
