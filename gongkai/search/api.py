"""The search index's public interface. Everything else in the project talks to these functions:

- `index_item(item_id)` puts the item's public version into the index, or takes the item out
  when it is no longer public; `remove_item(item_id)` takes it out. The catalog calls
  `index_item` after commit for every publication, withdrawal, 涉密 purge and validity change
  (registered with `gongkai.catalog.publishing.on_item_changed` in SearchConfig.ready), so a
  rolled-back change never reaches the index. One item at a time, right after its commit.
- `search(...)` answers the portal's search page and GET /api/v1/items.
- `reconcile()` (a background job) and `reindex(...)` (`gongkai reindex`) bring the index back in
  line with the database after a crash or an upgrade, in batches segmented on every core.

The order of results (stated on the search page, docs/search.md):
1. items whose 索引号 or 发文字号 is exactly the query;
2. items whose title holds every query word; among the newest `RERANK` of them, those whose
   title holds the whole query as typed come first; otherwise newest first;
3. the other matching items; among the newest `RERANK`, those whose title holds more of the
   query words first; otherwise newest first.
No relevance score is computed over every match: that is what keeps a word found in most of a
million items as fast as a rare one. Counts are exact up to 10,000 and estimated above.

Only public items are ever returned: the index holds public items only, and every hit of a
page is checked against the database before it is shown, so an index that has not caught up
with a withdrawal can never show the withdrawn item.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from gongkai.catalog.models import Attachment, Item, ItemVersion, VersionState
from gongkai.catalog.queries import PUBLIC_RELATED
from gongkai.catalog.richtext import plain_text
from gongkai.search import documents, highlight
from gongkai.search.backends import get_backend
from gongkai.search.backends.base import Scope, Tier
from gongkai.search.filters import Filters
from gongkai.search.models import IndexState, SearchEntry
from gongkai.search.tokens import Query, clean, exact_key, parse_query, warm_up

logger = logging.getLogger(__name__)

# Above this many matches the count may be an estimate (INTERFACES.md).
EXACT_COUNT_UP_TO = 10_000
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# How many of the newest hits of a tier are re-ordered by how well their titles match.
RERANK = 100
# Exact 索引号/发文字号 matches shown ahead of the word matches, at most.
EXACT_MAX = 50
# Items per batch when (re)building; batches in flight per tokenizing process.
BATCH = 500
IN_FLIGHT_PER_PROCESS = 2
# A catch-up of this many items is followed by what ends a full rebuild (statistics, merging).
BULK_AFTER = 10_000

# ------------------------------------------------------------------ keeping the index current


def _bump(delta: int | None = None) -> None:
    """Move the generation; keep the number of entries (counted, or moved by `delta`)."""
    entries = F("entries") + delta if delta is not None else SearchEntry.objects.count()
    updated = IndexState.objects.filter(pk=1).update(
        generation=F("generation") + 1, entries=entries, changed_at=timezone.now()
    )
    if not updated:
        IndexState.objects.get_or_create(
            pk=1, defaults={"generation": 1, "entries": SearchEntry.objects.count()}
        )


def generation() -> int:
    state = IndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return state or 0


def public_version(item: Item) -> ItemVersion:
    """The version the public sees, for an item already known to be public."""
    version = item.published_version
    if version is None:
        raise LookupError(f"item {item.pk} has no public version")
    return version


def _store(raws: list[documents.Raw], rows: list) -> int:
    """Write engine rows and their SearchEntry rows (inside the caller's transaction); returns
    how many entries were added."""
    get_backend().write(rows)
    ids = [raw.item_id for raw in raws]
    replaced = SearchEntry.objects.filter(item_id__in=ids).delete()[0]
    now = timezone.now()
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                item_id=raw.item_id,
                version_id=raw.version_id,
                sort_key=raw.sort_key,
                index_key=raw.index_key,
                docnum_key=raw.docnum_key,
                organ_id=raw.organ_id,
                category_id=raw.category_id,
                indexed_at=now,
            )
            for raw in raws
        ]
    )
    return len(raws) - replaced


def index_item(item_id: int) -> bool:
    """Index the item's public version, or remove the item if it is not public (any more).
    Returns True when the item is in the index afterwards."""
    with transaction.atomic():
        raws = documents.read([item_id])
        if not raws:
            _remove([item_id])
            return False
        _store(raws, [documents.tokenize(raws[0])])
        _bump()
    return True


def item_changed(item_id: int) -> None:
    """The catalog's after-commit callback (registered in SearchConfig.ready)."""
    index_item(item_id)


def _remove(item_ids: list[int]) -> int:
    entries = SearchEntry.objects.filter(item_id__in=item_ids)
    keys = list(entries.values_list("sort_key", flat=True))
    get_backend().delete(keys)
    gone = entries.delete()[0]
    if gone:
        _bump()
    return gone


def remove_item(item_id: int) -> None:
    with transaction.atomic():
        _remove([item_id])


@dataclass
class ReconcileResult:
    indexed: int = 0
    removed: int = 0
    orphans: int = 0

    def __str__(self) -> str:
        return f"indexed {self.indexed}, removed {self.removed}, orphans {self.orphans}"


def stale() -> tuple[list[int], list[int]]:
    """(public items missing from the index or indexed at another version, indexed items that are
    not public any more)."""
    public = dict(Item.objects.published().values_list("pk", "published_version_id"))
    held = dict(SearchEntry.objects.values_list("item_id", "version_id"))
    missing = sorted(pk for pk, version in public.items() if held.get(pk) != version)
    extra = sorted(pk for pk in held if pk not in public)
    return missing, extra


def _batches(item_ids: list[int], parents) -> Iterable[list[documents.Raw]]:
    for start in range(0, len(item_ids), BATCH):
        yield documents.read(item_ids[start : start + BATCH], parents)


def build(
    item_ids: list[int],
    progress: Callable[[int, int], None] | None = None,
    *,
    processes: int | None = None,
) -> int:
    """Index `item_ids` in batches: read here, segmented by `processes` worker processes (one
    per core by default), written here in order, one transaction per batch. Memory stays flat:
    at most a few batches are in flight. Returns how many items were indexed."""
    configured = int(os.environ.get("GONGKAI_INDEX_PROCESSES", 0) or 0)
    processes = processes or configured or os.cpu_count() or 1
    parents = documents.category_parents()
    done = indexed = 0

    def write(raws: list[documents.Raw], rows: list) -> None:
        nonlocal done, indexed
        with transaction.atomic():
            _bump(_store(raws, rows))
        indexed += len(raws)
        done = min(len(item_ids), done + BATCH)
        if progress:
            progress(done, len(item_ids))

    if processes <= 1 or len(item_ids) <= BATCH:
        for raws in _batches(item_ids, parents):
            write(raws, documents.tokenize_batch(raws))
        return indexed

    import multiprocessing

    # The dictionary is loaded once and shared by the forked processes. They inherit this
    # process's database connection but never use it (tokenize_batch reads no database) and
    # leave through os._exit, so it is neither used nor closed twice; closing it here instead
    # would end the caller's transaction.
    warm_up()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        pending: deque = deque()
        for raws in _batches(item_ids, parents):
            pending.append((raws, pool.apply_async(documents.tokenize_batch, (raws,))))
            while len(pending) >= processes * IN_FLIGHT_PER_PROCESS:
                done_raws, result = pending.popleft()
                write(done_raws, result.get())
        while pending:
            done_raws, result = pending.popleft()
            write(done_raws, result.get())
    with transaction.atomic():
        _bump()
    return indexed


def reconcile(
    progress: Callable[[int, int], None] | None = None, *, processes: int | None = None
) -> ReconcileResult:
    """Make the index agree with the database; idempotent, cheap when nothing changed."""
    get_backend().ensure_indexes()
    missing, extra = stale()
    result = ReconcileResult()
    if extra:
        with transaction.atomic():
            result.removed = _remove(extra)
    if missing:
        result.indexed = build(missing, progress, processes=processes)
        if len(missing) >= BULK_AFTER:
            # Many rows at once (a first fill, an upgrade): fresh planner statistics on
            # PostgreSQL, merged segments on SQLite, as after a full rebuild.
            get_backend().end_bulk()
    with transaction.atomic():
        result.orphans = get_backend().delete_orphans()
    return result


def reindex(
    progress: Callable[[int, int], None] | None = None, *, processes: int | None = None
) -> int:
    """Rebuild the whole index from the database; returns how many items it holds."""
    backend = get_backend()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        backend.clear()
        backend.begin_bulk()
        _bump()
    try:
        missing, _extra = stale()
        return build(missing, progress, processes=processes)
    finally:
        backend.end_bulk()


# ------------------------------------------------------------------ searching


@dataclass
class Hit:
    item: Item
    title_html: str
    highlight: str
    exact: bool = False


@dataclass
class Results:
    query: Query
    filters: Filters
    page: int
    page_size: int
    count: int = 0
    count_is_estimate: bool = False
    hits: list[Hit] = field(default_factory=list)

    @property
    def approximate_wan(self) -> str:
        """An estimated count as people say it: 约 92 万, 约 1.3 万 (two significant figures)."""
        wan = self.count / 10_000
        text = f"{wan:.2g}" if wan < 10 else str(round(wan))
        return text.removesuffix(".0")

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


_HIT_RELATED = PUBLIC_RELATED


def _exact(query: Query, filters: Filters) -> list[int]:
    """Sort keys of the public items within the filters whose 索引号 or 发文字号 is exactly the
    query (brackets and case aside), newest first: indexed key lookups, then the few found
    checked in Python."""
    key = exact_key(query.text)
    if not key:
        return []
    wanted = EXACT_MAX if filters.is_empty else EXACT_MAX * 4
    keys = list(
        SearchEntry.objects.filter(Q(index_key=key) | Q(docnum_key=key))
        .order_by("-sort_key")
        .values_list("sort_key", flat=True)[:wanted]
    )
    if len(keys) < wanted:  # an item not indexed yet, typed exactly
        item_ids = Item.objects.filter(index_number__in={query.text, query.text.upper()})
        known = {documents.item_of(k) for k in keys}
        for pk, first in item_ids.values_list("pk", "first_published_at"):
            if pk not in known:
                keys.append(documents.sort_key(first, pk))
    if not keys:
        return []
    items = Item.objects.filter(pk__in=[documents.item_of(k) for k in keys]).select_related(
        "unit", "published_version"
    )
    public = {i.pk for i in items if i.is_public and filters.accepts(i)}
    return sorted((k for k in keys if documents.item_of(k) in public), reverse=True)[:EXACT_MAX]


def _normal(text: str) -> str:
    return "".join(clean(text).lower().split())


def _titles(keys: list[int]) -> dict[int, str]:
    """The public titles of indexed keys, in one query."""
    rows = (
        SearchEntry.objects.filter(sort_key__in=keys)
        .order_by()
        .values_list("sort_key", "item__published_version__title")
    )
    return {key: title or "" for key, title in rows}


def _rerank(keys: list[int], query: Query) -> list[int]:
    """The newest RERANK keys of a tier re-ordered by their titles: the whole query as typed,
    then how many query words the title holds; newest first among equals (a stable sort)."""
    head, tail = keys[:RERANK], keys[RERANK:]
    if len(head) < 2:
        return keys
    titles = {k: _normal(t) for k, t in _titles(head).items()}
    phrase = _normal(query.text)
    words = [[_normal(s) for s in term.strings if s] for term in query.terms]

    def score(key: int) -> tuple[int, int]:
        title = titles.get(key, "")
        held = sum(1 for strings in words if any(s and s in title for s in strings))
        return (0 if phrase and phrase in title else 1, -held)

    return sorted(head, key=score) + tail


def _tier(
    backend, query: Query, scope: Scope, tier: Tier, offset: int, limit: int
) -> tuple[list[int], int | None]:
    """Keys [offset, offset+limit) of a tier in its final order, and the tier's size when all
    of it was read (None when there is more)."""
    window = max(offset + limit, RERANK)
    keys = backend.keys(query, scope, tier, offset=0, limit=window + 1)
    size = len(keys) if len(keys) <= window else None
    keys = _rerank(keys[:window], query)
    return keys[offset : offset + limit], size


def search(
    *, q: str, filters: Filters, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> Results:
    """One page of public items matching `q` (jieba words, every one required; exact 索引号 and
    发文字号 matches first) within `filters`. An empty `q` lists the newest items. Raises
    tokens.QueryTooLong for an over-long query."""
    query = parse_query(q)
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    page = max(int(page), 1)
    results = Results(query=query, filters=filters, page=page, page_size=page_size)
    backend = get_backend()
    offset = (page - 1) * page_size

    if not query.text:
        listed = [key for _item, key in _listed(filters.scope(), offset, page_size)]
        count = backend.count(None, filters.scope(), Tier.LIST, exact_up_to=EXACT_COUNT_UP_TO)
        results.count, results.count_is_estimate = count.value, count.is_estimate
        results.hits = _hits([documents.item_of(k) for k in listed], None, set(), list(listed))
        return results

    exact = _exact(query, filters)
    exact_ids = [documents.item_of(k) for k in exact]
    keys: list[int] = []
    results.count = len(exact)
    page_ids = exact_ids[offset : offset + page_size]
    if not query.is_empty:
        scope = filters.scope(exclude=tuple(exact))
        want = page_size - len(page_ids)
        start = max(0, offset - len(exact))
        titles: int | None = None
        rest: int | None = None
        if want > 0:
            keys, titles = _tier(backend, query, scope, Tier.TITLE, start, want)
            if titles is not None and len(keys) < want:
                more, rest = _tier(
                    backend, query, scope, Tier.REST, max(0, start - titles), want - len(keys)
                )
                keys += more
        if titles is not None and rest is not None:
            results.count += titles + rest  # every match was read: no count needed
        else:
            count = backend.count(query, scope, Tier.ALL, exact_up_to=EXACT_COUNT_UP_TO)
            results.count += count.value
            results.count_is_estimate = count.is_estimate
        page_ids += [documents.item_of(k) for k in keys]
    page_ids = page_ids[:page_size]
    engine_keys: list[int | None] = [None] * (len(page_ids) - len(keys))
    engine_keys += keys[: len(page_ids)]
    results.hits = _hits(page_ids, query, set(exact_ids), engine_keys)
    return results


def newest(scope: Scope, n: int) -> list[Item]:
    """The `n` newest public items in `scope` (the portal's lists of latest items), from the
    index: the engine's key order, so the same cost at a thousand items or a million."""
    return [item for item, _key in _listed(scope, 0, n)]


def _listed(scope: Scope, offset: int, n: int) -> list[tuple[Item, int]]:
    """Public items of a listing without words, with their keys. An engine row that is not an
    item's current key (its item deleted, withdrawn ahead of the index, or a flushed test
    database's left-over) is removed on sight, and the page read again (at most twice)."""
    backend = get_backend()
    for _attempt in range(3):
        keys = backend.keys(None, scope, Tier.LIST, offset=offset, limit=n)
        ids = [documents.item_of(k) for k in keys]
        found = Item.objects.filter(pk__in=ids).order_by().select_related(*_HIT_RELATED)
        items = {i.pk: i for i in found}
        listed, stale = [], []
        for key in keys:
            item = items.get(documents.item_of(key))
            if item is not None and item.is_public and _holds(item, key):
                listed.append((item, key))
            else:
                stale.append(key)
        if not stale:
            break
        with transaction.atomic():
            backend.delete(stale)
    return listed


def _holds(item: Item, key: int) -> bool:
    """Whether a key the engine gave is this item's current key (not a left-over row of an
    item that no longer exists, whose id a flushed test database gave to another)."""
    version = item.published_version
    published = item.first_published_at or (version.published_at if version else None)
    return documents.sort_key(published, item.pk) == key


def organ_counts() -> dict[int, int]:
    """How many public items each organ has (the index's count, one indexed group-by)."""
    rows = SearchEntry.objects.order_by().values_list("organ_id").annotate(n=Count("pk"))
    return {organ: n for organ, n in rows.values_list("organ_id", "n") if organ is not None}


def category_counts(organ_id: int) -> dict[int, int]:
    """How many public items of an organ each category holds (an index-only group-by)."""
    rows = (
        SearchEntry.objects.filter(organ_id=organ_id)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    return {category: n for category, n in rows if category is not None}


def organ_total(organ_id: int) -> int:
    return SearchEntry.objects.filter(organ_id=organ_id).count()


def years(organ_id: int | None = None) -> list[int]:
    """Years of first publication with public items (of one organ), newest first: one indexed
    probe of the key range per year between the oldest and the newest key."""
    entries = SearchEntry.objects.order_by()
    if organ_id is not None:
        entries = entries.filter(organ_id=organ_id)
    newest = entries.order_by("-sort_key").values_list("sort_key", flat=True).first()
    oldest = entries.order_by("sort_key").values_list("sort_key", flat=True).first()
    if newest is None or oldest is None:
        return []
    found = []
    for year in range(documents.year_of(newest), documents.year_of(oldest) - 1, -1):
        low, high = documents.year_range(year)
        if entries.filter(sort_key__gte=low, sort_key__lt=high).exists():
            found.append(year)
    return found


def _hits(
    ids: list[int],
    query: Query | None,
    exact: set[int],
    keys: list[int | None] | None = None,
) -> list[Hit]:
    """The page's hits; `keys` (aligned with `ids`, None for an exact match) are the engine
    keys each id came from, checked against the item's current key."""
    # Publicness is checked again here, so an index behind a withdrawal never shows it.
    rows = Item.objects.filter(pk__in=ids).order_by().select_related(*_HIT_RELATED)
    items = {i.pk: i for i in rows}
    shown = []
    for position, pk in enumerate(ids):
        item = items.get(pk)
        if item is None or not item.is_public:
            continue
        key = keys[position] if keys is not None else None
        if key is not None and not _holds(item, key):
            continue
        version = public_version(item)
        if version.state != VersionState.PUBLISHED:
            continue
        own = [version.summary, plain_text(version.body)]
        shown.append((item, version, highlight.snippet(own, query)))
    # One query for the attachments of the hits whose summary and body did not show a match.
    unmarked = [version.pk for _i, version, snippet in shown if query and "<mark>" not in snippet]
    attachment_texts: dict[int, list[str]] = {}
    if unmarked:
        texts = (
            Attachment.objects.filter(version_id__in=unmarked, purged_at__isnull=True)
            .order_by("version_id", "sort_order", "id")
            .values_list("version_id", "text")
        )
        for version_id, text in texts:
            attachment_texts.setdefault(version_id, []).append(text)
    hits = []
    for item, version, snippet in shown:
        if version.pk in attachment_texts:
            found = highlight.snippet(attachment_texts[version.pk], query)
            if "<mark>" in found:
                snippet = found
        hits.append(
            Hit(
                item=item,
                title_html=highlight.mark(version.title, query),
                highlight=snippet,
                exact=item.pk in exact,
            )
        )
    return hits
