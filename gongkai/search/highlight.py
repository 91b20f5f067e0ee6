"""Highlighted titles and snippets: every character is escaped, then the query's words are
wrapped in <mark>. The result is safe to render as HTML."""

from __future__ import annotations

import html
import re

from gongkai.search.tokens import Query

SNIPPET_BEFORE = 40
SNIPPET_LENGTH = 140


def _pattern(query: Query | None) -> re.Pattern[str] | None:
    if query is None:
        return None
    strings = query.highlight_strings()
    if not strings:
        return None
    return re.compile("|".join(re.escape(s) for s in strings), re.IGNORECASE)


def mark(text: str, query: Query | None) -> str:
    """`text` escaped, with each match of the query in <mark>."""
    pattern = _pattern(query)
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        out.append(f"<mark>{html.escape(found.group())}</mark>")
        last = found.end()
    out.append(html.escape(text[last:]))
    # Neighbouring words read as one mark: 政府信息公开, not 政府|信息|公开.
    return "".join(out).replace("</mark><mark>", "")


def _flatten(text: str) -> str:
    return " ".join((text or "").split())


def snippet(texts: list[str], query: Query | None) -> str:
    """A short passage of the first text that contains a match, highlighted; without a match
    (or a query), the beginning of the first non-empty text."""
    pattern = _pattern(query)
    flattened = [_flatten(t) for t in texts]
    if pattern is not None:
        for text in flattened:
            found = pattern.search(text)
            if found is None:
                continue
            start = max(0, found.start() - SNIPPET_BEFORE)
            end = min(len(text), start + SNIPPET_LENGTH)
            piece = mark(text[start:end], query)
            return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
    for text in flattened:
        if text:
            cut = text[:SNIPPET_LENGTH]
            return html.escape(cut) + ("…" if len(text) > SNIPPET_LENGTH else "")
    return ""
