"""The annual report formats: codes, the official labels character for character, and which
figures the system computes and which the office enters (REPORT_FORMAT.md).

- "2021": 国办公开办函〔2021〕30号, reports for 2021 and later;
- "2019": the trial format of 国办公开办函〔2019〕60号, reports for 2019 and 2020;
- "legacy": earlier reports, text only.

Labels are part of the document, not of the interface: they stay Chinese in every interface
language, exactly as the national form prints them (full-width brackets, “三安全一稳定”).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

F2021 = "2021"
F2019 = "2019"
LEGACY = "legacy"
TABLE_FORMATS = (F2021, F2019)

SECTION_TITLES = {
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}
PROSE_SECTIONS = ("1", "5", "6")


def default_format(year: int) -> str:
    if year >= 2021:
        return F2021
    if year >= 2019:
        return F2019
    return LEGACY


# --------------------------------------------------------------------- section 二 (proactive)

# Kinds of value: a count (whole number ≥ 0), a change (本年增/减, may be negative), an amount in
# 万元 (decimal string, at most 6 places) and text as printed (采购总金额).
COUNT, CHANGE, AMOUNT, TEXT = "count", "change", "amount", "text"


@dataclass(frozen=True)
class Group:
    """One block of the section 二 table: 第二十条第（一）项 and its rows and columns."""

    heading: str
    rows: tuple[tuple[str, str], ...]  # (json key, label)
    columns: tuple[tuple[str, str, str], ...]  # (json key, label, kind)
    computed: bool  # from the catalog; otherwise entered by the office


PROACTIVE: dict[str, tuple[Group, ...]] = {
    F2021: (
        Group(
            "第二十条第（一）项",
            (("regulation", "规章"), ("normative_document", "行政规范性文件")),
            (
                ("issued", "本年制发件数", COUNT),
                ("repealed", "本年废止件数", COUNT),
                ("in_force", "现行有效件数", COUNT),
            ),
            computed=True,
        ),
        Group(
            "第二十条第（五）项",
            (("license", "行政许可"),),
            (("decisions", "本年处理决定数量", COUNT),),
            computed=False,
        ),
        Group(
            "第二十条第（六）项",
            (("penalty", "行政处罚"), ("coercion", "行政强制")),
            (("decisions", "本年处理决定数量", COUNT),),
            computed=False,
        ),
        Group(
            "第二十条第（八）项",
            (("fee", "行政事业性收费"),),
            (("amount_10k_yuan", "本年收费金额（单位：万元）", AMOUNT),),
            computed=False,
        ),
    ),
    F2019: (
        Group(
            "第二十条第（一）项",
            (("regulation", "规章"), ("normative_document", "规范性文件")),
            (
                ("made", "本年新制作数量", COUNT),
                ("published", "本年新公开数量", COUNT),
                ("total_public", "对外公开总数量", COUNT),
            ),
            computed=True,
        ),
        Group(
            "第二十条第（五）项",
            (("license", "行政许可"), ("other_service", "其他对外管理服务事项")),
            (
                ("last_year_items", "上一年项目数量", COUNT),
                ("change", "本年增/减", CHANGE),
                ("decisions", "处理决定数量", COUNT),
            ),
            computed=False,
        ),
        Group(
            "第二十条第（六）项",
            (("penalty", "行政处罚"), ("coercion", "行政强制")),
            (
                ("last_year_items", "上一年项目数量", COUNT),
                ("change", "本年增/减", CHANGE),
                ("decisions", "处理决定数量", COUNT),
            ),
            computed=False,
        ),
        Group(
            "第二十条第（八）项",
            (("fee", "行政事业性收费"),),
            (("last_year_items", "上一年项目数量", COUNT), ("change", "本年增/减", CHANGE)),
            computed=False,
        ),
        Group(
            "第二十条第（九）项",
            (("procurement", "政府集中采购"),),
            (("items", "采购项目数量", COUNT), ("amount", "采购总金额", TEXT)),
            computed=False,
        ),
    ),
}
PROACTIVE_WIDTH = 3  # value columns of the section 二 table


def proactive_fields(fmt: str, *, computed: bool | None = None) -> list[tuple[str, str, str]]:
    """(row key, column key, kind) of every section 二 figure of `fmt`, in table order."""
    return [
        (row, col, kind)
        for group in PROACTIVE[fmt]
        if computed is None or group.computed == computed
        for row, _label in group.rows
        for col, _clabel, kind in group.columns
    ]


def empty_value(kind: str) -> int | str:
    return "0" if kind in (AMOUNT, TEXT) else 0


def format_amount(value: Decimal | int | str) -> str:
    """A 万元 amount as the JSON carries it: a decimal string of at most 6 places, no trailing
    zeros ("190.457379", "12.5", "0")."""
    number = Decimal(str(value)).quantize(Decimal("0.000001"))
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def parse_amount(text: str) -> Decimal:
    """A 万元 amount typed by a person: digits with at most 6 decimal places, not negative.
    Raises ValueError with a Chinese message."""
    cleaned = str(text).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not number.is_finite() or number < 0:
        raise ValueError("金额不能为负数")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        raise ValueError("金额以万元为单位，最多保留 6 位小数")
    if number >= Decimal("10000000000"):
        raise ValueError("金额过大")
    return number


# --------------------------------------------------------------------- section 三 (applications)

COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
    "total",
)
APPLICANT_COLUMNS = COLUMNS[:-1]
COLUMN_LABELS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
TOP_LEFT = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS_HEADING = "申请人情况"
ORGANISATIONS_HEADING = "法人或其他组织"
RESULTS_HEADING = "三、本年度办理结果"
ROW_1 = ("1", "一、本年新收政府信息公开申请数量")
ROW_2 = ("2", "二、上年结转政府信息公开申请数量")
ROW_4 = ("4", "四、结转下年度继续办理")

_WITHHELD = (
    "（三）不予公开",
    (
        ("3.3.1", "1.属于国家秘密"),
        ("3.3.2", "2.其他法律行政法规禁止公开"),
        ("3.3.3", "3.危及“三安全一稳定”"),
        ("3.3.4", "4.保护第三方合法权益"),
        ("3.3.5", "5.属于三类内部事务信息"),
        ("3.3.6", "6.属于四类过程性信息"),
        ("3.3.7", "7.属于行政执法案卷"),
        ("3.3.8", "8.属于行政查询事项"),
    ),
)
_CANNOT = (
    "（四）无法提供",
    (
        ("3.4.1", "1.本机关不掌握相关政府信息"),
        ("3.4.2", "2.没有现成信息需要另行制作"),
        ("3.4.3", "3.补正后申请内容仍不明确"),
    ),
)
_NOT_HANDLED = (
    "（五）不予处理",
    (
        ("3.5.1", "1.信访举报投诉类申请"),
        ("3.5.2", "2.重复申请"),
        ("3.5.3", "3.要求提供公开出版物"),
        ("3.5.4", "4.无正当理由大量反复申请"),
        ("3.5.5", "5.要求行政机关确认或重新出具已获取信息"),
    ),
)
_DISCLOSED = ("（一）予以公开", (("3.1", ""),))
_PARTLY = ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (("3.2", ""),))
_TOTAL = ("（七）总计", (("3.7", ""),))

# The 三、本年度办理结果 block: (group label, ((row code, item label or ""), ...)).
RESULT_GROUPS: dict[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = {
    F2021: (
        _DISCLOSED,
        _PARTLY,
        _WITHHELD,
        _CANNOT,
        _NOT_HANDLED,
        (
            "（六）其他处理",
            (
                (
                    "3.6.1",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                ),
                (
                    "3.6.2",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                ),
                ("3.6.3", "3.其他"),
            ),
        ),
        _TOTAL,
    ),
    F2019: (
        _DISCLOSED,
        _PARTLY,
        _WITHHELD,
        _CANNOT,
        _NOT_HANDLED,
        ("（六）其他处理", (("3.6", ""),)),
        _TOTAL,
    ),
}


def result_rows(fmt: str) -> list[str]:
    """The 3.x row codes of `fmt` that are decisions (without 3.7)."""
    return [code for _g, rows in RESULT_GROUPS[fmt] for code, _l in rows if code != "3.7"]


def application_rows(fmt: str) -> list[str]:
    """Every row code of the section 三 table of `fmt`, in table order."""
    return ["1", "2", *result_rows(fmt), "3.7", "4"]


def row_label(fmt: str, code: str) -> str:
    """The full label of a row, as REPORT_FORMAT.md lists it (group and item)."""
    for fixed_code, label in (ROW_1, ROW_2, ROW_4):
        if code == fixed_code:
            return label
    for group, rows in RESULT_GROUPS[fmt]:
        for row, item in rows:
            if row == code:
                return f"{group} {item}" if item else group
    raise KeyError(code)


# --------------------------------------------------------------------- section 四 (remedies)

REMEDY_KINDS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
REMEDY_RESULTS = ("upheld", "corrected", "other", "pending", "total")
REMEDY_RESULT_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
RECONSIDERATION_HEADING = "行政复议"
LITIGATION_HEADING = "行政诉讼"
REMEDY_KIND_LABELS = {
    "reconsideration": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_reconsideration": "复议后起诉",
}


def empty_applications(fmt: str) -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMNS, 0) for row in application_rows(fmt)}


def empty_remedies() -> dict[str, dict[str, int]]:
    return {kind: dict.fromkeys(REMEDY_RESULTS, 0) for kind in REMEDY_KINDS}


def empty_proactive(fmt: str) -> dict[str, dict[str, int | str]]:
    result: dict[str, dict[str, int | str]] = {}
    for row, col, kind in proactive_fields(fmt):
        result.setdefault(row, {})[col] = empty_value(kind)
    return result
