"""Automatic pre-publication checks (条例17, "上网信息不涉密，涉密信息不上网").

    from gongkai.lib.scan import scan_text, scan_file

    findings = scan_text(body, allow={"phones": ["0631-6366000"], "emails": ["zwz@rs.gov.cn"]})
    result = scan_file(upload.read(), upload.name)   # ScanResult(findings, readable, reason, …)

`scan_text` looks for classification marks, 居民身份证号 (also those whose check digit is wrong:
`id_card_unverified`), mobile numbers, bank card numbers (`bank_card_unverified` next to a card
label when the number fails its checks), e-mail addresses, 残疾证号, 低保证号, home addresses and
names in roster rows, and returns `Finding`s with character offsets into the text.
`RULES_VERSION` changes whenever the rules do, so published items are scanned again (the
catalog's rescan job). `allow` skips what the unit publishes on purpose: "phones" (its own
contact numbers, any format), "emails", and "numbers" (for example its bank account for
依申请公开 fees). `scan_file` extracts the text first; a file that cannot be read (a scan OCR
could not read, an image) or whose text was cut at the extraction cap comes back with
`readable=False` ("partly checked") and needs the reviewer's explicit confirmation. Files
that cannot be opened raise `ExtractError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from gongkai.lib.textextract import (
    Extracted,
    ExtractError,
    UnsupportedFormat,
    extract,
    extract_path,
)

from .findings import ID_CARD_UNVERIFIED, KIND_LABELS, KINDS, ROSTER_NAME, SEVERITY, Finding, mask
from .marks import find_marks
from .normalize import ascii_view, url_spans
from .people import find_people
from .personal import find_emails, find_numbers, normalise_allowed_phones

# Raise whenever a rule changes what is found: every published item is then scanned again.
RULES_VERSION = 2

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "RULES_VERSION",
    "SEVERITY",
    "ExtractError",
    "Finding",
    "ScanResult",
    "UnsupportedFormat",
    "mask",
    "masked_text",
    "partly_checked",
    "scan_file",
    "scan_text",
]

_ALLOW_KEYS = {"phones", "emails", "numbers"}


def scan_text(text: str, *, allow: Mapping[str, Iterable[str]] | None = None) -> list[Finding]:
    """All findings in `text`, ordered by position."""
    allow = allow or {}
    unknown = set(allow) - _ALLOW_KEYS
    if unknown:
        raise ValueError(f"unknown allow keys: {sorted(unknown)}")
    mobiles, numbers = normalise_allowed_phones(allow.get("phones", ()))
    numbers |= {"".join(ch for ch in str(n) if ch.isdigit()) for n in allow.get("numbers", ())}
    emails = {str(e).strip().lower() for e in allow.get("emails", ())}

    view = ascii_view(text)
    results = list(find_marks(text, view))
    allowed_email_spans: list[tuple[int, int]] = []
    for finding, start, end in find_emails(text, view, allowed=emails):
        if finding is None:
            allowed_email_spans.append((start, end))
        else:
            results.append(finding)
    # Numbers in web addresses are page ids; numbers in an allowed address are the unit's own.
    skip = url_spans(view) + allowed_email_spans
    numbers_found = list(
        find_numbers(text, view, skip=skip, allowed_numbers=numbers - {""}, allowed_mobiles=mobiles)
    )
    results.extend(numbers_found)
    taken = sorted((n.start, n.end) for n in numbers_found)
    rows: list[tuple[int, int]] = []
    for finding in find_people(text, view):
        if any(s < finding.end and finding.start < e for s, e in taken):
            continue
        results.append(finding)
        if finding.kind == ROSTER_NAME:
            lo = text.rfind("\n", 0, finding.start) + 1
            hi = text.find("\n", finding.end)
            rows.append((lo, len(text) if hi < 0 else hi))
    if rows:  # an unverified number in a row with a person's name is a person's number
        results = [_upgraded(r, rows) for r in results]
    results.sort()
    unique: list[Finding] = []
    for finding in results:  # two rules finding the same thing report it once
        if unique and (unique[-1].start, unique[-1].end) == (finding.start, finding.end):
            continue
        unique.append(finding)
    return unique


def _upgraded(finding: Finding, rows: list[tuple[int, int]]) -> Finding:
    if finding.kind != ID_CARD_UNVERIFIED or finding.severity == "high":
        return finding
    if any(lo <= finding.start and finding.end <= hi for lo, hi in rows):
        return replace(finding, severity="high")
    return finding


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    readable: bool  # False: part or all of the file could not be read and was not checked
    # ("partly checked": a scan OCR could not read, or text cut at the extraction cap)
    reason: str  # why not, for the reviewer
    text: str  # the extracted text the findings' offsets point into
    format: str
    ocr: bool = False
    truncated: bool = False  # the text was cut at EXTRACTED_TEXT_MAX_CHARS: only a part checked

    @property
    def needs_confirmation(self) -> bool:
        """The reviewer must look at the file themselves before it may be published."""
        return not self.readable


def scan_file(
    source: str | Path | bytes,
    name: str = "",
    *,
    allow: Mapping[str, Iterable[str]] | None = None,
) -> ScanResult:
    """Extract the text of a file (a path, or its bytes with its name) and scan it."""
    if isinstance(source, bytes):
        extracted: Extracted = extract(source, name)
    else:
        extracted = extract_path(source, name)
    readable, reason = partly_checked(extracted)
    return ScanResult(
        findings=scan_text(extracted.text, allow=allow),
        readable=readable,
        reason=reason,
        text=extracted.text,
        format=extracted.format,
        ocr=extracted.ocr,
        truncated=extracted.truncated,
    )


def partly_checked(extracted: Extracted) -> tuple[bool, str]:
    """(readable, reason) of an extraction: a text cut at the extraction cap was only partly
    checked, like a scan that could not be read, and needs a person's look."""
    if extracted.readable and getattr(extracted, "truncated", False):
        return False, extracted.reason or "文件文字超过提取上限，只检查了前面部分。"
    return extracted.readable, extracted.reason


def masked_text(text: str, *, allow: Mapping[str, Iterable[str]] | None = None) -> str:
    """`text` with the middle of every personal-data hit replaced by * (classification marks
    are left: they cannot be masked away). For texts the system writes itself that become
    public, such as the applicant-visible case history."""
    out, last = [], 0
    for finding in scan_text(text, allow=allow):
        if finding.kind == "classification_mark" or finding.start < last:
            continue
        out.append(text[last : finding.start])
        out.append(mask(finding.text))
        last = finding.end
    out.append(text[last:])
    return "".join(out)
