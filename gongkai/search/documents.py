"""What the index stores of an item: its public version's text as jieba tokens, its facet tokens
and its sort key, built for many items at once.

Reading is batched (one query for the items, one for their attachments' text); segmenting is
the cost (jieba, pure Python), so `gongkai reindex` hands batches to one process per core
(`tokenize` needs no database) and writes their rows as they come back, in order."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

from gongkai.catalog.models import (
    Attachment,
    Category,
    Disclosure,
    Item,
    Secrecy,
    VersionState,
)
from gongkai.catalog.richtext import plain_text
from gongkai.search.backends.base import Row
from gongkai.search.tokens import MAX_FIELD_CHARS, exact_key, index_text

KEY_SHIFT = 31
ID_MASK = (1 << KEY_SHIFT) - 1


def sort_key(published: datetime.datetime | None, item_id: int) -> int:
    """Publication second, then the item id: unique, and newest-first is descending order."""
    if item_id > ID_MASK:
        raise ValueError(f"item id {item_id} does not fit the search key")
    seconds = max(0, int(published.timestamp())) if published else 0
    return (seconds << KEY_SHIFT) | item_id


def item_of(key: int) -> int:
    return key & ID_MASK


def year_of(key: int) -> int:
    """The local year of a key's publication time."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.fromtimestamp(key >> KEY_SHIFT, tz=zone).year


def year_range(year: int) -> tuple[int, int]:
    """The keys of items first published in `year` (local time, as the catalog's filter)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    return sort_key(start, 0), sort_key(end, 0)


def facets(
    *,
    organ_id: int,
    unit_path: str,
    category_id: int | None,
    genre_id: int | None,
    validity: str,
    category_parents: dict[int, int | None],
) -> list[str]:
    """Filter tokens: o<organ>, u<unit and every unit above it>, c<category and every category
    above it>, g<genre>, v<validity>, and "all" (the listing without words)."""
    found = ["all", f"o{organ_id}"]
    found += [f"u{pk}" for pk in unit_path.strip("/").split("/") if pk]
    seen: set[int] = set()
    category = category_id
    while category is not None and category not in seen:
        seen.add(category)
        found.append(f"c{category}")
        category = category_parents.get(category)
    if genre_id is not None:
        found.append(f"g{genre_id}")
    if validity:
        found.append(f"v{validity}")
    return found


@dataclass(frozen=True)
class Raw:
    """An item's public text before segmenting (what crosses to a tokenizing process)."""

    item_id: int
    version_id: int
    organ_id: int
    category_id: int | None
    sort_key: int
    index_key: str
    docnum_key: str
    title: str
    document_number: str
    summary: str
    body_html: str
    attachments: str
    facets: str


def category_parents() -> dict[int, int | None]:
    return dict(Category.objects.values_list("pk", "parent_id"))


def read(item_ids: list[int], parents: dict[int, int | None] | None = None) -> list[Raw]:
    """The public items among `item_ids`, in that order (items no longer public are left out)."""
    if not item_ids:
        return []
    parents = category_parents() if parents is None else parents
    # By primary key, publicness checked here: with the conditions of Item.objects.published()
    # in the query, SQLite walks every published version instead of looking up 500 items.
    rows = (
        Item.objects.filter(pk__in=item_ids)
        .order_by()
        .values_list(
            "pk",
            "published_version_id",
            "first_published_at",
            "published_version__published_at",
            "index_number",
            "organ_id",
            "unit__path",
            "validity",
            "published_version__title",
            "published_version__document_number",
            "published_version__summary",
            "published_version__keywords",
            "published_version__body",
            "published_version__category_id",
            "published_version__genre_id",
            "published_version__state",
            "disclosure",
            "secrecy",
        )
    )
    found = {
        row[0]: row[:-3]
        for row in rows
        if row[1] is not None
        and row[-3] == VersionState.PUBLISHED
        and row[-2] == Disclosure.PROACTIVE
        and row[-1] != Secrecy.SECRET
    }
    texts: dict[int, list[str]] = {}
    sizes: dict[int, int] = {}
    versions = [row[1] for row in found.values()]
    for start in range(0, len(versions), 500):
        attachments = (
            Attachment.objects.filter(version_id__in=versions[start : start + 500])
            .filter(purged_at__isnull=True)
            .order_by("version_id", "sort_order", "id")
            .values_list("version_id", "text")
        )
        for version_id, text in attachments:
            size = sizes.get(version_id, 0)
            if size >= MAX_FIELD_CHARS or not text:
                continue
            piece = text[: MAX_FIELD_CHARS - size]
            texts.setdefault(version_id, []).append(piece)
            sizes[version_id] = size + len(piece)
    out = []
    for pk in item_ids:
        row = found.get(pk)
        if row is None:
            continue
        (_pk, version, first, published, index_number, organ, path, validity, title, number,
         summary, keywords, body, category, genre) = row  # fmt: skip
        out.append(
            Raw(
                item_id=pk,
                version_id=version,
                organ_id=organ,
                category_id=category,
                sort_key=sort_key(first or published, pk),
                index_key=exact_key(index_number or ""),
                docnum_key=exact_key(number or ""),
                title=title or "",
                document_number=number or "",
                summary=" ".join(filter(None, [summary, keywords])),
                body_html=body or "",
                attachments="\n".join(texts.get(version, [])),
                facets=" ".join(
                    facets(
                        organ_id=organ,
                        unit_path=path or "",
                        category_id=category,
                        genre_id=genre,
                        validity=validity or "",
                        category_parents=parents,
                    )
                ),
            )
        )
    return out


def tokenize(raw: Raw) -> Row:
    """The engine row of one item (jieba; no database, so it runs in any process)."""
    return Row(
        sort_key=raw.sort_key,
        item_id=raw.item_id,
        title=index_text(raw.title),
        docnum=index_text(raw.document_number),
        summary=index_text(raw.summary),
        body=index_text(plain_text(raw.body_html)),
        attachments=index_text(raw.attachments),
        facets=raw.facets,
    )


def tokenize_batch(raws: list[Raw]) -> list[Row]:
    return [tokenize(raw) for raw in raws]
