"""The interface every search backend implements.

A backend keeps one row per indexed item under the item's `sort_key` (SearchEntry: first
publication time, then the item id), with the jieba tokens of its fields and its facet tokens
(organ, units, categories, genre, validity: `gongkai.search.documents.facets`), and answers two
questions for a query within a `Scope`: which keys match, newest first, and how many. Ordering
is the engine's own key order, never a relevance score computed over every match: that is what
keeps the first page of a word found in most of a million items as cheap as a rare word's.
The relevance that matters to a citizen (exact 索引号/发文字号, titles over bodies, the whole
query in the title) is applied by `search.api` as tiers and a bounded re-ranking on top.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from gongkai.search.tokens import Query, Term


class Tier(enum.Enum):
    TITLE = "title"  # every query word in the title
    REST = "rest"  # every query word in the item, not all of them in the title
    ALL = "all"  # every query word in the item
    LIST = "list"  # no words: every item in scope


@dataclass(frozen=True)
class Scope:
    """Where to look: facet tokens that must all be present, a key range (a year of first
    publication) and keys to leave out (the exact matches already shown)."""

    facets: tuple[str, ...] = ()
    any_facets: tuple[str, ...] = ()  # at least one of these (e.g. any of several genres)
    low: int | None = None
    high: int | None = None
    exclude: tuple[int, ...] = ()


@dataclass(frozen=True)
class Row:
    """One item as the engine stores it: space-joined tokens per field."""

    sort_key: int
    item_id: int
    title: str
    docnum: str
    summary: str
    body: str
    attachments: str
    facets: str


@dataclass(frozen=True)
class Count:
    value: int
    is_estimate: bool = False


class Backend(Protocol):
    vendor: str

    def write(self, rows: list[Row]) -> None:
        """Insert or replace the rows (an item's earlier row, under any key, goes)."""
        ...

    def begin_bulk(self) -> None:
        """Before filling an empty index (a rebuild): drop what is faster built at the end."""
        ...

    def end_bulk(self) -> None:
        """After a rebuild: build what begin_bulk dropped, merge, update statistics."""
        ...

    def ensure_indexes(self) -> None:
        """Put back indexes a stopped rebuild left missing (cheap when present)."""
        ...

    def delete(self, keys: list[int]) -> None: ...

    def delete_orphans(self) -> int:
        """Remove rows without a SearchEntry; returns how many."""
        ...

    def clear(self) -> None: ...

    def keys(
        self, query: Query | None, scope: Scope, tier: Tier, *, offset: int, limit: int
    ) -> list[int]:
        """Sort keys of matching rows, newest first, one slice."""
        ...

    def count(self, query: Query | None, scope: Scope, tier: Tier, *, exact_up_to: int) -> Count:
        """How many rows match: exact up to `exact_up_to`, an estimate above."""
        ...


def quoted(token: str, quote: str) -> str:
    return quote + token.replace(quote, quote * 2) + quote


def boolean_expression(terms: list[Term], *, quote: str, and_: str, or_: str) -> str:
    """AND of the terms; a term is its word OR all of its smaller words OR all the terms of one
    of its synonyms. Every token quoted."""

    def group(items: list[str]) -> str:
        return items[0] if len(items) == 1 else "(" + f" {and_} ".join(items) + ")"

    def term(t: Term) -> str:
        options = [quoted(t.word, quote)]
        if t.parts:
            options.append(group([quoted(p, quote) for p in t.parts]))
        for synonym in t.synonyms:
            options.append(group([term(s) for s in synonym]))
        return options[0] if len(options) == 1 else "(" + f" {or_} ".join(options) + ")"

    return f" {and_} ".join(term(t) for t in terms)
