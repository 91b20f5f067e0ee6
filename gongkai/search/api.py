"""The search index's public interface. Everything else in the project talks to these functions:

- `index_item(item_id)` puts the item's public version into the index, or takes the item out
  when it is no longer public; `remove_item(item_id)` takes it out. The catalog calls
  `index_item` after commit for every publication, withdrawal, 涉密 purge and validity change
  (registered with `gongkai.catalog.publishing.on_item_changed` in SearchConfig.ready), so a
  rolled-back change never reaches the index.
- `search(...)` answers the portal's search page and GET /api/v1/items.
- `reconcile()` (a background job) and `reindex(...)` (`gongkai reindex`) bring the index back in
  line with the database after a crash or an upgrade.

Only public items are ever returned: filtered searches draw their candidates from the catalog's
public query, and every hit of a page is checked against the database before it is shown, so
an index that has not caught up with a withdrawal can never show the withdrawn item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai.catalog.models import Attachment, Item, ItemVersion, VersionState
from gongkai.catalog.richtext import plain_text
from gongkai.search import highlight
from gongkai.search.backends import get_backend
from gongkai.search.backends.base import Document
from gongkai.search.filters import Filters
from gongkai.search.models import IndexState, SearchEntry
from gongkai.search.tokens import MAX_FIELD_CHARS, Query, exact_key, parse_query

logger = logging.getLogger(__name__)

# Above this many matches the count may be an estimate (INTERFACES.md).
EXACT_COUNT_UP_TO = 10_000
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# ------------------------------------------------------------------ keeping the index current


def _bump() -> None:
    updated = IndexState.objects.filter(pk=1).update(
        generation=F("generation") + 1, changed_at=timezone.now()
    )
    if not updated:
        IndexState.objects.get_or_create(pk=1, defaults={"generation": 1})


def generation() -> int:
    state = IndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return state or 0


def public_version(item: Item) -> ItemVersion:
    """The version the public sees, for an item already known to be public."""
    version = item.published_version
    if version is None:
        raise LookupError(f"item {item.pk} has no public version")
    return version


def document_for(item: Item) -> Document:
    version = public_version(item)
    texts = Attachment.objects.filter(version=version, purged_at__isnull=True).order_by(
        "sort_order", "id"
    )
    attachments, size = [], 0
    for text in texts.values_list("text", flat=True):
        if size >= MAX_FIELD_CHARS:
            break
        attachments.append(text[: MAX_FIELD_CHARS - size])
        size += len(attachments[-1])
    return Document(
        title=version.title,
        document_number=version.document_number,
        summary=" ".join(filter(None, [version.summary, version.keywords])),
        body=plain_text(version.body),
        attachments="\n".join(attachments),
    )


def _public(item_id: int) -> Item | None:
    return Item.objects.published().select_related("published_version").filter(pk=item_id).first()


def index_item(item_id: int) -> bool:
    """Index the item's public version, or remove the item if it is not public (any more).
    Returns True when the item is in the index afterwards."""
    with transaction.atomic():
        item = _public(item_id)
        if item is None:
            _remove([item_id])
            return False
        get_backend().upsert(item.pk, document_for(item))
        version = public_version(item)
        SearchEntry.objects.update_or_create(
            item_id=item.pk,
            defaults={
                "version_id": version.pk,
                "index_key": exact_key(item.index_number or ""),
                "docnum_key": exact_key(version.document_number),
                "indexed_at": timezone.now(),
            },
        )
        _bump()
    return True


def item_changed(item_id: int) -> None:
    """The catalog's after-commit callback (registered in SearchConfig.ready)."""
    index_item(item_id)


def _remove(item_ids: list[int]) -> int:
    gone = SearchEntry.objects.filter(item_id__in=item_ids).delete()[0]
    get_backend().delete(item_ids)
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


def reconcile(progress: Callable[[int, int], None] | None = None) -> ReconcileResult:
    """Make the index agree with the database; idempotent, cheap when nothing changed."""
    missing, extra = stale()
    result = ReconcileResult()
    if extra:
        with transaction.atomic():
            result.removed = _remove(extra)
    for n, item_id in enumerate(missing, start=1):
        if index_item(item_id):
            result.indexed += 1
        if progress:
            progress(n, len(missing))
    with transaction.atomic():
        result.orphans = get_backend().delete_orphans()
    return result


def reindex(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the database; returns how many items it holds."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        get_backend().clear()
        _bump()
    return reconcile(progress).indexed


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
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _exact_ids(query: Query, candidates) -> list[int]:
    """Items whose 索引号 or 发文字号 is exactly the query (brackets and case aside)."""
    key = exact_key(query.text)
    if not key:
        return []
    # Indexed lookups first, then the (few) ids checked against the filtered public items.
    ids = set(
        SearchEntry.objects.filter(Q(index_key=key) | Q(docnum_key=key)).values_list(
            "item_id", flat=True
        )[:200]
    )
    ids.update(
        Item.objects.filter(index_number__in={query.text, query.text.upper()}).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return []
    # Sorted here: with an ORDER BY, SQLite walks the whole date index instead of the ids.
    found = candidates.order_by().filter(pk__in=ids).values_list("pk", "first_published_at")
    return [pk for pk, _at in sorted(found, key=lambda r: (r[1], r[0]), reverse=True)][:50]


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
    candidates = filters.items()
    offset = (page - 1) * page_size

    if not query.text:
        results.count = candidates.count()
        newest = list(candidates.values_list("pk", flat=True)[offset : offset + page_size])
        results.hits = _hits(newest, None, set())
        return results

    exact = _exact_ids(query, candidates)
    ids: list[int] = []
    text_count, estimate = 0, False
    if not query.is_empty:
        backend = get_backend()
        # Without filters every indexed item is a candidate (see backends.base.restriction).
        sql = (
            None if filters.is_empty else candidates.order_by().values("pk").query.sql_with_params()
        )
        text_count, estimate = backend.count(query, sql, exact, exact_up_to=EXACT_COUNT_UP_TO)
        start = max(0, offset - len(exact))
        take = page_size - max(0, min(len(exact) - offset, page_size))
        if take > 0 and start < text_count:
            ids = backend.match(query, sql, exact, offset=start, limit=take)
    page_ids = exact[offset : offset + page_size] + ids
    results.count = len(exact) + text_count
    results.count_is_estimate = estimate
    results.hits = _hits(page_ids[:page_size], query, set(exact))
    return results


def _hits(ids: list[int], query: Query | None, exact: set[int]) -> list[Hit]:
    # The ids come from public candidates; publicness is checked again here in Python, which
    # lets SQLite look the 20 rows up by key instead of scanning every published version.
    rows = Item.objects.filter(pk__in=ids).select_related(
        "organ",
        "unit",
        "replaced_by",
        "published_version__genre",
        "published_version__topic",
        "published_version__category",
    )
    items = {i.pk: i for i in rows}
    hits = []
    for pk in ids:
        item = items.get(pk)
        if item is None or not item.is_public:
            continue
        version = public_version(item)
        if version.state != VersionState.PUBLISHED:
            continue
        texts = [version.summary, plain_text(version.body)]
        snippet = highlight.snippet(texts, query)
        if query is not None and "<mark>" not in snippet:
            attachment_texts = list(
                Attachment.objects.filter(version=version, purged_at__isnull=True).values_list(
                    "text", flat=True
                )
            )
            found = highlight.snippet(attachment_texts, query)
            if "<mark>" in found:
                snippet = found
        hits.append(
            Hit(
                item=item,
                title_html=highlight.mark(version.title, query),
                highlight=snippet,
                exact=pk in exact,
            )
        )
    return hits
