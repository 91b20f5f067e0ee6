"""Bookkeeping of the search index. The searchable text itself lives in an engine-specific
table created by migration 0002: an FTS5 virtual table on SQLite, a table with weighted tsvector
columns and a GIN index on PostgreSQL (gongkai/search/backends/)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SearchEntry(models.Model):
    """One indexed item: which of its versions the index holds, and the keys for exact matches
    on 索引号 and 发文字号."""

    item = models.OneToOneField(
        "catalog.Item", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version_id = models.BigIntegerField()
    index_key = models.CharField(max_length=100, db_index=True)
    docnum_key = models.CharField(max_length=100, db_index=True, blank=True)
    indexed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.item_id}@{self.version_id}"


class IndexState(models.Model):
    """A single row whose generation goes up with every change of the index, so cached search
    pages know when they are stale."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.generation)
