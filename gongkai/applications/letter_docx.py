"""The DOCX of a letter, laid out roughly as GB/T 9704 (党政机关公文格式) asks, so that it opens
cleanly in Word and WPS and prints like the office's own paper letters:

- A4, margins top 37 mm, bottom 35 mm, left (订口) 28 mm, right 26 mm;
- the title in 2号 (22 pt) 黑体, centred; an optional 文号 under it;
- the text in 3号 (16 pt) 仿宋 at a fixed 28.95 pt line pitch (22 lines a page), first lines
  indented two characters; the salutation flush left;
- the organ and the date at the bottom right; the page number "— 1 —" in 4号 宋体 in the footer.

Chinese fonts are set through w:eastAsia on the styles and the document defaults (Word ignores a
plain font name for CJK text), and the language is marked zh-CN.
"""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.applications.letter_texts import format_date
from gongkai.lib.cleantext import clean_text

if TYPE_CHECKING:
    from gongkai.applications.letters import Rendered

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)


def _fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and East Asian fonts and the zh-CN language on an rPr owner."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(doc, name: str, *, font: str, size, bold: bool = False, base: str | None = None):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if base:
        style.base_style = styles[base]
    style.font.size = size
    style.font.bold = bold
    style.font.name = LATIN_FONT
    _fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return style


def _document_defaults(doc) -> None:
    """Make 仿宋 the default East Asian font of the whole document (docDefaults)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)

    class _Owner:
        def get_or_add_rPr(self):
            return rpr

    _fonts(_Owner(), BODY_FONT)


def _page_number(doc, section) -> None:
    footer = section.footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.style = doc.styles["GK Page Number"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            result = OxmlElement("w:t")
            result.text = text
            run._r.append(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    paragraph.add_run(" —")


def _setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    _document_defaults(doc)
    _style(doc, "Normal", font=BODY_FONT, size=BODY_SIZE)
    title = _style(doc, "GK Title", font=TITLE_FONT, size=TITLE_SIZE, base="Normal")
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(14)
    ref = _style(doc, "GK Reference", font=BODY_FONT, size=BODY_SIZE, base="Normal")
    ref.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ref.paragraph_format.space_after = Pt(14)
    salute = _style(doc, "GK Salutation", font=BODY_FONT, size=BODY_SIZE, base="Normal")
    salute.paragraph_format.first_line_indent = Pt(0)
    body = _style(doc, "GK Body", font=BODY_FONT, size=BODY_SIZE, base="Normal")
    body.paragraph_format.first_line_indent = Pt(32)  # two characters
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    sign = _style(doc, "GK Signature", font=BODY_FONT, size=BODY_SIZE, base="Normal")
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(32)
    _style(doc, "GK Page Number", font=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE, base="Normal")
    _page_number(doc, section)


def build(rendered: Rendered) -> bytes:
    """The DOCX bytes of a rendered letter. Text stored before control characters were removed
    at input (an applicant's name with U+0001) is cleaned here, since XML cannot hold it."""
    rendered = dataclasses.replace(
        rendered,
        title=clean_text(rendered.title),
        body=clean_text(rendered.body),
        organ_name=clean_text(rendered.organ_name),
        reference=clean_text(rendered.reference),
    )
    doc = Document()
    _setup(doc)
    props = doc.core_properties
    props.title = rendered.title
    props.author = rendered.organ_name
    props.language = "zh-CN"
    doc.add_paragraph(rendered.title, style="GK Title")
    if rendered.reference:
        doc.add_paragraph(rendered.reference, style="GK Reference")
    paragraphs = rendered.paragraphs
    if paragraphs:
        doc.add_paragraph(paragraphs[0], style="GK Salutation")
    for text in paragraphs[1:]:
        doc.add_paragraph(text, style="GK Body")
    doc.add_paragraph("", style="GK Body")
    doc.add_paragraph("", style="GK Body")
    doc.add_paragraph(rendered.organ_name, style="GK Signature")
    doc.add_paragraph(format_date(rendered.issued), style="GK Signature")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
