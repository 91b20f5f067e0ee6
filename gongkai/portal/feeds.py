"""RSS feeds of new public items: one per organ, one per category (django.contrib.syndication)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.accounts.models import Unit
from gongkai.catalog import queries as catalog
from gongkai.catalog.models import Category, Item
from gongkai.portal import queries
from gongkai.search.api import public_version

FEED_SIZE = 30


class _ItemFeed(Feed):
    def item_title(self, item: Item) -> str:
        return public_version(item).title

    def item_description(self, item: Item) -> str:
        version = public_version(item)
        parts = [version.summary or ""]
        if version.document_number:
            parts.append(f"{_('发文字号')}：{version.document_number}")
        parts.append(f"{_('索引号')}：{item.index_number}")
        return "\n".join(p for p in parts if p)

    def item_link(self, item: Item) -> str:
        return queries.item_url(item)

    def item_guid(self, item: Item) -> str:
        return item.index_number or str(item.pk)

    def item_pubdate(self, item: Item) -> datetime.datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Item) -> datetime.datetime | None:
        return public_version(item).published_at

    def item_author_name(self, item: Item) -> str:
        return item.organ.name

    def item_categories(self, item: Item) -> list[str]:
        category = public_version(item).category
        return [category.name] if category else []


class UnitFeed(_ItemFeed):
    def get_object(self, request: HttpRequest, code: str) -> Unit:
        return queries.organ_or_404(code)

    def title(self, unit: Unit) -> str:
        return _("%(u)s 政府信息公开") % {"u": unit.name}

    def link(self, unit: Unit) -> str:
        return reverse("portal:unit_home", args=[unit.code])

    def description(self, unit: Unit) -> str:
        return _("%(u)s 最新主动公开的政府信息") % {"u": unit.name}

    def items(self, unit: Unit):
        return queries.public_items(unit)[:FEED_SIZE]


class CategoryFeed(_ItemFeed):
    def get_object(self, request: HttpRequest, code: str) -> Category:
        return queries.category_or_404(code)

    def title(self, category: Category) -> str:
        return _("政府信息公开 · %(c)s") % {"c": category.name}

    def link(self, category: Category) -> str:
        return reverse("portal:search") + f"?category={category.code}"

    def description(self, category: Category) -> str:
        return _("“%(c)s”分类下最新主动公开的政府信息") % {"c": category.name}

    def items(self, category: Category):
        return catalog.published_items(category=category).order_by("-first_published_at", "-pk")[
            :FEED_SIZE
        ]
