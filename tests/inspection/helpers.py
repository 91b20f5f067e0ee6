"""Site states for the inspection tests: public items, columns, letters and probe visits made
directly in the database (the catalog workflow has its own tests)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from gongkai.catalog.models import Category, Genre, Item, ItemVersion, VersionState

_seq = itertools.count(1)
TZ_NOON = datetime.time(12, 0)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, TZ_NOON))


def publish(
    unit,
    *,
    day: datetime.date,
    title: str | None = None,
    category: str | None = None,
    genre: str | None = None,
    body: str = "<p>正文</p>",
    formed: datetime.date | None = None,
    imported: bool = True,
    created: datetime.datetime | None = None,
    **item_fields,
) -> Item:
    n = next(_seq)
    item = Item.objects.create(
        organ=unit,
        unit=unit,
        index_number=f"T{unit.pk}/{n:06d}",
        is_imported=imported,
        secrecy="non_secret",
        first_published_at=at(day),
        created_at=created or at(day),
        **item_fields,
    )
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        state=VersionState.PUBLISHED,
        title=title or f"测试信息{n}",
        formed_date=formed or day,
        body=body,
        category=Category.objects.get(code=category) if category else None,
        genre=Genre.objects.get(code=genre) if genre else None,
        published_at=at(day),
        fingerprint="x" * 64,
    )
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item
