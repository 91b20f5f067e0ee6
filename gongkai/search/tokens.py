"""Chinese word segmentation for the search index (jieba), the same at index and query time.

Documents are cut with `jieba.cut_for_search`, which emits a long word and also the dictionary
words inside it, so both 信息公开 and 政府信息公开 find a text about 政府信息公开. A query is cut in
precise mode; each of its words matches either itself or all of the smaller words inside it, so
a query still finds a text that jieba cut differently in its context.

Nothing of the user's query reaches an engine's syntax: only tokens made of letters, digits and
CJK characters survive (operators, quotes, brackets and control characters are dropped), and the
backends quote every token.

jieba loads its dictionary (about one second) on first use; `warm_up()` does it ahead of time in
the web server's master process, so forked workers share it.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field

# Caps that keep indexing and query time bounded whatever the input.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 24
MAX_FIELD_CHARS = 100_000

_TOKEN = re.compile(r"^\w+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_lock = threading.Lock()
_ready = False


def _jieba():
    """The jieba module, initialised once and quietly (it logs its dictionary load)."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def warm_up() -> None:
    _jieba()


def clean(text: str) -> str:
    """Normalise width (ＡＢＣ１２３ → ABC123) and drop control and zero-width characters."""
    text = unicodedata.normalize("NFKC", text or "")
    return _CONTROL.sub(" ", text)


@functools.lru_cache(maxsize=100_000)  # the same few thousand words make most of any text
def _keep(token: str) -> str | None:
    # Letters and digits only: each kept token is one token for FTS5's unicode61 and for
    # PostgreSQL's parser alike (an FTS5 index without positions refuses a split "phrase").
    token = token.strip().lower()
    if not token or not _TOKEN.match(token) or "_" in token:
        return None
    return token if all(unicodedata.category(c)[0] in "LN" for c in token) else None


def index_tokens(text: str) -> list[str]:
    """The tokens of a document field (fine-grained, with the long words too)."""
    text = clean(text)[:MAX_FIELD_CHARS]
    if not text.strip():
        return []
    return [t for t in map(_keep, _jieba().cut_for_search(text)) if t]


def index_text(text: str) -> str:
    """What a backend stores: the tokens joined by spaces."""
    return " ".join(index_tokens(text))


@dataclass(frozen=True)
class Term:
    """One query word: matches `word`, or every one of `parts` (its smaller words), or every
    term of one of `synonyms` (the other words of its synonym groups, parsed the same way)."""

    word: str
    parts: tuple[str, ...] = ()
    synonyms: tuple[tuple[Term, ...], ...] = ()
    synonym_words: tuple[str, ...] = ()  # the group's other words, as the office wrote them

    @property
    def strings(self) -> list[str]:
        found = [self.word, *self.parts]
        for terms in self.synonyms:
            for term in terms:
                found.extend(term.strings)
        return found


@dataclass
class Query:
    raw: str
    text: str  # cleaned
    terms: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def synonyms_used(self) -> list[str]:
        """The synonym words this query also looked for (shown to the visitor)."""
        return [w for term in self.terms for w in term.synonym_words]

    def highlight_strings(self) -> list[str]:
        """Every string worth marking in a text, longest first."""
        seen: set[str] = set()
        for term in self.terms:
            seen.update(s for s in term.strings if s)
        return sorted(seen, key=lambda s: (-len(s), s))


class QueryTooLong(ValueError):
    pass


def _terms(text: str, seen: set[str], limit: int) -> list[Term]:
    """Words of `text` in jieba's precise mode, each with its smaller words."""
    jieba = _jieba()
    terms: list[Term] = []
    for piece in jieba.cut(text):
        word = _keep(piece)
        if word is None or word in seen:
            continue
        seen.add(word)
        terms.append(Term(word, _parts(word)))
        if len(terms) >= limit:
            break
    return terms


def _parts(word: str) -> tuple[str, ...]:
    """The smaller words of a query word, for texts jieba cut differently in their context:
    its dictionary words, and each Chinese character no dictionary word covers (镇政府 → 镇 +
    政府, found in "诸往镇2021年政府…", which was cut 诸往 | 镇 | … | 政府)."""
    if len(word) <= 2:
        return ()
    subs = [t for t in map(_keep, _jieba().cut_for_search(word)) if t and t != word]
    covered = [False] * len(word)
    for sub in subs:
        at = word.find(sub)
        while at >= 0:
            covered[at : at + len(sub)] = [True] * len(sub)
            at = word.find(sub, at + 1)
    if subs:
        subs += [c for c, done in zip(word, covered, strict=True) if not done and _is_cjk(c)]
    parts = tuple(dict.fromkeys(subs))
    return parts if len(parts) >= 2 else ()


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _synonym_term(span: str, others: list[str]) -> Term | None:
    """A term for a word of a synonym group: the word itself (or its pieces, however jieba cut
    it) or any other word of its groups (each parsed into its own terms)."""
    pieces = [p for p in map(_keep, _jieba().cut_for_search(span)) if p]
    word = _keep(span) or "".join(pieces)
    if not word:
        return None
    parts = tuple(dict.fromkeys(p for p in pieces if p != word))
    parts = parts if len(parts) >= 2 else ()
    synonyms = []
    for other in others:
        terms = tuple(_terms(clean(other), set(), MAX_QUERY_TERMS))
        if terms:
            synonyms.append(terms)
    return Term(word, parts, tuple(synonyms[:8]), tuple(others[:8]))


def parse_query(raw: str, *, synonyms: bool = True) -> Query:
    """The search terms of what a visitor typed. Raises QueryTooLong above MAX_QUERY_CHARS.
    Words of the office's synonym groups also match the group's other words."""
    text = " ".join(clean(raw).split())
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(text)
    query = Query(raw=raw, text=text)
    if not text:
        return query
    from gongkai.search import synonyms as groups

    spans = groups.alternatives(text) if synonyms else []
    seen: set[str] = set()
    position = 0
    for start, end, others in [*spans, (len(text), len(text), [])]:
        left = MAX_QUERY_TERMS - len(query.terms)
        if left <= 0:
            break
        query.terms.extend(_terms(text[position:start], seen, left))
        span = text[start:end]
        if span and len(query.terms) < MAX_QUERY_TERMS:
            term = _synonym_term(span, others)
            if term is not None and term.word not in seen:
                seen.add(term.word)
                query.terms.append(term)
        position = end
    return query


_KEY_DROP = re.compile(r"[\s\[\]［］【】()（）〔〕<>《》〈〉{}\"'“”‘’]")


def exact_key(value: str) -> str:
    """A 发文字号 or 索引号 reduced for exact comparison: brackets of any kind and spaces removed,
    width normalised, letters lower-cased (诸政发[2017]12号 = 诸政发〔2017〕12号)."""
    return _KEY_DROP.sub("", clean(value)).lower()[:100]
