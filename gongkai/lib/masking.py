"""Masking of personal data before it is written anywhere that outlives a retention rule."""

from __future__ import annotations

import re
from typing import Any

# Keys whose values are personal data whatever they look like.
PERSONAL_KEYS = {
    "id_number",
    "id_doc_number",
    "identity_number",
    "id_card",
    "phone",
    "mobile",
    "email",
    "address",
    "applicant_name",
    "name_of_applicant",
    "contact",
    "password",
    "query_code",
    "bank_card",
}

_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# Linear time (the audit log runs this on every write): an address starts only where a run of
# address characters starts (the look-behind), so a long run without "@" is scanned once, not
# once from each of its characters; the possessive *+ never gives back what it took.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*+(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)


def mask_text(value: str) -> str:
    """Mask identity numbers, mobile numbers and e-mail addresses inside free text."""
    value = _ID_CARD.sub(lambda m: m.group(1) + "********" + m.group(2)[-1:].rjust(4, "*"), value)
    value = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), value)
    return _EMAIL.sub(lambda m: m.group(1) + "***" + m.group(2), value)


def mask_value(value: Any) -> Any:
    """Mask a whole value known to be personal: keep only enough to recognise it."""
    if value is None or value == "":
        return value
    text = str(value)
    if len(text) <= 2:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 2) + text[-1]


def mask_personal(data: Any) -> Any:
    """Return a copy of `data` (dicts, lists, strings) with personal data masked."""
    if isinstance(data, dict):
        return {
            k: (
                mask_value(v)
                if k in PERSONAL_KEYS and not isinstance(v, dict | list)
                else mask_personal(v)
            )
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_personal(v) for v in data]
    if isinstance(data, str):
        return mask_text(data)
    return data
