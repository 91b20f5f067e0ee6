"""Reading reports made elsewhere: a JSON document in the REPORT_FORMAT.md shape (a report
published before the system, or exported by another one) and the full text of a pre-2019 report
copied from an old website.

The format of a JSON document is read from its tables (REPORT_FORMAT.md: "detect the format by
the table headers, not by the notice number a report cites"): row 3.6 or the columns
made/published/total_public mean the 2019 trial format, rows 3.6.1–3.6.3 and
issued/repealed/in_force the 2021 one. A "format" key that disagrees with the tables is an error.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from gongkai.reports import formats

MAX_TEXT = 200_000


class DocumentError(ValueError):
    """The document cannot be imported; `problems` lists every reason, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _detect(data: dict[str, Any]) -> str | None:
    applications = data.get("applications")
    proactive = data.get("proactive")
    votes = set()
    if isinstance(applications, dict):
        if "3.6" in applications:
            votes.add(formats.F2019)
        if any(k in applications for k in ("3.6.1", "3.6.2", "3.6.3")):
            votes.add(formats.F2021)
    if isinstance(proactive, dict):
        regulation = proactive.get("regulation")
        if isinstance(regulation, dict):
            if "made" in regulation:
                votes.add(formats.F2019)
            if "issued" in regulation:
                votes.add(formats.F2021)
    return votes.pop() if len(votes) == 1 else None


def _int(value: Any, where: str, problems: list[str], *, signed: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{where} 应为整数，而不是 {json.dumps(value, ensure_ascii=False)}")
        return 0
    if value < 0 and not signed:
        problems.append(f"{where} 不能为负数（{value}）")
    return value


def _table(
    data: Any, rows: list[str], cols: list[str], where: str, problems: list[str]
) -> dict[str, dict[str, int]]:
    if not isinstance(data, dict):
        problems.append(f"缺少 {where}")
        return {row: dict.fromkeys(cols, 0) for row in rows}
    for extra in sorted(set(data) - set(rows)):
        problems.append(f"{where} 中有本格式没有的行“{extra}”")
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        values = data.get(row)
        if not isinstance(values, dict):
            problems.append(f"缺少 {where}/{row}")
            values = {}
        for extra in sorted(set(values) - set(cols)):
            problems.append(f"{where}/{row} 中有本格式没有的列“{extra}”")
        table[row] = {}
        for col in cols:
            if col not in values:
                problems.append(f"缺少 {where}/{row}/{col}")
                table[row][col] = 0
            else:
                table[row][col] = _int(values[col], f"{where}/{row}/{col}", problems)
    return table


def _proactive(data: Any, fmt: str, problems: list[str]) -> dict[str, dict[str, int | str]]:
    table = formats.empty_proactive(fmt)
    if not isinstance(data, dict):
        problems.append("缺少 proactive")
        return table
    for extra in sorted(set(data) - set(table)):
        problems.append(f"proactive 中有本格式没有的项“{extra}”")
    for row, col, kind in formats.proactive_fields(fmt):
        where = f"proactive/{row}/{col}"
        values = data.get(row)
        if not isinstance(values, dict) or col not in values:
            problems.append(f"缺少 {where}")
            continue
        value = values[col]
        if kind == formats.AMOUNT:
            try:
                table[row][col] = formats.format_amount(formats.parse_amount(str(value)))
            except ValueError as exc:
                problems.append(f"{where}：{exc}")
        elif kind == formats.TEXT:
            table[row][col] = str(value)[:100]
        else:
            table[row][col] = _int(value, where, problems, signed=kind == formats.CHANGE)
    return table


def read_document(raw: bytes | str, *, year: int | None = None) -> dict[str, Any]:
    """A checked, normalised document from JSON text. Raises DocumentError listing every
    problem. `year`, when given, must match the document's."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"不是有效的 JSON：{exc}"]) from None
    if not isinstance(data, dict):
        raise DocumentError(["JSON 的最外层应当是一个对象"])
    problems: list[str] = []
    doc_year = data.get("year")
    if isinstance(doc_year, bool) or not isinstance(doc_year, int) or not 1990 <= doc_year <= 2100:
        problems.append("year 应为四位年份")
        doc_year = year or 0
    elif year is not None and doc_year != year:
        problems.append(f"文件中的年度（{doc_year}）与所选年度（{year}）不一致")
    stated = data.get("format")
    if stated == formats.LEGACY:
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DocumentError([*problems, "旧格式（legacy）报告必须有全文 text"])
        if problems:
            raise DocumentError(problems)
        return {"year": doc_year, "format": formats.LEGACY, "text": text.strip()[:MAX_TEXT]}
    detected = _detect(data)
    if stated is not None and stated not in formats.TABLE_FORMATS:
        problems.append(f"format 应为 2021、2019 或 legacy，而不是“{stated}”")
    fmt = detected or (stated if stated in formats.TABLE_FORMATS else None)
    if fmt is None:
        raise DocumentError([*problems, "无法从表格判断报告格式（2021 或 2019）"])
    if stated in formats.TABLE_FORMATS and stated != fmt:
        problems.append(f"format 写的是 {stated}，但表格是 {fmt} 年格式")
    raw_sections = data.get("sections")
    sections: dict[str, Any] = raw_sections if isinstance(raw_sections, dict) else {}
    doc = {
        "year": doc_year,
        "format": fmt,
        "sections": {
            key: str(sections.get(key) or "")[:MAX_TEXT] for key in formats.PROSE_SECTIONS
        },
        "proactive": _proactive(data.get("proactive"), fmt, problems),
        "applications": _table(
            data.get("applications"),
            formats.application_rows(fmt),
            list(formats.COLUMNS),
            "applications",
            problems,
        ),
        "remedies": _table(
            data.get("remedies"),
            list(formats.REMEDY_KINDS),
            list(formats.REMEDY_RESULTS),
            "remedies",
            problems,
        ),
    }
    if problems:
        raise DocumentError(problems)
    return doc


_CHROME = re.compile(r"^\s*(?:[•·●▪]\s*)?(?:发布日期|文章来源|点击次数|来源|作者|浏览次数)\s*[:：]")
_NEIGHBOURS = re.compile(r"^\s*(?:上一篇|下一篇)\s*[:：]")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_legacy_text(raw: str) -> dict[str, Any]:
    """Title, publication date and body of a report copied from an old website page: the
    first line is the title; the page's bullets (发布日期, 文章来源, 点击次数) and the
    上一篇/下一篇 links are dropped. Returns {"title", "published_date", "year", "text"}."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines.pop(0).strip() if lines else ""
    published: datetime.date | None = None
    body: list[str] = []
    for line in lines:
        if _CHROME.match(line):
            match = _DATE.search(line)
            if "发布日期" in line and match:
                try:
                    published = datetime.date(*(int(g) for g in match.groups()))
                except ValueError:
                    published = None
            continue
        if _NEIGHBOURS.match(line):
            continue
        body.append(line.rstrip())
    text = "\n".join(body).strip()
    year_match = re.search(r"(\d{4})\s*年", title)
    return {
        "title": title[:200],
        "published_date": published,
        "year": int(year_match.group(1)) if year_match else None,
        "text": text,
    }


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a prose text (one per line)."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]
