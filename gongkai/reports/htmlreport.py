"""Reading an annual report from the web page it was published on (`gongkai import-report`).

Real pages wrap the report in the site's markup (navigation, scripts, a metadata table) and draw
its three tables with merged cells: 「三、本年度办理结果」 spans 22 rows, a value may span two
columns, a header two rows. The tables are laid out on a grid (rowspan/colspan expanded, each
slot pointing at the cell that covers it) and read by their labels, not by position:

- section 二: rows of distinct cells, 「信息内容」 rows naming the columns of the group below;
- section 三: the bottom header cell over each grid column names the applicant column, the
  label cells of a row (group and item) name the row;
- section 四: the header cells over each column name the remedy and the result.

A blank cell is 0 (pages leave zeros out); 「规范性文件」 is the 2021 form's 「行政规范性文件」.
The format is told by the tables (本年制发件数 and 3.6.1–3.6.3 mean 2021; 本年新制作数量 and a
single （六）其他处理 row mean the 2019 trial format). What cannot be read is listed in
`Parsed.problems`; the caller then falls back to the text-only form with a note.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from gongkai.reports import formats

VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source"}
SKIP = {"script", "style", "noscript", "template", "iframe"}
BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "section", "article", "header", "footer", "blockquote", "dd", "dt",
}  # fmt: skip
# An open element that a new start tag closes (HTML's implied end tags), and the elements the
# search for it does not go past.
SELF_CLOSING_SIBLINGS = {"p": {"p"}, "td": {"td", "th"}, "th": {"td", "th"}, "tr": {"tr"}}
BOUNDARIES = {
    "p": {"table", "tr", "td", "th", "div"},
    "td": {"table", "tr"},
    "th": {"table", "tr"},
    "tr": {"table", "tbody", "thead", "tfoot"},
}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        parts: list[str] = []
        self._text(parts)
        return "".join(parts)

    def _text(self, parts: list[str]) -> None:
        if self.tag in BLOCK:
            parts.append("\n")
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                child._text(parts)
        if self.tag in BLOCK or self.tag in ("td", "th"):
            parts.append("\n" if self.tag in BLOCK else "\t")

    def find_all(self, tag: str, *, into_tables: bool = True) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                    if not into_tables and tag == "table":
                        continue
                if into_tables or child.tag != "table":
                    found.extend(child.find_all(tag, into_tables=into_tables))
        return found

    def ancestors(self) -> list[Node]:
        chain: list[Node] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in SKIP:
                self.skipping += 1
            return
        if tag in SKIP:
            self.skipping = 1
            return
        closes = SELF_CLOSING_SIBLINGS.get(tag)
        if closes:
            # Close an open sibling of the same kind, not past a table boundary.
            for depth in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[depth].tag
                if open_tag in closes:
                    del self.stack[depth:]
                    break
                if open_tag in BOUNDARIES[tag]:
                    break
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag not in SKIP:
            node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
            self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in SKIP:
                self.skipping -= 1
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


# ------------------------------------------------------------------------------ the grid


@dataclass(eq=False)
class Cell:
    text: str
    row: int  # the grid row it starts on


def _span(value: str) -> int:
    match = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(match.group(1)), 200)) if match else 1


def grid_of(table: Node) -> list[list[Cell | None]]:
    """The table as a grid: every slot holds the cell covering it (rowspan/colspan expanded)."""
    rows = [tr for tr in table.find_all("tr", into_tables=False)]
    grid: list[list[Cell | None]] = []
    for r, tr in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for td in [n for n in tr.children if isinstance(n, Node) and n.tag in ("td", "th")]:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            cell = Cell(clean(td.text()), r)
            for dr in range(_span(td.attrs.get("rowspan", "1"))):
                if r + dr >= len(rows):
                    break
                while len(grid) <= r + dr:
                    grid.append([])
                line = grid[r + dr]
                for dc in range(_span(td.attrs.get("colspan", "1"))):
                    while len(line) <= c + dc:
                        line.append(None)
                    line[c + dc] = cell
            c += _span(td.attrs.get("colspan", "1"))
    width = max((len(line) for line in grid), default=0)
    return [line + [None] * (width - len(line)) for line in grid]


def clean(text: str) -> str:
    """A cell's text as printed, on one line."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def key(text: str) -> str:
    """What tells two labels apart: no spacing, full-width brackets and colons, no quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s“”\"'‘’「」]", "", text)
    return text.replace("(", "（").replace(")", "）").replace(":", "：")


def distinct(line: list[Cell | None], *, row: int | None = None) -> list[Cell]:
    seen: list[Cell] = []
    for cell in line:
        if cell is None or cell in seen or (row is not None and cell.row != row):
            continue
        seen.append(cell)
    return seen


# ------------------------------------------------------------------------------ numbers

_ZERO = {"", "0", "-", "—", "——", "－", "/", "／", "无", "0件", "-0"}


def count(text: str, where: str, problems: list[str], *, signed: bool = False) -> int:
    value = unicodedata.normalize("NFKC", text).replace(" ", "").replace(",", "")
    value = value.removesuffix("件").removesuffix("个").removesuffix("项")
    if value in _ZERO:
        return 0
    match = re.fullmatch(r"([+-]?)(\d+)", value.replace("−", "-"))
    if not match or (match.group(1) == "-" and not signed):
        problems.append(f"{where}：“{text}”不是{'整数' if signed else '非负整数'}")
        return 0
    number = int(match.group(2))
    return -number if match.group(1) == "-" else number


# ------------------------------------------------------------------------------ the tables

ROW_LABELS = {
    "规章": "regulation",
    "行政规范性文件": "normative_document",
    "规范性文件": "normative_document",
    "行政许可": "license",
    "其他对外管理服务事项": "other_service",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政事业性收费": "fee",
    "政府集中采购": "procurement",
}


def _proactive_columns() -> dict[str, tuple[str, str]]:
    """Header label key → (format, column key), for both formats."""
    columns: dict[str, tuple[str, str]] = {}
    for fmt, groups in formats.PROACTIVE.items():
        for group in groups:
            for col, label, _kind in group.columns:
                columns[key(label)] = (fmt, col)
    return columns


PROACTIVE_COLUMNS = _proactive_columns()


def _proactive_column(header: str) -> tuple[str, str] | None:
    header = key(header)
    if header in PROACTIVE_COLUMNS:
        return PROACTIVE_COLUMNS[header]
    # “现行有效件数（历史累计）”, “本年收费金额（万元）”: the label before a bracket.
    for label, found in PROACTIVE_COLUMNS.items():
        if header.split("（")[0] == label.split("（")[0]:
            return found
    return None


@dataclass
class Parsed:
    format: str | None = None
    proactive: dict[str, dict[str, Any]] = field(default_factory=dict)
    applications: dict[str, dict[str, int]] = field(default_factory=dict)
    remedies: dict[str, dict[str, int]] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    title: str = ""
    published_date: datetime.date | None = None
    text: str = ""
    problems: list[str] = field(default_factory=list)
    votes: set[str] = field(default_factory=set)


def read_proactive(grids: list[list[list[Cell | None]]], parsed: Parsed) -> None:
    raw: dict[tuple[str, str], str] = {}
    headers: list[tuple[str, str] | None] = []
    for grid in grids:
        for r, line in enumerate(grid):
            cells = distinct(line, row=r)
            if not cells:
                continue
            first = key(cells[0].text)
            if "第二十条第" in first:
                continue
            if first == "信息内容":
                headers = [_proactive_column(c.text) for c in cells[1:]]
                for found in headers:
                    if found:
                        parsed.votes.add(found[0])
                continue
            row = ROW_LABELS.get(first)
            if row is None:
                continue
            for found, cell in zip(headers, cells[1:], strict=False):
                if found:
                    raw[(row, found[1])] = cell.text
    parsed.proactive = raw  # type: ignore[assignment]  # finished in _finish_proactive


def _finish_proactive(parsed: Parsed, fmt: str) -> None:
    raw: dict[tuple[str, str], str] = parsed.proactive  # type: ignore[assignment]
    table = formats.empty_proactive(fmt)
    labels = {row: label for group in formats.PROACTIVE[fmt] for row, label in group.rows}
    for row, col, kind in formats.proactive_fields(fmt):
        where = f"二、主动公开“{labels[row]}”"
        if (row, col) not in raw:
            parsed.problems.append(f"{where}：表格中找不到这一格")
            continue
        text = raw[(row, col)]
        if kind == formats.AMOUNT:
            try:
                value = unicodedata.normalize("NFKC", text).replace(" ", "")
                table[row][col] = formats.format_amount(
                    formats.parse_amount("0" if value in _ZERO else value)
                )
            except ValueError as exc:
                parsed.problems.append(f"{where}：{exc}")
        elif kind == formats.TEXT:
            table[row][col] = text[:100] or "0"
        else:
            table[row][col] = count(text, where, parsed.problems, signed=kind == formats.CHANGE)
    parsed.proactive = table


def _result_rows(fmt: str) -> list[tuple[str, str, str]]:
    """(row code, group key, item key) of section 三's rows."""
    rows = [("1", "本年新收", ""), ("2", "上年结转", ""), ("4", "结转下年度", "")]
    for group, items in formats.RESULT_GROUPS[fmt]:
        match = re.match(r"（[一二三四五六七]）[^（]+", group)
        group_key = key(match.group(0) if match else group)
        for code, item in items:
            rows.append((code, group_key, key(re.sub(r"^\d+\.", "", item))))
    return rows


def read_applications(grid: list[list[Cell | None]], parsed: Parsed) -> None:
    first_data = next(
        (
            r
            for r, line in enumerate(grid)
            if any("本年新收" in key(c.text) for c in distinct(line))
        ),
        None,
    )
    if first_data is None:
        parsed.problems.append("三、收到和处理申请：找不到“一、本年新收政府信息公开申请数量”一行")
        return
    by_label = {key(label): col for col, label in formats.COLUMN_LABELS.items()}
    columns: dict[int, str] = {}
    claimed: set[int] = set()
    for c in range(len(grid[0]) if grid else 0):
        header = [grid[r][c] for r in range(first_data) if grid[r][c] is not None]
        if not header:
            continue
        bottom = header[-1]
        col = by_label.get(key(bottom.text))
        if col and id(bottom) not in claimed:
            claimed.add(id(bottom))
            columns[c] = col
    missing = [formats.COLUMN_LABELS[c] for c in formats.COLUMNS if c not in columns.values()]
    if missing:
        parsed.problems.append(f"三、收到和处理申请：表头中找不到“{'、'.join(missing)}”列")
        return
    value_cells = set(columns)
    rows21 = _result_rows(formats.F2021)
    rows19 = _result_rows(formats.F2019)
    found: dict[str, dict[str, str]] = {}
    for r in range(first_data, len(grid)):
        line = grid[r]
        labels = distinct([cell for c, cell in enumerate(line) if c not in value_cells])
        if not labels:
            continue
        joined = "".join(key(c.text) for c in labels)
        last = re.sub(r"^\d+\.", "", key(labels[-1].text))
        code = None
        for candidate, group_key, item_key in rows21 + rows19:
            if item_key:
                if group_key in joined and last == item_key:
                    code = candidate
            elif candidate in ("1", "2", "4"):
                if group_key in last:
                    code = candidate
            elif last.startswith(group_key):
                code = candidate
            if code:
                break
        if code is None:
            continue
        if code in ("3.6.1", "3.6.2", "3.6.3"):
            parsed.votes.add(formats.F2021)
        elif code == "3.6":
            parsed.votes.add(formats.F2019)
        found[code] = {col: (line[c].text if line[c] else "") for c, col in columns.items()}
    parsed.applications = found  # type: ignore[assignment]  # finished in _finish_applications


def _finish_applications(parsed: Parsed, fmt: str) -> None:
    raw: dict[str, dict[str, str]] = parsed.applications  # type: ignore[assignment]
    table = formats.empty_applications(fmt)
    for code in formats.application_rows(fmt):
        where = f"三、“{formats.row_label(fmt, code)}”"
        if code not in raw:
            parsed.problems.append(f"{where}：表格中找不到这一行")
            continue
        for col in formats.COLUMNS:
            table[code][col] = count(
                raw[code][col], f"{where}“{formats.COLUMN_LABELS[col]}”列", parsed.problems
            )
    parsed.applications = table


def read_remedies(grid: list[list[Cell | None]], parsed: Parsed) -> None:
    data_rows = [
        r
        for r, line in enumerate(grid)
        if distinct(line)
        and all(re.fullmatch(r"[\d\s/\-—－无]*", c.text) for c in distinct(line, row=r))
        and distinct(line, row=r)
    ]
    if not data_rows:
        parsed.problems.append("四、行政复议和行政诉讼：找不到数字行")
        return
    data = data_rows[-1]
    by_result = {key(label): res for res, label in formats.REMEDY_RESULT_LABELS.items()}
    table = formats.empty_remedies()
    seen: set[tuple[str, str]] = set()
    claimed: set[int] = set()
    for c, cell in enumerate(grid[data]):
        header = [grid[r][c] for r in range(data) if grid[r][c] is not None]
        if cell is None or not header or id(cell) in claimed:
            continue
        claimed.add(id(cell))
        joined = "".join(key(h.text) for h in header)
        if "复议后起诉" in joined:
            kind = "litigation_after_reconsideration"
        elif "直接起诉" in joined:
            kind = "litigation_direct"
        elif "行政复议" in joined:
            kind = "reconsideration"
        else:
            continue
        result = by_result.get(key(header[-1].text))
        if result is None:
            continue
        where = f"四、“{formats.REMEDY_KIND_LABELS[kind]}”“{formats.REMEDY_RESULT_LABELS[result]}”"
        table[kind][result] = count(cell.text, where, parsed.problems)
        seen.add((kind, result))
    for kind in formats.REMEDY_KINDS:
        for result in formats.REMEDY_RESULTS:
            if (kind, result) not in seen:
                parsed.problems.append(
                    f"四、“{formats.REMEDY_KIND_LABELS[kind]}”"
                    f"“{formats.REMEDY_RESULT_LABELS[result]}”：表格中找不到这一格"
                )
    parsed.remedies = table


# ------------------------------------------------------------------------------ the page

HEADINGS = {
    "1": re.compile(r"^一[、.．]\s*总体情况"),
    "2": re.compile(r"^二[、.．].*主动公开"),
    "3": re.compile(r"^三[、.．].*申请"),
    "4": re.compile(r"^四[、.．].*(复议|诉讼)"),
    "5": re.compile(r"^五[、.．].*问题"),
    "6": re.compile(r"^六[、.．].*其他"),
}


def _lines(node: Node) -> list[str]:
    return [clean(line) for line in node.text().split("\n") if clean(line)]


def _sections(lines: list[str]) -> dict[str, str]:
    starts: dict[str, int] = {}
    for i, line in enumerate(lines):
        for number, pattern in HEADINGS.items():
            if number not in starts and pattern.match(line):
                starts[number] = i
    sections = {}
    intro_end = starts.get("1", 0)
    for number, end_number in (("1", "2"), ("5", "6"), ("6", None)):
        if number not in starts:
            sections[number] = ""
            continue
        end = starts.get(end_number, len(lines)) if end_number else len(lines)
        body = lines[starts[number] + 1 : end]
        if number == "1":
            body = lines[:intro_end] + body
        sections[number] = "\n".join(body)
    return sections


def _common_ancestor(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    chains = [[n, *n.ancestors()] for n in nodes]
    for candidate in chains[0]:
        if all(candidate in chain for chain in chains[1:]):
            return candidate
    return None


def _meta(root: Node, parsed: Parsed) -> None:
    """Title and publication date from the page's metadata table or its text."""
    title = ""
    for table in root.find_all("table"):
        for line in grid_of(table):
            cells = distinct(line)
            for label, value in itertools.pairwise(cells):
                name = key(label.text)
                if name in ("名称", "标题", "信息名称") and not title:
                    title = value.text
                if name in ("公开日期", "发布日期", "成文日期") and parsed.published_date is None:
                    parsed.published_date = _date(value.text)
    if not title:
        heads = [h for tag in ("h1", "h2", "h3") for h in root.find_all(tag)]
        title = next((clean(h.text()) for h in heads if "年度报告" in h.text()), "")
    if not title:
        titles = root.find_all("title")
        title = re.split(r"[-_|－]", clean(titles[0].text()))[0] if titles else ""
    parsed.title = title[:200]
    if parsed.published_date is None:
        match = re.search(
            r"(?:发布日期|公开日期|发布时间)[:：]\s*(\d{4}-\d{1,2}-\d{1,2})", root.text()
        )
        parsed.published_date = _date(match.group(1)) if match else None


def _date(text: str) -> datetime.date | None:
    match = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text or "")
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def read_page(html: str) -> Parsed:
    """Everything the page says; `problems` lists what could not be read."""
    root = parse_html(html)
    parsed = Parsed()
    _meta(root, parsed)
    proactive, applications, remedies = [], [], []
    for table in root.find_all("table"):
        if table.find_all("table"):
            continue  # a layout table around the report
        text = key(table.text())
        if "本年新收" in text and "申请人情况" in text:
            applications.append(table)
        elif "第二十条第" in text and "信息内容" in text:
            proactive.append(table)
        elif "行政复议" in text and "结果维持" in text:
            remedies.append(table)
    report_tables = proactive + applications + remedies
    content = _common_ancestor(report_tables) if report_tables else None
    if content is None or content.tag == "#root":
        # No tables to anchor on: the smallest block holding the report from 一 to 六.
        blocks = [
            n
            for tag in ("div", "article", "section", "td", "body")
            for n in root.find_all(tag)
            if "总体情况" in n.text() and "六、" in n.text()
        ]
        content = min(blocks, key=lambda n: len(n.text())) if blocks else root
    lines = [
        line
        for line in _lines(content)
        if line != parsed.title and not re.match(r"^(发布日期|公开日期|来源|浏览次数)[:：]", line)
    ]
    parsed.text = "\n".join(lines)
    parsed.sections = _sections(lines)
    if not proactive:
        parsed.problems.append("找不到“二、主动公开政府信息情况”的表格")
    else:
        read_proactive([grid_of(t) for t in proactive], parsed)
    if not applications:
        parsed.problems.append("找不到“三、收到和处理政府信息公开申请情况”的表格")
    else:
        read_applications(grid_of(applications[0]), parsed)
    if not remedies:
        parsed.problems.append("找不到“四、政府信息公开行政复议、行政诉讼情况”的表格")
    else:
        read_remedies(grid_of(remedies[0]), parsed)
    if len(parsed.votes) == 1:
        parsed.format = parsed.votes.pop()
    elif not parsed.problems:
        parsed.problems.append("无法从表格判断是2021年格式还是2019年试行格式")
    if parsed.format:
        if proactive:
            _finish_proactive(parsed, parsed.format)
        if applications and isinstance(parsed.applications, dict) and parsed.applications:
            _finish_applications(parsed, parsed.format)
    return parsed


def decode(data: bytes) -> str:
    """A saved page: the charset it declares, else UTF-8, else GB18030."""
    head = data[:4096].decode("ascii", "ignore").lower()
    match = re.search(r"charset=[\"']?([a-z0-9_-]+)", head)
    declared = match.group(1) if match else ""
    for encoding in (declared, "utf-8-sig", "gb18030"):
        if not encoding:
            continue
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")
