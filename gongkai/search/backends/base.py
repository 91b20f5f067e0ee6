"""The interface every search backend implements.

A backend stores the segmented text of an item's public version and answers one question:
which of a set of candidate items (a SQL subquery of public items, already filtered by unit,
category, genre, year and validity) match a query, best first. Ranking is the same everywhere:
items whose title holds every query word first, then the engine's relevance score with the title
weighing most, then the newer publication; `SearchEntry` rows (the items the index holds) are
joined so a row the index no longer vouches for never matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gongkai.search.tokens import Query, Term


@dataclass(frozen=True)
class Document:
    """The public text of one item, unsegmented."""

    title: str
    document_number: str
    summary: str
    body: str
    attachments: str


SQL = tuple[str, tuple]


class Backend(Protocol):
    vendor: str

    def upsert(self, item_id: int, document: Document) -> None: ...

    def delete(self, item_ids: list[int]) -> None: ...

    def delete_orphans(self) -> int:
        """Remove text rows of items without a SearchEntry; returns how many."""
        ...

    def clear(self) -> None: ...

    def match(
        self, query: Query, candidates: SQL | None, exclude: list[int], *, offset: int, limit: int
    ) -> list[int]:
        """Ids of matching candidates (None: every indexed item) except `exclude`, in rank
        order, one page."""
        ...

    def count(
        self, query: Query, candidates: SQL | None, exclude: list[int], *, exact_up_to: int
    ) -> tuple[int, bool]:
        """How many candidates match, and whether that number is an estimate (allowed only
        above `exact_up_to`)."""
        ...


def restriction(candidates: SQL | None, exclude: list[int]) -> tuple[str, list]:
    """The SQL condition (on the SearchEntry alias `e`) keeping only candidates, minus `exclude`.
    Without filters there is no candidate subquery at all: the index holds public items only, and
    the hits of a page are checked again before they are shown."""
    clause, params = "", []
    if candidates is not None:
        clause += f" AND e.item_id IN ({candidates[0]})"
        params += list(candidates[1])
    if exclude:
        clause += f" AND e.item_id NOT IN ({', '.join(['%s'] * len(exclude))})"
        params += list(exclude)
    return clause, params


def quoted(token: str, quote: str) -> str:
    return quote + token.replace(quote, quote * 2) + quote


def boolean_expression(terms: list[Term], *, quote: str, and_: str, or_: str) -> str:
    """AND of the terms; a term is its word OR all of its smaller words. Every token quoted."""

    def term(t: Term) -> str:
        word = quoted(t.word, quote)
        if not t.parts:
            return word
        parts = f" {and_} ".join(quoted(p, quote) for p in t.parts)
        return f"({word} {or_} ({parts}))"

    return f" {and_} ".join(term(t) for t in terms)
