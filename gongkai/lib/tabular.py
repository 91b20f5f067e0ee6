"""Reading the rows of an import file (INTERFACES.md "Import files"): CSV in UTF-8 (with or
without BOM) or GB18030, XLSX, or JSON Lines, with a header in English or Chinese.

    columns = {"unit": ["unit", "发布机构"], "title": ["title", "名称"], ...}
    table = read_table(data, name, columns=columns, required={"unit", "title"})
    for row in table.rows:            # Row(line=2, values={"unit": "...", "title": "..."})
        ...

Line numbers are physical and 1-based, the header being line 1 (a CSV record with a quoted
line break starts at the line named). A problem with the file as a whole (unreadable encoding,
no header, a required column missing) raises `TabularError` naming the line; problems with one
row are the caller's to report, with `row.line`. The format is judged from the content.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai.lib.cleantext import clean_data


class TabularError(Exception):
    """The file cannot be read as a table; the message names the line when there is one."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line else message)


@dataclass
class Row:
    line: int
    values: dict[str, Any]
    # A row that could not even be parsed (bad JSON): the reason, for the caller to report.
    error: str = ""

    def __post_init__(self) -> None:
        # Imports are an input boundary like forms and the API: whatever built the row (a file,
        # the demo), its text loses the same characters (gongkai.lib.cleantext).
        self.values = clean_data(self.values)


@dataclass
class Table:
    format: str  # csv, xlsx, jsonl
    columns: list[str]  # canonical names found in the header
    ignored: list[str]  # header cells that match no known column
    rows: list[Row] = field(default_factory=list)
    # Header cells read as a column under another spelling: (cell as written, column name).
    renamed: list[tuple[str, str]] = field(default_factory=list)


def normalise_header(value: Any) -> str:
    text = str(value or "").replace("\ufeff", "").strip().lower()
    text = text.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "")
    return re.sub(r"\s+", "", text)


def alias_map(columns: dict[str, list[str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, aliases in columns.items():
        for alias in [canonical, *aliases]:
            mapping[normalise_header(alias)] = canonical
    return mapping


def detect_format(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if any(n.startswith("xl/") for n in zf.namelist()):
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise TabularError("文件是压缩包但不是 XLSX 表格；请上传 CSV、XLSX 或 JSON Lines 文件。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TabularError(
            "这是旧版 Excel（.xls）文件；请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
        )
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "jsonl" if start == b"{" else "csv"


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030, which is what older Excel saves as CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TabularError("文字编码无法识别（应为 UTF-8 或 GB18030/GBK）", line) from exc


def _header(
    cells: Iterable[Any], aliases: dict[str, str], required: set[str], labels: dict[str, str]
) -> tuple[list[str | None], list[str], list[tuple[str, str]]]:
    names: list[str | None] = []
    ignored: list[str] = []
    renamed: list[tuple[str, str]] = []
    for cell in cells:
        key = normalise_header(cell)
        canonical = aliases.get(key)
        if canonical is None and key:
            ignored.append(str(cell).strip())
        if canonical is not None and key != canonical:
            renamed.append((str(cell).replace("\ufeff", "").strip(), canonical))
        if canonical is not None and canonical in names:
            raise TabularError(f"表头中“{str(cell).strip()}”重复", 1)
        names.append(canonical)
    missing = [c for c in required if c not in names]
    if missing:
        wanted = "、".join(labels.get(c, c) for c in sorted(missing))
        raise TabularError(f"表头缺少必填列：{wanted}", 1)
    return names, ignored, renamed


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def _blank(values: dict[str, Any]) -> bool:
    return all(v in ("", None) for v in values.values())


def _read_csv(text: str, aliases, required, labels) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_cells = next(reader)
    except StopIteration:
        raise TabularError("文件是空的，没有表头") from None
    except csv.Error as exc:
        raise TabularError(f"CSV 格式错误（{exc}）", 1) from exc
    names, ignored, renamed = _header(header_cells, aliases, required, labels)
    table = Table("csv", [n for n in names if n], ignored, renamed=renamed)
    previous_end = reader.line_num
    while True:
        line = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise TabularError(f"CSV 格式错误（{exc}）", line) from exc
        previous_end = reader.line_num
        values = {n: _cell(c) for n, c in zip(names, cells, strict=False) if n}
        if _blank(values):
            continue
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            table.rows.append(Row(line, values, error="列数多于表头"))
            continue
        table.rows.append(Row(line, values))
    return table


def _read_xlsx(data: bytes, aliases, required, labels) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise TabularError(f"XLSX 文件无法打开（{type(exc).__name__}）") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        if header_cells is None:
            raise TabularError("工作表是空的，没有表头")
        names, ignored, renamed = _header(header_cells, aliases, required, labels)
        table = Table("xlsx", [n for n in names if n], ignored, renamed=renamed)
        for line, cells in enumerate(rows, start=2):
            values = {n: _cell(c) for n, c in zip(names, cells, strict=False) if n}
            if not _blank(values):
                table.rows.append(Row(line, values))
    finally:
        book.close()
    return table


def _read_jsonl(text: str, aliases, required, labels) -> Table:
    table = Table("jsonl", [], [])
    seen: set[str] = set()
    # split on \n only: U+2028 and friends may sit inside JSON strings.
    for line, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            table.rows.append(Row(line, {}, error=f"不是有效的 JSON（{exc.msg}）"))
            continue
        if not isinstance(obj, dict):
            table.rows.append(Row(line, {}, error="每行应是一个 JSON 对象"))
            continue
        values: dict[str, Any] = {}
        for key, value in obj.items():
            canonical = aliases.get(normalise_header(key))
            if canonical is None:
                if key not in table.ignored:
                    table.ignored.append(key)
                continue
            values[canonical] = _cell(value) if not isinstance(value, dict | list) else value
            seen.add(canonical)
        missing = [labels.get(c, c) for c in sorted(required) if values.get(c) in (None, "")]
        if missing:
            table.rows.append(Row(line, values, error="缺少必填项：" + "、".join(missing)))
            continue
        table.rows.append(Row(line, values))
    table.columns = sorted(seen)
    return table


def read_table(
    data: bytes,
    *,
    columns: dict[str, list[str]],
    required: set[str] | None = None,
    labels: dict[str, str] | None = None,
) -> Table:
    """Read every row of an import file. `columns` maps each canonical column name to its
    accepted header spellings; `labels` gives the names used in messages (default: canonical)."""
    required = required or set()
    labels = labels or {}
    aliases = alias_map(columns)
    if not data.strip():
        raise TabularError("文件是空的")
    fmt = detect_format(data)
    if fmt == "xlsx":
        return _read_xlsx(data, aliases, required, labels)
    text = decode(data)
    if fmt == "jsonl":
        return _read_jsonl(text, aliases, required, labels)
    return _read_csv(text, aliases, required, labels)


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(value: Any) -> datetime.date:
    """A date cell, or text YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日).
    Raises ValueError with a message for the clerk."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError("日期为空")
    text = text.split("T")[0].split(" ")[0]
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError(f"日期“{value}”无效，应为 YYYY-MM-DD")
