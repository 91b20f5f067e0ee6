"""A same-length ASCII view of the text, so one set of patterns sees "１３８" and "138" alike and
every offset found in the view is an offset in the original."""

from __future__ import annotations

import re

# Full-width forms U+FF01–U+FF5E map one-to-one to ASCII; the ideographic space to a space.
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20
_TABLE[0x00A0] = 0x20


def ascii_view(text: str) -> str:
    view = text.translate(_TABLE)
    assert len(view) == len(text)
    return view


_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'，。；、（）【】《》]+", re.IGNORECASE)


def url_spans(view: str) -> list[tuple[int, int]]:
    """Where web addresses are: article numbers inside them are not personal data."""
    return [m.span() for m in _URL.finditer(view)]


def clause_start(text: str, pos: int, window: int) -> int:
    """Where the line holding `pos` starts, but no more than `window` characters back."""
    lo = max(0, pos - window)
    newline = text.rfind("\n", lo, pos)
    return lo if newline < 0 else newline + 1


def short_line(text: str, start: int, end: int, window: int) -> tuple[int, int] | None:
    """The bounds of the line around text[start:end] when it has at most `window` characters
    on either side of it, else None. Bounded, so a megabyte without line breaks stays linear."""
    lo = max(0, start - window)
    before = text.rfind("\n", lo, start)
    if before < 0 and lo > 0:
        return None
    hi = min(len(text), end + window)
    after = text.find("\n", end, hi)
    if after < 0 and hi < len(text):
        return None
    return (lo if before < 0 else before + 1), (hi if after < 0 else after)


_SENTENCE_END = "。！？!?\n；;"


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], at most 200 characters either side."""
    lo = max(0, start - 200)
    s = max((text.rfind(ch, lo, start) for ch in _SENTENCE_END), default=-1)
    s = lo if s < 0 else s + 1
    hi = min(len(text), end + 200)
    ends = [i for i in (text.find(ch, end, hi) for ch in _SENTENCE_END) if i >= 0]
    return s, (min(ends) + 1 if ends else hi)
