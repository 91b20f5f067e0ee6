"""Automatic pre-publication checks (条例17, "上网信息不涉密，涉密信息不上网").

    from gongkai.lib.scan import scan_text, scan_file

    findings = scan_text(body, allow={"phones": ["0631-6366000"], "emails": ["zwz@rs.gov.cn"]})
    result = scan_file(upload.read(), upload.name)   # ScanResult(findings, readable, reason, …)

`scan_text` looks for classification marks, 居民身份证号, mobile numbers, bank card numbers and
e-mail addresses and returns `Finding`s with character offsets into the text. `allow` skips what
the unit publishes on purpose: "phones" (its own contact numbers, any format), "emails", and
"numbers" (for example its bank account for 依申请公开 fees). `scan_file` extracts the text first;
a file that cannot be read (a scan, an image) comes back with `readable=False` and needs the
reviewer's explicit confirmation. Files that cannot be opened raise `ExtractError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gongkai.lib.textextract import (
    Extracted,
    ExtractError,
    UnsupportedFormat,
    extract,
    extract_path,
)

from .findings import KIND_LABELS, KINDS, SEVERITY, Finding
from .marks import find_marks
from .normalize import ascii_view, url_spans
from .personal import find_emails, find_numbers, normalise_allowed_phones

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "SEVERITY",
    "ExtractError",
    "Finding",
    "ScanResult",
    "UnsupportedFormat",
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
    results.extend(
        find_numbers(text, view, skip=skip, allowed_numbers=numbers - {""}, allowed_mobiles=mobiles)
    )
    results.sort()
    return results


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    readable: bool  # False: part or all of the file could not be read and was not checked
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
    return ScanResult(
        findings=scan_text(extracted.text, allow=allow),
        readable=extracted.readable,
        reason=extracted.reason,
        text=extracted.text,
        format=extracted.format,
        ocr=extracted.ocr,
        truncated=extracted.truncated,
    )
