"""The annual report as a formal document (DOCX), laid out as 公文 custom has it (GB/T 9704):

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the page number "— 1 —" in the
  footer (a PAGE field, 四号 宋体);
- the title in 二号 方正小标宋简体, centred; the text in 三号 仿宋_GB2312; the section headings
  (一、…) in 黑体 and the sub-headings （一）… in 楷体_GB2312;
- the tables in 宋体, their header rows repeated on every page (w:tblHeader) and no row split
  across two pages (w:cantSplit);
- the organ's name and the date at the end (落款).

方正小标宋简体, 仿宋_GB2312 and 楷体_GB2312 are commercial fonts absent from many machines: each is
named in the font table with the free font Word and WPS use instead (w:altName: 宋体, 仿宋,
楷体), so a machine without them still prints a 公文 face.

A report not yet finalised is a draft: every page carries 草稿 in its header, and the first page
lists what is missing instead of the 〔请填写〕 prompts.
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from lxml import etree

from gongkai.reports import formats, importer, layout

if TYPE_CHECKING:
    from gongkai.reports.exports import Status

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
HEI = "黑体"
SONG = "宋体"
LATIN = "Times New Roman"
# A commercial face and the free one to use where it is missing (fontTable w:altName).
FALLBACKS = {TITLE_FONT: SONG, BODY_FONT: "仿宋", KAI_FONT: "楷体"}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, PAGE_SIZE = 22, 16, 9, 14  # 二号, 三号, 小五, 四号
LINE = 28.95  # 22 lines a page


def _fonts(run: Any, east_asia: str, size: float, *, bold: bool = False) -> None:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(document: Any, parts: list[tuple[str, str]], size: float, **options: Any) -> Any:
    """A paragraph of runs (text, East Asian font)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = options.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(size * 2) if options.get("indent") else Pt(0)
    fmt.space_before = Pt(options.get("before", 0))
    fmt.space_after = Pt(options.get("after", 0))
    fmt.line_spacing = Pt(options.get("line", LINE))
    if options.get("right_indent"):
        fmt.right_indent = Pt(options["right_indent"])
    if options.get("keep"):
        fmt.keep_with_next = True
    for text, font in parts:
        _fonts(paragraph.add_run(text), font, size, bold=options.get("bold", False))
    return paragraph


def _font_table(document: Any) -> None:
    """Name each commercial face with its fallback (w:altName) and the GB2312 charset."""
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, fallback in {**FALLBACKS, HEI: "SimHei", SONG: "SimSun"}.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": fallback})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "roman"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph: Any, instruction: str, font: str, size: float) -> None:
    run = paragraph.add_run()
    _fonts(run, font, size)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            result = OxmlElement("w:t")
            result.text = text
            run._r.append(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _page_setup(document: Any, status: Status) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    r_pr.append(lang)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(footer.add_run("— "), SONG, PAGE_SIZE)
    _field(footer, "PAGE", SONG, PAGE_SIZE)
    _fonts(footer.add_run(" —"), SONG, PAGE_SIZE)
    if status.draft:
        # The header repeats on every page: the 草稿 mark cannot be cut off a printed page.
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(DRAFT_HEADER)
        _fonts(run, HEI, 14, bold=True)
        run.font.color.rgb = RGBColor(0xA1, 0x23, 0x1B)


DRAFT_HEADER = "草稿（未定稿，不得作为正式报告发布）"


def _repeat_and_keep(table: Any, header_rows: int) -> None:
    """Header rows repeat on each page (w:tblHeader); no row breaks across pages
    (w:cantSplit)."""
    for index, tr in enumerate(table._tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _table(document: Any, grid: layout.Grid) -> Any:
    table = document.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = layout.COLUMN_WIDTHS_MM[grid.name]
    # Word reads the cell widths, LibreOffice and WPS the table grid: set both.
    for i, column in enumerate(table.columns):
        column.width = Mm(widths[i])
    # Look the cells up once, before merging: python-docx's table.cell() walks the whole table
    # on every call. Merging keeps each span's top-left element, and spans never overlap.
    grid_tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for tcs in grid_tcs:
        for i, tc in enumerate(tcs):
            _Cell(tc, table).width = Mm(widths[i])
    for cell in grid.cells:
        target = _Cell(grid_tcs[cell.row][cell.col], table)
        if cell.rowspan > 1 or cell.colspan > 1:
            last = grid_tcs[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1]
            target = target.merge(_Cell(last, table))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.alignment = (
            WD_ALIGN_PARAGRAPH.LEFT
            if cell.kind in (layout.LABEL, layout.CORNER) and cell.colspan > 1 and cell.col == 0
            else WD_ALIGN_PARAGRAPH.CENTER
        )
        size = TABLE_SIZE if grid.name != "proactive" else 10.5
        _fonts(paragraph.add_run(cell.text), SONG, size, bold=cell.kind == layout.HEAD)
    _repeat_and_keep(table, max(grid.header_rows, 1))
    return table


def _prose(document: Any, text: str) -> None:
    """A section's paragraphs; a leading （一）… sub-heading up to its full stop in 楷体."""
    for paragraph in importer.paragraphs(text):
        if paragraph.startswith("（") and "）" in paragraph[:4] and "。" in paragraph[:16]:
            head, _dot, rest = paragraph.partition("。")
            _paragraph(
                document, [(head + "。", KAI_FONT), (rest, BODY_FONT)], BODY_SIZE, indent=True
            )
        else:
            _paragraph(document, [(paragraph, BODY_FONT)], BODY_SIZE, indent=True)


def _date_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build(doc: dict[str, Any], title: str, status: Status) -> bytes:
    document = Document()
    _font_table(document)
    _page_setup(document, status)
    document.core_properties.title = title
    document.core_properties.author = doc.get("unit", "")
    document.core_properties.language = "zh-CN"
    _paragraph(
        document,
        [(title, TITLE_FONT)],
        TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
        line=36,
    )
    if status.draft:
        _paragraph(
            document,
            [("本稿尚未定稿，不是正式报告。定稿前还需完成：", HEI)],
            BODY_SIZE,
            after=0,
        )
        for number, item in enumerate(status.missing or ["（无）"], start=1):
            _paragraph(document, [(f"{number}. {item}", BODY_FONT)], 12, line=20)
        _paragraph(document, [("", BODY_FONT)], 12, line=20)
    if status.late:
        _paragraph(document, [(status.late, KAI_FONT)], BODY_SIZE, indent=True)
    if doc.get("format") in formats.TABLE_FORMATS:
        grids = layout.grids(doc)
        for key, heading in formats.SECTION_TITLES.items():
            _paragraph(document, [(heading, HEI)], BODY_SIZE, indent=True, keep=True)
            _prose(document, status.section_text(doc, key))
            if key in grids:
                _table(document, grids[key])
                _paragraph(document, [("", BODY_FONT)], 10.5, line=14)
    else:  # an imported full text of a year before 2019 carries its own 落款
        _prose(document, doc.get("text", ""))
        return _save(document)
    # 落款: the organ and the date, right-aligned, after two empty lines.
    for _blank in range(2):
        _paragraph(document, [("", BODY_FONT)], BODY_SIZE)
    for text in (doc.get("unit", ""), _date_text(status.date)):
        _paragraph(
            document,
            [(text, BODY_FONT)],
            BODY_SIZE,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            right_indent=BODY_SIZE * 2,
        )
    return _save(document)


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
