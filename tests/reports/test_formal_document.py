"""The report as a formal document: the DOCX read back (A4, PAGE field in the footer, header rows
repeated and rows kept whole, the 公文 fonts named in the XML with their fallbacks, the 落款),
a draft marked 草稿 on every page with what it lacks instead of 〔请填写〕 prompts, a late
publication marked on the report, the HTML printing on A4, and (when LibreOffice is installed)
the DOCX converted to PDF with the mark on every page."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
import time_machine
from docx import Document
from docx.oxml.ns import qn

from gongkai.reports import actions, document_docx, documents, exports
from tests.reports.helpers import ready, start


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10), tick=False)


@pytest.fixture
def draft(ledger):
    report = start(ledger)
    return report, documents.live_document(ledger.zhuwang, 2025, report)


def xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def test_the_docx_is_an_a4_formal_document(draft):
    report, doc = draft
    data = exports.render(doc, report.title, "docx")
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert [round(x.mm) for x in (section.page_width, section.page_height)] == [210, 297]
    body = xml(data, "word/document.xml")
    footer = (
        xml(data, "word/footer1.xml")
        if "word/footer1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        else section.footer._element.xml
    )
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    # Header rows repeat on every page; no row breaks across pages.
    assert body.count("<w:tblHeader/>") >= 3 and "<w:cantSplit/>" in body
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert all(
            tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows
        )
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    # The fonts are named in the XML: 方正小标宋简体 (title), 仿宋_GB2312 (body), 黑体 and
    # 楷体_GB2312 (headings); the font table names 宋体 as the title's fallback.
    title_run = document.paragraphs[0].runs[0]
    assert document.paragraphs[0].text == report.title
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_run.font.size.pt == 22
    assert 'w:eastAsia="仿宋_GB2312"' in body and 'w:eastAsia="黑体"' in body
    assert 'w:eastAsia="楷体_GB2312"' in body
    fonts = xml(data, "word/fontTable.xml")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    body_runs = [p for p in document.paragraphs if p.text.startswith("（二）依申请公开")]
    assert body_runs and body_runs[0].runs[0].text == "（二）依申请公开。"
    assert body_runs[0].runs[1].font.size.pt == 16  # 三号
    # 落款: the organ and the date, right-aligned, at the end.
    last = [p for p in document.paragraphs if p.text][-2:]
    assert last[0].text == "乳山市诸往镇人民政府"
    assert last[1].text.endswith("日") and last[1].alignment == 2  # RIGHT


def test_a_draft_is_marked_on_every_page_and_lists_what_is_missing(draft):
    report, doc = draft
    data = exports.render(doc, report.title, "docx")
    document = Document(io.BytesIO(data))
    header = document.sections[0].header.paragraphs[0].text
    assert header == document_docx.DRAFT_HEADER
    text = "\n".join(p.text for p in document.paragraphs)
    assert "〔请" not in text
    assert "本稿尚未定稿，不是正式报告。定稿前还需完成：" in text
    assert "一、总体情况：本年度政府信息公开工作考核结果、社会评议情况和责任追究结果" in text
    assert "五、存在的主要问题及改进情况：尚未撰写" in text
    html = exports.render(doc, report.title, "html").decode()
    assert '<div class="draft-mark" aria-hidden="true">草稿</div>' in html
    assert "〔请填写" not in html and "五、存在的主要问题及改进情况：尚未撰写" in html
    assert "<title>【草稿】" in html


def test_a_finalised_report_has_no_draft_mark(ledger):
    report = ready(ledger, start(ledger))
    version = actions.report_finalise(actor=ledger.office_head, report=report)
    data = exports.render(version.document, version.title, "docx", version)
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == ""
    assert "本稿尚未定稿" not in "\n".join(p.text for p in document.paragraphs)
    html = exports.render(version.document, version.title, "html", version).decode()
    assert "draft-mark" not in html.split("</style>")[1]


def test_a_report_published_after_the_deadline_says_so(ledger):
    report = ready(ledger, start(ledger))
    with on(datetime.date(2026, 2, 10)):  # a township publishes by 31 January
        actions.report_finalise(actor=ledger.office_head, report=report)
        version = actions.report_publish(actor=ledger.office_head, report=report)
    note = "本报告于2026年2月10日发布，晚于规定的发布期限（2026年1月31日），逾期10日。"
    assert exports.late_note(version) == note
    data = exports.render(version.document, version.title, "docx", version)
    assert note in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert note in exports.render(version.document, version.title, "html", version).decode()


def test_the_html_prints_on_a4_without_the_phone_hint(draft):
    report, doc = draft
    html = exports.render(doc, report.title, "html").decode()
    style = html.split("</style>")[0]
    assert "@page { size: A4;" in style
    printing = style.split("@media print")[-1]
    assert ".scroll-hint" in printing and "display: none" in printing
    assert "table-layout: fixed" in printing and "table-header-group" in printing
    assert "<thead>" in html and "<colgroup>" in html
    assert '<div class="report-signature"><p>乳山市诸往镇人民政府</p>' in html


LIBREOFFICE = shutil.which("libreoffice")


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_draft_with_the_mark_and_page_numbers(draft, tmp_path):
    from pypdf import PdfReader

    report, doc = draft
    source = tmp_path / "report.docx"
    source.write_bytes(exports.render(doc, report.title, "docx"))
    subprocess.run(  # noqa: S603 - our own file, a fixed command
        [str(LIBREOFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = PdfReader(tmp_path / "report.pdf").pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "草稿" in text, number
        assert f"— {number} —" in text, number
        mediabox = page.mediabox
        assert (
            round(float(mediabox.width) / 72 * 25.4),
            round(float(mediabox.height) / 72 * 25.4),
        ) == (210, 297)
