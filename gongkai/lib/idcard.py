"""居民身份证号码 (GB 11643-1999): 17 digits and a check character (ISO 7064 MOD 11-2).

Digits 7–14 are the birth date, which must be a real date not in the future. Forms and imports
call `validate_id_card`, which raises a ValidationError a clerk can act on and returns the number
normalised (upper-case X, no spaces).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalise_id_card(number: str) -> str:
    return re.sub(r"\s", "", number or "").upper()


def id_card_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"not 17 digits: {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_card_birth_date(number: str) -> datetime.date | None:
    """The birth date written in an 18-character number, or None if it is not a real date."""
    digits = normalise_id_card(number)
    try:
        return datetime.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return None


def is_valid_id_card(number: str, *, today: datetime.date | None = None) -> bool:
    try:
        validate_id_card(number, today=today)
    except ValidationError:
        return False
    return True


def validate_id_card(number: str, *, today: datetime.date | None = None) -> str:
    """Check an 18-character 居民身份证号码; return it normalised or raise ValidationError."""
    value = normalise_id_card(number)
    if not _SHAPE.match(value):
        raise ValidationError(
            _("身份证号码应为18位：前17位是数字，最后一位是数字或字母X。"), code="id_card_shape"
        )
    born = id_card_birth_date(value)
    today = today or timezone.localdate()
    if born is None or born.year < 1900 or born > today:
        raise ValidationError(
            _("身份证号码中的出生日期（第7至14位）不是有效日期，请核对。"), code="id_card_birth"
        )
    if id_card_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("身份证号码校验位不正确，请核对是否有录入错误。"), code="id_card_check"
        )
    return value
