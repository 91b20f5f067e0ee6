"""The tables of sections 二, 三 and 四 laid out as the national form prints them: every cell
with its grid position and its row and column spans. The HTML page and the DOCX export draw
from this one layout, so they cannot drift apart.

Section 三: the top-left cell spans three columns and three header rows;
「三、本年度办理结果」 spans 22 rows (20 in the 2019 format); 「（三）不予公开」
8, 「（四）无法提供」 3, 「（五）不予处理」 5 and, in 2021, 「（六）其他处理」 3.
Rows without a sub-item ((一), (二), (七)) span the group and item columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.reports import formats

HEAD, LABEL, NUMBER, CORNER = "head", "label", "number", "corner"
# The columns of each table on A4 (mm, 156 mm of text width), shared by the DOCX and the HTML.
COLUMN_WIDTHS_MM = {
    "proactive": [46, 36.7, 36.7, 36.6],
    "applications": [13, 19, 44, *([11.4] * 7)],
    "remedies": [10.4] * 15,
}


@dataclass
class Cell:
    row: int
    col: int
    text: str
    kind: str = LABEL
    rowspan: int = 1
    colspan: int = 1
    key: str = ""  # path into the document for figures: "applications/3.1/total"
    flag: str = ""  # "error" or "warning" when a check names this cell (staff pages)
    note: str = ""


@dataclass
class Grid:
    name: str
    n_rows: int
    n_cols: int
    cells: list[Cell] = field(default_factory=list)
    header_rows: int = 0

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right (HTML order)."""
        grouped: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            grouped[cell.row].append(cell)
        return grouped

    def head_rows(self) -> list[list[Cell]]:
        """The header rows (a printed table repeats them on every page)."""
        return self.rows()[: self.header_rows]

    def body_rows(self) -> list[list[Cell]]:
        return self.rows()[self.header_rows :]

    def col_widths(self) -> list[str]:
        """Each column's share of the width in percent, from the widths of the printed form."""
        widths = COLUMN_WIDTHS_MM[self.name]
        return [f"{100 * w / sum(widths):.2f}" for w in widths]

    def by_key(self) -> dict[str, Cell]:
        return {c.key: c for c in self.cells if c.key}


def _text(value: Any) -> str:
    return str(value)


def proactive_grid(doc: dict[str, Any]) -> Grid:
    fmt = doc["format"]
    width = 1 + formats.PROACTIVE_WIDTH
    cells: list[Cell] = []
    r = 0
    for group in formats.PROACTIVE[fmt]:
        cells.append(Cell(r, 0, group.heading, HEAD, colspan=width))
        r += 1
        cells.append(Cell(r, 0, "信息内容", HEAD))
        n = len(group.columns)
        for i, (_key, label, _kind) in enumerate(group.columns):
            span = formats.PROACTIVE_WIDTH - n + 1 if i == n - 1 else 1
            cells.append(Cell(r, 1 + i, label, HEAD, colspan=span))
        r += 1
        for row_key, row_label in group.rows:
            cells.append(Cell(r, 0, row_label, LABEL))
            for i, (col_key, _label, _kind) in enumerate(group.columns):
                span = formats.PROACTIVE_WIDTH - n + 1 if i == n - 1 else 1
                cells.append(
                    Cell(
                        r,
                        1 + i,
                        _text(doc["proactive"][row_key][col_key]),
                        NUMBER,
                        colspan=span,
                        key=f"proactive/{row_key}/{col_key}",
                    )
                )
            r += 1
    return Grid("proactive", r, width, cells)


def _number_cells(doc: dict[str, Any], r: int, code: str) -> list[Cell]:
    return [
        Cell(
            r,
            3 + i,
            _text(doc["applications"][code][col]),
            NUMBER,
            key=f"applications/{code}/{col}",
        )
        for i, col in enumerate(formats.COLUMNS)
    ]


def applications_grid(doc: dict[str, Any]) -> Grid:
    fmt = doc["format"]
    cells = [
        Cell(0, 0, formats.TOP_LEFT, CORNER, rowspan=3, colspan=3),
        Cell(0, 3, formats.APPLICANTS_HEADING, HEAD, colspan=7),
        Cell(1, 3, formats.COLUMN_LABELS["natural_person"], HEAD, rowspan=2),
        Cell(1, 4, formats.ORGANISATIONS_HEADING, HEAD, colspan=5),
        Cell(1, 9, formats.COLUMN_LABELS["total"], HEAD, rowspan=2),
    ]
    for i, col in enumerate(formats.COLUMNS[1:-1]):
        cells.append(Cell(2, 4 + i, formats.COLUMN_LABELS[col], HEAD))
    r = 3
    for code, label in (formats.ROW_1, formats.ROW_2):
        cells.append(Cell(r, 0, label, LABEL, colspan=3))
        cells += _number_cells(doc, r, code)
        r += 1
    groups = formats.RESULT_GROUPS[fmt]
    block = sum(len(rows) for _g, rows in groups)
    cells.append(Cell(r, 0, formats.RESULTS_HEADING, LABEL, rowspan=block))
    for group_label, rows in groups:
        if len(rows) == 1 and not rows[0][1]:
            cells.append(Cell(r, 1, group_label, LABEL, colspan=2))
            cells += _number_cells(doc, r, rows[0][0])
            r += 1
            continue
        cells.append(Cell(r, 1, group_label, LABEL, rowspan=len(rows)))
        for code, item_label in rows:
            cells.append(Cell(r, 2, item_label, LABEL))
            cells += _number_cells(doc, r, code)
            r += 1
    code, label = formats.ROW_4
    cells.append(Cell(r, 0, label, LABEL, colspan=3))
    cells += _number_cells(doc, r, code)
    return Grid("applications", r + 1, 10, cells, header_rows=3)


def remedies_grid(doc: dict[str, Any]) -> Grid:
    results = formats.REMEDY_RESULTS
    cells = [
        Cell(0, 0, formats.RECONSIDERATION_HEADING, HEAD, colspan=5),
        Cell(0, 5, formats.LITIGATION_HEADING, HEAD, colspan=10),
    ]
    for i, result in enumerate(results):
        cells.append(Cell(1, i, formats.REMEDY_RESULT_LABELS[result], HEAD, rowspan=2))
    cells.append(Cell(1, 5, formats.REMEDY_KIND_LABELS["litigation_direct"], HEAD, colspan=5))
    cells.append(
        Cell(1, 10, formats.REMEDY_KIND_LABELS["litigation_after_reconsideration"], HEAD, colspan=5)
    )
    for block in range(2):
        for i, result in enumerate(results):
            cells.append(Cell(2, 5 + block * 5 + i, formats.REMEDY_RESULT_LABELS[result], HEAD))
    for k, kind in enumerate(formats.REMEDY_KINDS):
        for i, result in enumerate(results):
            cells.append(
                Cell(
                    3,
                    k * 5 + i,
                    _text(doc["remedies"][kind][result]),
                    NUMBER,
                    key=f"remedies/{kind}/{result}",
                )
            )
    return Grid("remedies", 4, 15, cells, header_rows=3)


def grids(doc: dict[str, Any]) -> dict[str, Grid]:
    """The three tables of a table-format document, by section number."""
    return {
        "2": proactive_grid(doc),
        "3": applications_grid(doc),
        "4": remedies_grid(doc),
    }
