"""The DOCX of a letter, read back with python-docx (and, when LibreOffice is installed,
converted to PDF as Word and WPS users would print it): A4 with 公文 margins, Chinese fonts set
through w:eastAsia, the title, the text, the signature and a page number."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from gongkai.applications import actions, casework, letter_docx, letters
from tests.applications.conftest import D, at


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def refusal(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 5)):
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.3.5",
            legal_basis="《中华人民共和国政府信息公开条例》第十六条第一款",
            reasons="属于人事管理方面的内部事务信息。",
        )
        casework.sign_off(
            actor=cast.leader, application=app, approve=True, reference="诸政信告〔2026〕7号"
        )
    return app.letters.get()


def read(letter):
    with letter.file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def east_asia(style_element) -> str:
    fonts = style_element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_official_document_margins(refusal):
    section = read(refusal).sections[0]
    mm = [
        round(length.mm)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]


def test_chinese_fonts_are_set_for_east_asian_text(refusal):
    doc = read(refusal)
    assert east_asia(doc.styles["Normal"].element) == "仿宋"
    assert east_asia(doc.styles["GK Title"].element) == "黑体"
    assert doc.styles["GK Title"].font.size.pt == 22
    assert doc.styles["GK Body"].font.size.pt == 16
    defaults = etree.tostring(doc.styles.element.find(qn("w:docDefaults")), encoding="unicode")
    assert 'w:eastAsia="仿宋"' in defaults and 'w:eastAsia="zh-CN"' in defaults


def test_title_reference_text_signature_and_page_number(refusal):
    doc = read(refusal)
    texts = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert texts[0] == ("GK Title", "政府信息不予公开告知书")
    assert texts[1] == ("GK Reference", "诸政信告〔2026〕7号")
    assert texts[2] == ("GK Salutation", "张三：")
    assert all(style == "GK Body" for style, _text in texts[3:-2])
    assert texts[-2:] == [
        ("GK Signature", "乳山市诸往镇人民政府"),
        ("GK Signature", "2026年3月5日"),
    ]
    body = "".join(text for _style, text in texts)
    assert "属于人事管理方面的内部事务信息。" in body and "第二十三条" in body
    footer = doc.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("—")
    assert doc.core_properties.title == "政府信息不予公开告知书"
    assert doc.core_properties.author == "乳山市诸往镇人民政府"


def test_the_docx_matches_the_stored_text(refusal):
    doc = read(refusal)
    paragraphs = [p.text for p in doc.paragraphs if p.text][2:-2]
    assert paragraphs == letters.rendered_from(refusal).paragraphs


LIBREOFFICE = shutil.which("libreoffice")


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_letter_to_a_one_page_pdf(refusal, tmp_path):
    from pypdf import PdfReader

    source = tmp_path / "letter.docx"
    source.write_bytes(letter_docx.build(letters.rendered_from(refusal)))
    subprocess.run(  # noqa: S603 - our own file, a fixed command
        [str(LIBREOFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = PdfReader(tmp_path / "letter.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (
        round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 297
    )
    text = reader.pages[0].extract_text()
    assert "政府信息不予公开告知书" in text.replace(" ", "")
