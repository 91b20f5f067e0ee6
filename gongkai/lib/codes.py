"""Check characters of the codes that identify an organ, and the 索引号 template.

- 组织机构代码 (GB 11714-1997): eight body characters (digits or capital letters) and a check
  character, 9 in all; written with or without a hyphen before the check character.
- 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O, Z, S, V);
  the last one is a check character over the first 17.

Each `is_valid_*` returns a bool; each `validate_*` raises django's ValidationError with a message
a clerk can act on. Forms and imports in every app use these.
"""

from __future__ import annotations

import re
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 11714: body characters are digits (0-9 -> 0-9) and letters (A-Z -> 10-35).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = re.compile(r"^[0-9A-Z]{8}$")

# GB 32100: the alphabet in value order; weights are 3**i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def normalise(code: str) -> str:
    """Upper-case, without spaces or the hyphen often written before the check character."""
    return re.sub(r"[\s\-－]", "", code or "").upper()


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character for the eight body characters."""
    body = body.upper()
    if not _ORG_BODY.match(body):
        raise ValueError(f"not an organisation-code body: {body!r}")
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def is_valid_org_code(code: str) -> bool:
    """A 9-character 组织机构代码 whose check character matches (GB 11714)."""
    code = normalise(code)
    if len(code) != 9 or not _ORG_BODY.match(code[:8]):
        return False
    if code[8] not in string.digits + "X":
        return False
    return org_code_check_char(code[:8]) == code[8]


def uscc_check_char(body: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    body = body.upper()
    if len(body) != 17 or any(c not in USCC_ALPHABET for c in body):
        raise ValueError(f"not a credit-code body: {body!r}")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """An 18-character 统一社会信用代码 whose check character matches (GB 32100)."""
    code = normalise(code)
    if not _USCC_SHAPE.match(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def validate_organ_code(code: str) -> str:
    """Accept a 9-character 组织机构代码 or an 18-character 统一社会信用代码; return it
    normalised."""
    value = normalise(code)
    if len(value) == 9:
        if not re.match(r"^[0-9A-Z]{8}[0-9X]$", value):
            raise ValidationError(
                _("组织机构代码由 8 位数字或大写字母加 1 位校验码（数字或 X）组成。"),
                code="org_code_shape",
            )
        if not is_valid_org_code(value):
            raise ValidationError(
                _("组织机构代码校验码不正确：按 GB 11714，%(body)s 的校验码应为 %(check)s。")
                % {"body": value[:8], "check": org_code_check_char(value[:8])},
                code="org_code_check",
            )
        return value
    if len(value) == 18:
        if not _USCC_SHAPE.match(value):
            raise ValidationError(
                _("统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）。"),
                code="uscc_shape",
            )
        if not is_valid_uscc(value):
            raise ValidationError(
                _("统一社会信用代码校验码不正确：按 GB 32100，前 17 位对应的校验码应为 %(check)s。")
                % {"check": uscc_check_char(value[:17])},
                code="uscc_check",
            )
        return value
    raise ValidationError(
        _("请填写 9 位组织机构代码或 18 位统一社会信用代码（现为 %(n)s 位）。") % {"n": len(value)},
        code="org_code_length",
    )


# The placeholders of an 索引号 template (the same set as gongkai.catalog.indexnum): the
# organisation code, the unit's system code, the publication year and the yearly serial.
INDEX_TEMPLATE_FIELDS = {"org_code", "code", "year", "serial"}


def format_index_number(
    template: str, *, org_code: str, year: int, serial: int, code: str = ""
) -> str:
    """Fill an 索引号 template such as "{org_code}/{year}-{serial:05d}"."""
    return template.format(org_code=org_code, code=code, year=year, serial=serial)


def validate_index_template(template: str) -> str:
    """The template may use {org_code}, {code}, {year} and {serial} only; it must hold {year} and
    exactly one {serial}: the serial restarts each year, so without both two items could share a
    number, and the serial is read back from imported numbers."""
    template = (template or "").strip()
    if not template:
        raise ValidationError(_("请填写索引号模板，例如 {org_code}/{year}-{serial:05d}。"))
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValidationError(
            _("索引号模板的花括号不成对（%(error)s）。例如 {org_code}/{year}-{serial:05d}。")
            % {"error": exc},
            code="index_template_format",
        ) from exc
    # Whole names only: "{year.real}" or "{serial[0]}" would reach into Python objects.
    names = [name for _, name, _, _ in parsed if name is not None]
    fields = set(names)
    unknown = fields - INDEX_TEMPLATE_FIELDS
    if unknown:
        listed = "、".join(sorted(f"{{{n}}}" for n in unknown))
        raise ValidationError(
            _(
                "索引号模板含有未知的占位符：%(names)s。"
                "只能使用 {org_code}、{code}、{year}、{serial}。"
            )
            % {"names": listed},
            code="index_template_unknown",
        )
    try:
        first = format_index_number(
            template, org_code="004362519", code="zhuwang", year=2024, serial=1
        )
        second = format_index_number(
            template, org_code="004362519", code="zhuwang", year=2025, serial=2
        )
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            _("索引号模板无法使用（%(error)s），请检查占位符后的格式说明，例如 {serial:05d}。")
            % {"error": exc},
            code="index_template_format",
        ) from exc
    if names.count("serial") > 1:
        raise ValidationError(
            _("索引号模板只能包含一个 {serial}（流水号）。"), code="index_template_serials"
        )
    missing = {"year", "serial"} - fields
    if missing or first == second:
        raise ValidationError(
            _("索引号模板必须包含 {year} 和 {serial}，否则不同信息会得到相同的索引号。"),
            code="index_template_incomplete",
        )
    return template
