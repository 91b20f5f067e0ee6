"""Personal data in a text: 居民身份证号, mobile numbers, bank card numbers and e-mail addresses.

Precision matters as much as recall: a reviewer who sees every 文号, 索引号, date and amount
flagged stops reading the list. So every number is checked (身份证号: province, birth date and
check digit; cards: Luhn and a real card prefix) and skipped when its surroundings say it is
something else (a 统一社会信用代码 or 索引号 label, a web address, an amount in 元).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from . import findings as f
from .normalize import clause_start
from .validators import card_brand, id15_shape_date, id18_birth_date, id18_shape_date, luhn_ok

_B = r"(?<![0-9A-Za-z])(?<!\d\.)"  # not the tail of a longer code, number or decimal
_E = r"(?![0-9A-Za-z])(?!\.\d)"  # not followed by more of one

_ID18 = re.compile(_B + r"(?:\d{17}[0-9Xx]|\d{6} \d{8} \d{3}[0-9Xx])" + _E)
_ID15 = re.compile(_B + r"\d{15}" + _E)
_CARD = re.compile(_B + r"(?:\d{16,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?)" + _E)
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?<!\d\.)"
    r"(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?"
    r"1[3-9]\d(?:\d{8}|([ -])\d{4}\1\d{4})" + _E
)

# A label shortly before a number says what it is; the nearest label wins.
_LABEL = re.compile(
    r"(?P<other>信用代码|机构代码|注册号|索引号|文号|订单号|流水号|交易号|批准号|许可证号|"
    r"项目代码|项目编号|合同编号|合同号|发票号码|发票代码|税号|纳税人识别号|邮编|邮政编码|传真)"
    r"|(?P<personal>身份|证件|卡号|银行卡|账号|账户|手机|电话|联系|邮箱)"
)
_LABEL_WINDOW = 24
# A number that is a quantity, not an identifier.
_AMOUNT_AFTER = re.compile(r" ?(?:元|万|亿|%|‰|平方|亩|吨|千克|公斤|公里|立方|美元|人次|kg|km)")
_AMOUNT_BEFORE = ("¥", "￥", "$", "人民币")
# 索引号 such as 113710830043590107/2024-00002: the number is the front code.
_INDEX_AFTER = re.compile(r"[/-]\d{4}-\d")


# Labels that say "this is a person's identity number" or "a person's card".
_ID_LABEL = re.compile(r"身份证|证件号|身份号码|公民身份|证号")
_CARD_LABEL = re.compile(r"卡号|银行卡|社保卡|借记卡|存折|折号|账号|帐号|账户|帐户")
# An organisation's account on a fee or procurement notice: a 户名 that is an organisation,
# or an 开户行 line with no person in sight.
_ACCOUNT_HOLDER = re.compile(
    r"(?:户名|账户名称|帐户名称|收款单位|收款人全称|开户单位|单位名称)[:：]?\s*"
    r"(?P<v>[^\s，,；;。]{2,40})"
)
_BANK = re.compile(r"开户行|开户银行|开户网点")
_ORG = re.compile(
    r"局|政府|委员会|办公室|办事处|中心|公司|财政|管理|学校|医院|院|所|站|队|厂|社|专户|单位|协会|基金|"
    r"街道|部|处|馆|台|村委|居委|合作|集团|银行"
)
_PERSON_WORDS = re.compile(r"姓名|持卡人|身份证|领取人|户主|救助对象|补贴对象")
# A person's name right before a number ("张三 370283…", "张三，身份证号370283…").
_NAME_BEFORE = re.compile(
    r"(?:^|[\s，,、：:；;（(]|姓名|对象|户主|申请人|领取人)"
    r"(?:[\u4e00-\u9fff]{2,4})[\s，,、：:（(]*(?:身份证号码|身份证号|身份证|证件号码|证件号)?[:：]?\s*$"
)


def _near(view: str, start: int, end: int, window: int = 60) -> str:
    lo = max(0, start - window)
    hi = min(len(view), end + window)
    return view[lo:start] + " " + view[end:hi]


def office_account(view: str, start: int, end: int) -> bool:
    """Whether the number at view[start:end] is an organisation's bank account."""
    around = _near(view, start, end)
    holder = _ACCOUNT_HOLDER.search(around)
    if holder is not None:
        return bool(_ORG.search(holder.group("v")))
    return bool(_BANK.search(around)) and not _PERSON_WORDS.search(around)


def _id_labelled(view: str, start: int) -> bool:
    before = view[clause_start(view, start, _LABEL_WINDOW) : start]
    return bool(_ID_LABEL.search(before))


def _card_labelled(view: str, start: int) -> bool:
    before = view[clause_start(view, start, _LABEL_WINDOW) : start]
    return bool(_CARD_LABEL.search(before))


def _name_before(view: str, start: int) -> bool:
    from .people import NAME

    window = view[max(0, start - 16) : start]
    m = _NAME_BEFORE.search(window)
    if m is None:
        return False
    return bool(NAME.search(window))


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit() or ch in "Xx").upper()


def _labelled_other(view: str, start: int) -> bool:
    before = view[clause_start(view, start, _LABEL_WINDOW) : start]
    last = None
    for last in _LABEL.finditer(before):  # noqa: B007 - we want the last one
        pass
    return last is not None and last.group("other") is not None


def _quantity_or_code(view: str, start: int, end: int) -> bool:
    if _AMOUNT_AFTER.match(view, end) or _INDEX_AFTER.match(view, end):
        return True
    return view[max(0, start - 4) : start].rstrip().endswith(_AMOUNT_BEFORE)


class _Spans:
    """Non-overlapping spans in start order, with an overlap test in O(log n): a list of 10,000
    phone numbers must not take quadratic time."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            if not self.starts or start >= self.ends[-1]:
                self.starts.append(start)
                self.ends.append(end)
            else:  # merge overlapping input spans
                self.ends[-1] = max(self.ends[-1], end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return i > 0 and self.ends[i - 1] > start

    def contains(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        return i > 0 and self.ends[i - 1] >= end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def find_numbers(
    text: str,
    view: str,
    *,
    skip: list[tuple[int, int]],
    allowed_numbers: set[str],
    allowed_mobiles: set[str],
) -> Iterator[f.Finding]:
    taken = _Spans()
    skipped = _Spans(skip)

    def candidates(pattern: re.Pattern[str]) -> Iterator[tuple[int, int, str]]:
        for m in pattern.finditer(view):
            start, end = m.span()
            if taken.overlaps(start, end) or skipped.contains(start, end):
                continue
            digits = _digits(m.group())
            if digits in allowed_numbers or _labelled_other(view, start):
                continue
            yield start, end, digits

    # The order is the preference: an 18-digit number that is a valid 身份证号 and also passes
    # Luhn is reported as the 身份证号.
    unverified: list[tuple[int, int, str]] = []
    for start, end, digits in candidates(_ID18):
        if _INDEX_AFTER.match(view, end) or _quantity_or_code(view, start, end):
            continue
        if id18_birth_date(digits):
            taken.add(start, end)
            yield f.make(f.ID_CARD, text, start, end, "18 位居民身份证号码（校验位和出生日期有效）")
        elif id18_shape_date(digits):
            unverified.append((start, end, digits))

    for start, end, _number in unverified:
        labelled = _id_labelled(view, start) or _name_before(view, start)
        taken.add(start, end)
        yield f.make(
            f.ID_CARD_UNVERIFIED,
            text,
            start,
            end,
            "形似身份证号码（行政区划代码和出生日期有效，校验位不符），"
            + ("旁边有证件标签或姓名" if labelled else "请核对"),
            severity="high" if labelled else "medium",
        )

    for start, end, digits in candidates(_CARD):
        if _quantity_or_code(view, start, end) or office_account(view, start, end):
            continue
        brand = card_brand(digits) if luhn_ok(digits) else None
        if brand:
            taken.add(start, end)
            yield f.make(f.BANK_CARD, text, start, end, f"银行卡号（{brand}，通过 Luhn 校验）")
        elif _card_labelled(view, start):
            taken.add(start, end)
            message = "卡号标签旁的卡号（未通过 Luhn 或卡组织校验）"
            yield f.make(f.BANK_CARD_UNVERIFIED, text, start, end, message)

    # A 15-digit number is an old 身份证号 only next to its label or a name: 工商注册号 and
    # other 15-digit codes have the same shape.
    for start, end, digits in candidates(_ID15):
        if not (_id_labelled(view, start) or _name_before(view, start)):
            continue
        if id15_shape_date(digits) and not _quantity_or_code(view, start, end):
            taken.add(start, end)
            yield f.make(f.ID_CARD, text, start, end, "15 位旧版居民身份证号码（出生日期有效）")

    for start, end, digits in candidates(_MOBILE):
        number = digits[-11:]
        if number in allowed_mobiles or _quantity_or_code(view, start, end):
            continue
        if len(set(number[3:])) == 1:  # 13800000000: a placeholder in a form, not a person
            continue
        taken.add(start, end)
        yield f.make(f.MOBILE, text, start, end, "手机号码")


# ---------------------------------------------------------------- e-mail

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
# Starts only where a run of domain characters starts, so it is linear even when searched.
_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9-])[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){1,8}"
)
_TLD = re.compile(r"[A-Za-z]{2,24}")


def find_emails(
    text: str, view: str, *, allowed: set[str]
) -> Iterator[tuple[f.Finding | None, int, int]]:
    """Yields (finding, start, end); the finding is None for an allowed address, so callers can
    still ignore numbers inside it. Works outward from each "@" rather than with one regex,
    which would backtrack quadratically over long runs of letters."""
    pos = view.find("@")
    while pos >= 0:
        start = pos
        while start > 0 and pos - start < 64 and view[start - 1] in _LOCAL_CHARS:
            start -= 1
        while start < pos and view[start] in "._%+-":
            start += 1
        m = _DOMAIN.match(view, pos + 1)
        if start < pos and m:
            end = m.end()
            while view[end - 1] in ".-":
                end -= 1
            domain = view[pos + 1 : end]
            tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
            if _TLD.fullmatch(tld) and (end >= len(view) or view[end] != "@"):
                address = view[start:end].lower()
                if address in allowed:
                    yield None, start, end
                else:
                    yield f.make(f.EMAIL, text, start, end, "电子邮箱地址"), start, end
                pos = view.find("@", end)
                continue
        pos = view.find("@", pos + 1)


def normalise_allowed_phones(values: Iterable[str]) -> tuple[set[str], set[str]]:
    """(mobile numbers, other digit strings) from a unit's published phone numbers."""
    mobiles, numbers = set(), set()
    for value in values:
        digits = _digits(str(value))
        if not digits:
            continue
        numbers.add(digits)
        if len(digits) >= 11 and re.fullmatch(r"(?:0086|86)?1[3-9]\d{9}", digits):
            mobiles.add(digits[-11:])
    return mobiles, numbers
