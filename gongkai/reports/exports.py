"""A report as a file: JSON (REPORT_FORMAT.md), a self-contained HTML page, and a Word document
(DOCX, A4) whose tables have the merged cells of the national form.

Word and WPS pick the font for Chinese text from the run's East Asian font (w:eastAsia), not
from the Latin one python-docx sets, so every run gets both: 宋体 for the title and the tables,
黑体 for the section headings, 仿宋 for the prose.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from gongkai.lib.cleantext import clean_data, clean_text
from gongkai.reports import checks, formats, importer, layout

SONG, HEI, FANGSONG = "宋体", "黑体", "仿宋"
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _flag(grids: dict[str, layout.Grid], doc: dict[str, Any]) -> None:
    """Mark the cells each finding concerns (an error outranks a warning)."""
    cells = {c.key: c for grid in grids.values() for c in grid.cells if c.key}
    for finding in doc.get("checks", []):
        for key in checks.cells_of(finding, doc["format"]):
            cell = cells.get(key)
            if cell is None:
                continue
            if cell.flag != checks.ERROR:
                cell.flag = finding["level"]
            cell.note = f"{cell.note}\n{finding['message']}".strip()


def context(doc: dict[str, Any], title: str, *, flag: bool = False, **extra: Any) -> dict[str, Any]:
    """What the report templates need: the document, its tables laid out, its sections.
    With `flag`, cells named by the checks carry the finding (the staff preview)."""
    tables = doc.get("format") in formats.TABLE_FORMATS
    sections = []
    if tables:
        grids = layout.grids(doc)
        if flag:
            _flag(grids, doc)
        for key, heading in formats.SECTION_TITLES.items():
            sections.append(
                {
                    "key": key,
                    "title": heading,
                    "paragraphs": importer.paragraphs(doc.get("sections", {}).get(key, "")),
                    "grid": grids.get(key),
                }
            )
    return {
        "doc": doc,
        "title": title,
        "tables": tables,
        "sections": sections,
        "legacy_paragraphs": [] if tables else importer.paragraphs(doc.get("text", "")),
        "empty_section_text": "（本部分尚未填写）",
        **extra,
    }


def _css() -> str:
    path = finders.find("reports/reports.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def to_html(doc: dict[str, Any], title: str, **extra: Any) -> str:
    """A self-contained page (styles inline): it opens anywhere, offline, and prints."""
    return render_to_string(
        "reports/document_standalone.html", context(doc, title, css=_css(), **extra)
    )


# ----------------------------------------------------------------------------------------- DOCX


def _fonts(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(document: Any, text: str, font: str, size: float, **options: Any) -> Any:
    paragraph = document.add_paragraph()
    paragraph.alignment = options.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt = paragraph.paragraph_format
    if options.get("indent"):
        fmt.first_line_indent = Pt(size * 2)
    fmt.space_after = Pt(options.get("after", 0))
    fmt.line_spacing = Pt(options.get("line", size * 1.75))
    _fonts(paragraph.add_run(text), font, size, options.get("bold", False))
    return paragraph


def _base_document() -> Any:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(16)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FANGSONG)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704 公文 margins: 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    return document


COLUMN_WIDTHS_MM = {
    "proactive": [46, 36.7, 36.7, 36.6],
    "applications": [13, 19, 44, *([11.4] * 7)],
    "remedies": [10.4] * 15,
}


def _table(document: Any, grid: layout.Grid) -> Any:
    table = document.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = COLUMN_WIDTHS_MM[grid.name]
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
        size = 9 if grid.name != "proactive" else 10.5
        _fonts(paragraph.add_run(cell.text), SONG, size, bold=cell.kind == layout.HEAD)
    return table


def to_docx(doc: dict[str, Any], title: str) -> bytes:
    # Text kept from before input was cleaned may hold control characters XML cannot hold.
    doc, title = clean_data(doc), clean_text(title)
    document = _base_document()
    document.core_properties.title = title
    document.core_properties.author = doc.get("unit", "")
    _paragraph(
        document, title, SONG, 22, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, after=12, line=30
    )
    if doc.get("format") in formats.TABLE_FORMATS:
        grids = layout.grids(doc)
        for key, heading in formats.SECTION_TITLES.items():
            _paragraph(document, heading, HEI, 16, after=0)
            for text in importer.paragraphs(doc["sections"].get(key, "")):
                _paragraph(document, text, FANGSONG, 16, indent=True)
            if key in grids:
                _table(document, grids[key])
                _paragraph(document, "", FANGSONG, 10.5)
    else:
        for text in importer.paragraphs(doc.get("text", "")):
            _paragraph(document, text, FANGSONG, 16, indent=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(doc: dict[str, Any], title: str, fmt: str) -> bytes:
    """The report as `fmt` (json, html or docx), as bytes."""
    if fmt == "json":
        return to_json(doc).encode()
    if fmt == "html":
        return to_html(doc, title).encode()
    if fmt == "docx":
        return to_docx(doc, title)
    raise ValueError(f"unknown format {fmt!r}")


def filename(unit_code: str, year: int, fmt: str, version: int | None = None) -> str:
    suffix = f"-v{version}" if version else ""
    return f"{unit_code}-{year}-annual-report{suffix}.{fmt}"
