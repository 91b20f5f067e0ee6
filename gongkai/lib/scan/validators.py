"""Check digits and plausibility rules for the numbers the scanner looks for."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

# First two digits of a 居民身份证号 (GB 11643): provinces, plus 81/82/83 for the residence
# permits of Hong Kong, Macao and Taiwan residents and 91 for foreigners' permanent residence.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91}
)  # fmt: skip

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def birth_date(yyyymmdd: str, *, today: dt.date | None = None) -> dt.date | None:
    """The date if it is a real one between 1900 and today, else None."""
    try:
        date = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    if date.year < 1900 or date > (today or dt.date.today()):
        return None
    return date


def id18_birth_date(number: str, *, today: dt.date | None = None) -> dt.date | None:
    """Birth date of a valid 18-character 居民身份证号 (province, date and check digit), or None."""
    if len(number) != 18 or not number[:17].isdigit() or int(number[:2]) not in PROVINCE_CODES:
        return None
    if id_check_char(number[:17]) != number[17].upper():
        return None
    return birth_date(number[6:14], today=today)


def id15_birth_date(number: str, *, today: dt.date | None = None) -> dt.date | None:
    """Birth date of a plausible 15-digit (pre-1999) 身份证号: province and 19YYMMDD date."""
    if len(number) != 15 or not number.isdigit() or int(number[:2]) not in PROVINCE_CODES:
        return None
    return birth_date("19" + number[6:12], today=today)


@functools.lru_cache(maxsize=1)
def _region_codes() -> tuple[frozenset[str], frozenset[str]]:
    """(6-digit codes, their 4-digit 地级 prefixes) of every GB/T 2260 revision since 1980."""
    path = Path(__file__).with_name("gb2260_codes.txt")
    codes = frozenset(
        code
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
        for code in line.split()
    )
    return codes, frozenset(c[:4] for c in codes)


def region_known(code: str) -> bool:
    """Whether the first six digits of an identity number are a county-level 行政区划代码 of
    some revision of GB/T 2260 (abolished ones included: a number keeps the code of the place
    where it was issued), or a new county of a known 地级 unit (codes added after 2019)."""
    if len(code) != 6 or not code.isdigit() or code.endswith("00"):
        return False
    codes, prefectures = _region_codes()
    return code in codes or code[:4] in prefectures


def id18_shape_date(number: str, *, today: dt.date | None = None) -> dt.date | None:
    """Birth date of an 18-character number shaped like a 居民身份证号 whatever its check digit:
    a known 行政区划 prefix and a real birth date. Hand-typed rosters get the check digit wrong;
    the number is still a person's."""
    if len(number) != 18 or not number[:17].isdigit() or not region_known(number[:6]):
        return None
    if not (number[17].isdigit() or number[17] in "Xx"):
        return None
    return birth_date(number[6:14], today=today)


def id15_shape_date(number: str, *, today: dt.date | None = None) -> dt.date | None:
    """Like id15_birth_date, with a known 行政区划 prefix."""
    if not region_known(number[:6]):
        return None
    return id15_birth_date(number, today=today)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The card scheme a 16–19 digit number belongs to, or None when no scheme issues numbers
    of this prefix and length. Deliberately narrow, so long numbers that merely pass Luhn
    (statistics, order numbers, all-digit 统一社会信用代码) are not reported:

    - 银联 UnionPay: 62, 16–19 digits; also 60 (older Chinese debit BINs such as 601382, and
      Discover 6011), 65 (Discover/RuPay), 16–19 digits.
    - Older domestic debit cards: 9558 (工商银行), 9559 (农业银行), 19 digits and 16–19 accepted.
    - Visa: 4, 16 or 19 digits (most Chinese bank Visa cards, such as 建设银行 436742).
    - Mastercard: 51–55 and 2221–2720, 16 digits.
    - JCB: 3528–3589, 16–19 digits.
    """
    n = len(digits)
    if not 16 <= n <= 19 or not digits.isdigit():
        return None
    two, four = int(digits[:2]), int(digits[:4])
    if two == 62:
        return "银联"
    if two in (60, 65):
        return "银联/借记卡"
    if four in (9558, 9559):
        return "借记卡"
    if digits[0] == "4" and n in (16, 19):
        return "Visa"
    if n == 16 and (51 <= two <= 55 or 2221 <= four <= 2720):
        return "Mastercard"
    if 3528 <= four <= 3589:
        return "JCB"
    return None
