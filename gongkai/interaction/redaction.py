"""Taking the writer's personal data out of a letter before its exchange is published.

`redact` proposes a public version (the clerk edits it further); `findings` lists what still
looks personal in a text, and the publish action refuses while anything serious is left.

Two layers: gongkai.lib.scan (validated 身份证号 and card numbers, mobiles, e-mail, classification
marks), and broader patterns of our own, because a letter is not a government document: a
mistyped ID number is still the writer's, and a 7-digit landline is still their phone. Both know
the writer's own name and contacts, which no generic pattern would find, and both leave alone the
organ's own published phone numbers and e-mail addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongkai.lib.scan import scan_text
from gongkai.lib.scan.normalize import ascii_view

# Order matters: an 18-digit ID number would also look like a bank card.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_BANK_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
# Starts only where a run of address characters starts, so it stays linear (lib/masking.py).
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A landline with an area code (0631-6366000) or a bare 7–8 digit number.
_LANDLINE = re.compile(r"(?<![\d.])(?:0\d{2,3}[ -]?)?[2-9]\d{6,7}(?![\d.])")

PATTERNS: list[tuple[str, re.Pattern[str], str, str]] = [
    # kind, pattern, replacement, severity
    ("id_card", _ID_CARD, "［身份证号已隐去］", "high"),
    ("bank_card", _BANK_CARD, "［银行卡号已隐去］", "high"),
    ("mobile", _MOBILE, "［手机号已隐去］", "high"),
    ("email", _EMAIL, "［邮箱已隐去］", "high"),
    ("landline", _LANDLINE, "［电话号码已隐去］", "low"),
]

KIND_LABELS = {
    "id_card": _("身份证号"),
    "bank_card": _("银行卡号"),
    "mobile": _("手机号"),
    "email": _("电子邮箱"),
    "landline": _("电话号码"),
    "classification_mark": _("密级或内部标志"),
    "writer_name": _("来信人姓名"),
    "writer_contact": _("来信人联系方式"),
    "id_card_unverified": _("身份证号"),
    "bank_card_unverified": _("银行卡号"),
    "disability_cert": _("残疾证号"),
    "subsistence_cert": _("低保证号"),
    "home_address": _("家庭住址"),
    "roster_name": _("姓名"),
}

NAME_REPLACEMENT = "某某"
CONTACT_REPLACEMENT = "［联系方式已隐去］"


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    severity: str  # high: publishing is refused; low: shown for a person to judge

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def _digits(value: str) -> str:
    return "".join(ch for ch in ascii_view(value) if ch.isdigit())


@dataclass(frozen=True)
class Allowed:
    """The organ's own published contact data: never hidden, never reported."""

    numbers: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    @classmethod
    def of(cls, phones: Iterable[str] = (), emails: Iterable[str] = ()) -> Allowed:
        numbers = set()
        for phone in phones:
            for part in re.split(r"[,，;；/、]", phone or ""):
                digits = _digits(part)
                if len(digits) >= 7:
                    numbers.add(digits)
                    numbers.add(digits[-8:] if len(digits) > 8 else digits)  # without area code
                    numbers.add(digits[-7:])
        return cls(frozenset(numbers), frozenset(e.strip().lower() for e in emails if e))

    def covers(self, kind: str, text: str) -> bool:
        if kind == "email":
            return text.strip().lower() in self.emails
        if kind in {"mobile", "landline"}:
            return _digits(text) in self.numbers
        return False


def _contact_pattern(contact: str) -> re.Pattern[str] | None:
    """The writer's phone number however it is spaced, or their e-mail in any case."""
    contact = ascii_view(contact.strip())
    if not contact:
        return None
    if "@" in contact:
        return re.compile(re.escape(contact), re.IGNORECASE)
    digits = _digits(contact)
    if len(digits) < 5:
        return None
    return re.compile(r"(?<!\d)" + r"[ -]?".join(digits) + r"(?!\d)")


def _writer_patterns(names: Iterable[str], contacts: Iterable[str]):
    patterns = []
    for name in names:
        name = (name or "").strip()
        # A one-character "name" would blank every use of that character.
        if len(name) >= 2:
            patterns.append(("writer_name", re.compile(re.escape(ascii_view(name)))))
    for contact in contacts:
        pattern = _contact_pattern(contact or "")
        if pattern is not None:
            patterns.append(("writer_contact", pattern))
    return patterns


def _spans(
    text: str, names: Iterable[str], contacts: Iterable[str], allowed: Allowed
) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, severity) of everything personal, without overlaps, in text order.
    Offsets come from a same-length ASCII view, so full-width digits are caught too."""
    view = ascii_view(text)
    found: list[tuple[int, int, str, str]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < b and a < end for a, b, _k, _s in found)

    for kind, pattern in _writer_patterns(names, contacts):
        for match in pattern.finditer(view):
            if not overlaps(*match.span()):
                found.append((match.start(), match.end(), kind, "high"))
    allow = {"phones": sorted(allowed.numbers), "emails": sorted(allowed.emails)}
    for finding in scan_text(text, allow=allow):
        if not overlaps(finding.start, finding.end):
            found.append((finding.start, finding.end, finding.kind, "high"))
    for kind, pattern, _replacement, severity in PATTERNS:
        for match in pattern.finditer(view):
            if overlaps(*match.span()) or allowed.covers(kind, match.group(0)):
                continue
            found.append((match.start(), match.end(), kind, severity))
    return sorted(found)


_REPLACEMENTS = {kind: replacement for kind, _p, replacement, _s in PATTERNS}
_REPLACEMENTS.update({"writer_name": NAME_REPLACEMENT, "writer_contact": CONTACT_REPLACEMENT})
# The kinds only gongkai.lib.scan knows (the catalog's checks): hidden the same way.
_REPLACEMENTS.update(
    {
        "id_card_unverified": "［身份证号已隐去］",
        "bank_card_unverified": "［银行卡号已隐去］",
        "disability_cert": "［残疾证号已隐去］",
        "subsistence_cert": "［低保证号已隐去］",
        "home_address": "［住址已隐去］",
        "roster_name": NAME_REPLACEMENT,
    }
)


def redact(
    text: str,
    *,
    names: Iterable[str] = (),
    contacts: Iterable[str] = (),
    allowed: Allowed | None = None,
) -> str:
    """A proposed public version of `text`: the writer's name becomes 某某, numbers are hidden.
    Classification marks are reported by `findings`, not rewritten: a person must look."""
    pieces, pos = [], 0
    for start, end, kind, _severity in _spans(text, names, contacts, allowed or Allowed()):
        if kind not in _REPLACEMENTS:
            continue
        pieces.append(text[pos:start])
        pieces.append(_REPLACEMENTS[kind])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def findings(
    text: str,
    *,
    names: Iterable[str] = (),
    contacts: Iterable[str] = (),
    allowed: Allowed | None = None,
) -> list[Finding]:
    """What in `text` still looks like personal data, the serious kinds first."""
    found = [
        Finding(kind, text[start:end], severity)
        for start, end, kind, severity in _spans(text, names, contacts, allowed or Allowed())
    ]
    return sorted(found, key=lambda f: f.severity != "high")
