"""The checks of a report (REPORT_FORMAT.md), cell by cell.

Errors (a finalised report must have none): per column `1 + 2 = 3.7 + 4`; per column `3.7` = the
sum of every `3.x` row; per row `total` = the sum of the six applicant columns; per remedy kind
`total` = the sum of the four results; no negative counts. Warnings (acknowledged before
finalising): a township with 规章 figures; documents marked 废止/失效/已修改 without a date; and
this year's `2` against last year's `4`, which is an error instead when the system computed both
years from its own records.

Each finding is `{"rule", "cell", "level", "message"}`; `cell` is a path into the JSON document
(`applications/3.7/natural_person`, `proactive/regulation/issued`). The messages are part of the
document and stay Chinese in every interface language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongkai.accounts.models import UnitKind
from gongkai.reports import formats

ERROR, WARNING = "error", "warning"

RULE_LABELS = {
    "balance": "1 + 2 = 3.7 + 4",
    "results_sum": "3.7 = 各 3.x 之和",
    "row_total": "总计 = 六类申请人之和",
    "remedy_total": "总计 = 四种结果之和",
    "non_negative": "数字不能为负",
    "township_regulation": "乡镇不制定规章",
    "validity_undated": "有效性变更须有日期",
    "carry_over": "本年 2 = 上年 4",
    "prose_figures": "第一部分文字中的数字 = 表格",
    "in_force": "现行有效 = 上年现行有效 + 本年制发 − 本年废止",
    "fee_notices": "收费通知 = 已缴费 + 逾期未缴费 + 尚未缴费",
    "fee_amount": "第六部分收费金额 = 已缴费金额",
}


@dataclass(frozen=True)
class Previous:
    """Last year's report as the carry-over check sees it. `kind`: "system" (finalised here,
    computed from the records, never corrected), "imported", "corrected", "legacy" or "none"."""

    kind: str
    year: int
    carried_out: dict[str, int] | None = None
    version: int | None = None
    in_force: dict[str, int] | None = None  # 现行有效 of 规章 and 行政规范性文件


def _finding(rule: str, cell: str, level: str, message: str) -> dict[str, str]:
    return {"rule": rule, "cell": cell, "level": level, "message": message}


def _application_checks(fmt: str, table: dict[str, dict[str, int]]) -> list[dict[str, str]]:
    found = []
    results = formats.result_rows(fmt)
    for col in formats.COLUMNS:
        label = formats.COLUMN_LABELS[col]
        a, b = table["1"][col], table["2"][col]
        c, d = table["3.7"][col], table["4"][col]
        if a + b != c + d:
            found.append(
                _finding(
                    "balance",
                    f"applications/3.7/{col}",
                    ERROR,
                    f"“{label}”列：第一项（{a}）加第二项（{b}）之和为{a + b}，"
                    f"第三项（七）总计（{c}）加第四项（{d}）之和为{c + d}，两者应当相等。",
                )
            )
        parts = sum(table[row][col] for row in results)
        if parts != c:
            found.append(
                _finding(
                    "results_sum",
                    f"applications/3.7/{col}",
                    ERROR,
                    f"“{label}”列：（七）总计为{c}，（一）至（六）各项之和为{parts}，两者应当相等。",
                )
            )
    for row in formats.application_rows(fmt):
        total = table[row]["total"]
        parts = sum(table[row][col] for col in formats.APPLICANT_COLUMNS)
        if total != parts:
            found.append(
                _finding(
                    "row_total",
                    f"applications/{row}/total",
                    ERROR,
                    f"“{formats.row_label(fmt, row)}”行：总计为{total}，"
                    f"六类申请人之和为{parts}，两者应当相等。",
                )
            )
    return found


def _negatives(doc: dict[str, Any]) -> list[dict[str, str]]:
    found = []
    counts = {
        "applications": doc["applications"],
        "remedies": doc["remedies"],
        "proactive": {
            row: {
                col: value
                for col, value in values.items()
                if isinstance(value, int) and col != "change"
            }
            for row, values in doc["proactive"].items()
        },
    }
    for part, table in counts.items():
        for row, values in table.items():
            for col, value in values.items():
                if value < 0:
                    found.append(
                        _finding(
                            "non_negative",
                            f"{part}/{row}/{col}",
                            ERROR,
                            f"{part}/{row}/{col} 为负数（{value}），件数不能为负。",
                        )
                    )
    return found


def _remedy_checks(table: dict[str, dict[str, int]]) -> list[dict[str, str]]:
    found = []
    for kind in formats.REMEDY_KINDS:
        values = table[kind]
        parts = sum(values[r] for r in formats.REMEDY_RESULTS if r != "total")
        if values["total"] != parts:
            found.append(
                _finding(
                    "remedy_total",
                    f"remedies/{kind}/total",
                    ERROR,
                    f"“{formats.REMEDY_KIND_LABELS[kind]}”：总计为{values['total']}，结果维持、"
                    f"结果纠正、其他结果、尚未审结之和为{parts}，两者应当相等。",
                )
            )
    return found


def _carry_over(
    table: dict[str, dict[str, int]], previous: Previous, origin: str
) -> list[dict[str, str]]:
    carried_in = table["2"]
    if previous.carried_out is None:
        if previous.kind == "legacy":
            why = f"{previous.year}年度报告为2019年以前的格式，没有“结转下年度继续办理”数字"
        else:
            why = f"本系统中没有{previous.year}年度已定稿的报告"
        return [
            _finding(
                "carry_over",
                "applications/2/total",
                WARNING,
                f"{why}，无法核对本年“上年结转”（{carried_in['total']}件）是否等于上年报告的"
                "“结转下年度继续办理”，请对照上年报告核对后确认。",
            )
        ]
    both_computed = previous.kind == "system" and origin == "system"
    level = ERROR if both_computed else WARNING
    reason = {
        "imported": "（上年报告为导入的报告，请核对后确认）",
        "corrected": "（上年报告经过更正，请核对后确认）",
    }.get(previous.kind, "（本年报告为导入的报告，请核对后确认）" if not both_computed else "")
    found = []
    for col in formats.COLUMNS:
        last = int(previous.carried_out.get(col, 0))
        if carried_in[col] != last:
            found.append(
                _finding(
                    "carry_over",
                    f"applications/2/{col}",
                    level,
                    f"“{formats.COLUMN_LABELS[col]}”列：本年“上年结转”为{carried_in[col]}，"
                    f"{previous.year}年度报告（第{previous.version}版）的“结转下年度继续办理”"
                    f"为{last}，两者应当相等{reason}。",
                )
            )
    return found


def _sum_rows(table: dict[str, dict[str, int]], prefix: str) -> int:
    return sum(v["total"] for code, v in table.items() if code.startswith(prefix))


def prose_claims(doc: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """(phrase, cell, label, the table's figure) for each figure the prose of 一 may state."""
    table, remedies = doc["applications"], doc["remedies"]
    claims = [
        ("新收政府信息公开申请", "applications/1/total", "本年新收申请", table["1"]["total"]),
        ("上年结转", "applications/2/total", "上年结转申请", table["2"]["total"]),
        ("办结", "applications/3.7/total", "办理结果总计", table["3.7"]["total"]),
        ("予以公开", "applications/3.1/total", "予以公开", table["3.1"]["total"]),
        ("部分公开", "applications/3.2/total", "部分公开", table["3.2"]["total"]),
        ("不予公开", "applications/3.3.1/total", "不予公开", _sum_rows(table, "3.3")),
        ("无法提供", "applications/3.4.1/total", "无法提供", _sum_rows(table, "3.4")),
        ("不予处理", "applications/3.5.1/total", "不予处理", _sum_rows(table, "3.5")),
        ("其他处理", "applications/3.6.1/total", "其他处理", _sum_rows(table, "3.6")),
        ("结转下年度继续办理", "applications/4/total", "结转下年度", table["4"]["total"]),
        (
            "行政复议",
            "remedies/reconsideration/total",
            "行政复议",
            remedies["reconsideration"]["total"],
        ),
        (
            "行政诉讼",
            "remedies/litigation_direct/total",
            "行政诉讼",
            remedies["litigation_direct"]["total"]
            + remedies["litigation_after_reconsideration"]["total"],
        ),
    ]
    if doc["format"] == formats.F2021:
        normative = doc["proactive"]["normative_document"]
        for phrase, col, label in (
            ("制发行政规范性文件", "issued", "本年制发行政规范性文件"),
            ("废止", "repealed", "本年废止行政规范性文件"),
            ("现行有效", "in_force", "现行有效行政规范性文件"),
        ):
            claims.append((phrase, f"proactive/normative_document/{col}", label, normative[col]))
    return claims


def _prose_figures(doc: dict[str, Any]) -> list[dict[str, str]]:
    """The figures the prose of 一 states against the tables of the same report: an inspector
    reads both, and a report that contradicts itself is marked down."""
    text = doc.get("sections", {}).get("1", "") or ""
    found = []
    for phrase, cell, label, figure in prose_claims(doc):
        # "上年结转4件", "行政复议2件、行政诉讼2件": the phrase, then at most a few characters
        # (其中、共) before the number and its unit.
        for match in re.finditer(re.escape(phrase) + r"[^\d，。；、\n]{0,4}?(\d+)\s*件", text):
            stated = int(match.group(1))
            if stated != figure:
                found.append(
                    _finding(
                        "prose_figures",
                        cell,
                        ERROR,
                        f"第一部分写“{match.group(0)}”，表格中{label}为{figure}件，两者应当一致。",
                    )
                )
    return found


def _in_force(
    doc: dict[str, Any], previous: Previous, amended: dict[str, int]
) -> list[dict[str, str]]:
    """现行有效 this year = last year's + issued − repealed. A document marked 已修改 leaves
    现行有效 without being counted as 废止, so the difference is stated with the count of
    amendments for the office to confirm."""
    if doc["format"] != formats.F2021 or previous.in_force is None:
        return []
    found = []
    for row, label in (("regulation", "规章"), ("normative_document", "行政规范性文件")):
        values = doc["proactive"][row]
        last = int(previous.in_force.get(row, 0))
        expected = last + int(values["issued"]) - int(values["repealed"])
        actual = int(values["in_force"])
        if actual == expected:
            continue
        diff = actual - expected
        changed = amended.get(row, 0)
        why = (
            f"本年有{changed}件标注为“已修改”，已修改的文件不再现行有效但不计入废止件数，"
            "请核对是否因此产生差额"
            if changed
            else "请核对上年报告和本年的制发、废止记录"
        )
        found.append(
            _finding(
                "in_force",
                f"proactive/{row}/in_force",
                WARNING,
                f"{label}现行有效{actual}件，而上年现行有效{last}件加本年制发{values['issued']}件"
                f"减本年废止{values['repealed']}件为{expected}件，相差{diff:+d}件；{why}。",
            )
        )
    return found


def _fees(doc: dict[str, Any], fees: Any) -> list[dict[str, str]]:
    """Fee notices issued in the year = paid + closed unpaid (3.6.2) + still pending; the
    amount section 六 states = the amount paid in the year."""
    if fees is None:
        return []
    found = []
    if fees.notices != fees.paid + fees.unpaid_closed + fees.pending:
        found.append(
            _finding(
                "fee_notices",
                "applications/3.6.2/total",
                WARNING,
                f"本年发出收费通知{fees.notices}件，已缴费{fees.paid}件、逾期未缴费"
                f"{fees.unpaid_closed}件、尚未缴费{fees.pending}件，合计不等，请核对收费记录。",
            )
        )
    if doc["format"] == formats.F2021:
        unpaid_row = doc["applications"]["3.6.2"]["total"]
        if fees.unpaid_closed > unpaid_row:
            found.append(
                _finding(
                    "fee_notices",
                    "applications/3.6.2/total",
                    WARNING,
                    f"本年发出的收费通知中有{fees.unpaid_closed}件逾期未缴费，但表格“申请人逾期"
                    f"未按收费通知要求缴纳费用”为{unpaid_row}件，请核对办结日期。",
                )
            )
    text = doc.get("sections", {}).get("6", "") or ""
    stated = re.search(r"共计\s*([\d,]+(?:\.\d+)?)\s*元", text)
    paid = f"{fees.amount_paid:.2f}"
    if stated:
        value = stated.group(1).replace(",", "")
        if f"{float(value):.2f}" != paid:
            found.append(
                _finding(
                    "fee_amount",
                    "sections/6",
                    ERROR,
                    f"第六部分写收取信息处理费“{stated.group(0)}”，本年实际缴费金额为{paid}元，"
                    "两者应当一致。",
                )
            )
    elif "未收取" in text and fees.amount_paid:
        found.append(
            _finding(
                "fee_amount",
                "sections/6",
                ERROR,
                f"第六部分写未收取信息处理费，本年实际缴费金额为{paid}元。",
            )
        )
    return found


def table_checks(doc: dict[str, Any]) -> list[dict[str, str]]:
    """The arithmetic rules only (no carry-over, no unit-specific warnings): for sums."""
    fmt = doc["format"]
    return (
        _negatives(doc)
        + _application_checks(fmt, doc["applications"])
        + _remedy_checks(doc["remedies"])
    )


def run(
    doc: dict[str, Any],
    *,
    unit_kind: str,
    previous: Previous,
    origin: str = "system",
    undated: int = 0,
    amended: dict[str, int] | None = None,
    fees: Any = None,
) -> list[dict[str, str]]:
    """Every finding on a table-format document, errors first. `amended` (已修改 this year, by
    row) and `fees` (compute.FeeFigures) come from the records when the document is live."""
    if doc.get("format") not in formats.TABLE_FORMATS:
        return []
    fmt = doc["format"]
    found = table_checks(doc)
    regulation = doc["proactive"]["regulation"]
    if unit_kind == UnitKind.TOWNSHIP and any(
        isinstance(v, int) and v for v in regulation.values()
    ):
        figures = "、".join(
            f"{label}{regulation[col]}件" for col, label, _k in formats.PROACTIVE[fmt][0].columns
        )
        first_cell = next(col for col, v in regulation.items() if v)
        found.append(
            _finding(
                "township_regulation",
                f"proactive/regulation/{first_cell}",
                WARNING,
                f"乡镇人民政府不制定规章，但“规章”一行有数字（{figures}），"
                "请核对这些文件的体裁分类。",
            )
        )
    if undated:
        found.append(
            _finding(
                "validity_undated",
                f"proactive/normative_document/{formats.PROACTIVE[fmt][0].columns[-1][0]}",
                WARNING,
                f"有{undated}件规章或规范性文件标注为失效、废止或已修改但没有日期，"
                "未计入本年废止件数和现行有效件数，请在信息目录中补上日期。",
            )
        )
    found += _carry_over(doc["applications"], previous, origin)
    found += _prose_figures(doc)
    found += _in_force(doc, previous, amended or {})
    found += _fees(doc, fees)
    return sorted(found, key=lambda f: f["level"] != ERROR)


def cells_of(finding: dict[str, str], fmt: str) -> list[str]:
    """The cells a finding concerns (what the page highlights): the whole balance of a column,
    the parts of a sum, or the one cell named."""
    _part, _sep, rest = finding["cell"].partition("/")
    row, _sep, col = rest.rpartition("/")
    rule = finding["rule"]
    if rule == "balance":
        return [f"applications/{r}/{col}" for r in ("1", "2", "3.7", "4")]
    if rule == "results_sum":
        return [f"applications/{r}/{col}" for r in [*formats.result_rows(fmt), "3.7"]]
    if rule == "row_total":
        return [f"applications/{row}/{c}" for c in formats.COLUMNS]
    if rule == "remedy_total":
        return [f"remedies/{row}/{r}" for r in formats.REMEDY_RESULTS]
    return [finding["cell"]]


def summary_grid(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The balance rules for every column with their figures, passing or not, for the check
    table on the staff page (the office sees each sum, not only the failures)."""
    fmt = doc["format"]
    table = doc["applications"]
    results = formats.result_rows(fmt)
    grid = []
    for col in formats.COLUMNS:
        a, b, c, d = (table[r][col] for r in ("1", "2", "3.7", "4"))
        parts = sum(table[r][col] for r in results)
        grid.append(
            {
                "column": col,
                "label": formats.COLUMN_LABELS[col],
                "balance": f"{a} + {b} = {c} + {d}",
                "balance_ok": a + b == c + d,
                "results": f"{c} = {parts}",
                "results_ok": c == parts,
            }
        )
    return grid
