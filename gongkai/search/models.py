"""Bookkeeping of the search index. The searchable text itself lives in an engine-specific
table (migrations 0002 and 0003): an FTS5 virtual table on SQLite, a table of tsvectors with GIN
indexes on PostgreSQL (gongkai/search/backends/)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One indexed item: which of its versions the index holds, its key in the engine and the
    keys for exact matches on 索引号 and 发文字号.

    `sort_key` is the item's row key in the engine: its first publication time in seconds,
    shifted left 31 bits, plus the item's id. Both engines keep their rows in that order, so
    "newest first" is the engine's own order and the first page of a word found in most items
    is read off the front of the index instead of ranking every match."""

    item = models.OneToOneField(
        "catalog.Item", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version_id = models.BigIntegerField()
    sort_key = models.BigIntegerField(unique=True)
    # The publishing organ and the category, for the portal's counts without a catalog scan.
    organ_id = models.BigIntegerField(null=True)
    category_id = models.BigIntegerField(null=True)
    index_key = models.CharField(max_length=100, db_index=True)
    docnum_key = models.CharField(max_length=100, db_index=True, blank=True)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organ_id", "sort_key"], name="search_entry_organ_key"),
            models.Index(fields=["organ_id", "category_id"], name="search_entry_organ_cat"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.version_id}"


class IndexState(models.Model):
    """A single row whose generation goes up with every change of the index, so cached search
    pages know when they are stale, and which keeps the number of indexed items (a count of
    a million rows per search would cost more than the search)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.PositiveBigIntegerField(default=0)
    entries = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.generation)


class SynonymGroup(models.Model):
    """Words a citizen types and the official terms they mean (新农合 = 新型农村合作医疗): a
    query word that is one of the group's words also finds items with any other of them. Used
    at query time only, so an edit takes effect without reindexing."""

    terms = models.TextField(
        _("同义词"), help_text=_("用空格、顿号或逗号分隔，如：新农合 新型农村合作医疗")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("同义词组")

    def __str__(self) -> str:
        return self.terms

    @property
    def words(self) -> list[str]:
        from gongkai.search.synonyms import split_terms

        return split_terms(self.terms)
