"""The XLSX the city office sends up: one row per site, and per indicator three columns (value,
threshold, result), in the order and with the titles of INSPECTION_EXPORT_COLUMNS."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from gongkai.inspection import queries
from gongkai.inspection.models import Status

FILLS = {
    Status.FAIL: PatternFill("solid", fgColor="F4CCCC"),
    Status.WARNING: PatternFill("solid", fgColor="FFF2CC"),
}


def workbook(rows: list[queries.CityRow], day: datetime.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{day:%Y-%m-%d}"
    columns = queries.export_columns()
    header = ["单位", "总体结果", "单项否决项数", "预警项数"]
    for _code, title in columns:
        header += [f"{title}（数值）", f"{title}（阈值）", f"{title}（结果）"]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    verdicts = {"veto": "不合格（单项否决）", "warning": "有预警", "pass": "合格"}
    labels = dict(Status.choices)
    for row in rows:
        line = [row.unit.name, verdicts[row.verdict], row.vetoes, row.warnings]
        statuses = []
        for code, _title in columns:
            result = row.results.get(code)
            if result is None:
                line += ["", "", "未检查"]
                statuses.append("")
                continue
            line += [result.value, result.threshold, str(labels.get(result.status, result.status))]
            statuses.append(result.status)
        ws.append(line)
        for n, status in enumerate(statuses):
            if status in FILLS:
                ws.cell(row=ws.max_row, column=5 + n * 3 + 2).fill = FILLS[status]
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
