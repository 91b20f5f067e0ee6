"""sitemap.xml: every public item and every organ's portal pages (django.contrib.sitemaps)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.catalog.models import Item
from gongkai.portal import queries
from gongkai.search.api import public_version

PARTS = ("unit_home", "guide", "rules", "catalog", "reports")


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return queries.public_items().select_related(None).select_related("published_version")

    def location(self, item: Item) -> str:
        return queries.item_url(item)

    def lastmod(self, item: Item):
        return public_version(item).published_at


class PortalSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        pages: list[tuple[str, tuple[str, ...]]] = [
            ("portal:home", ()),
            ("portal:directory", ()),
            ("portal:search", ()),
        ]
        for unit in queries.organs():
            pages.extend((f"portal:{part}", (unit.code,)) for part in PARTS)
        return pages

    def location(self, page) -> str:
        name, args = page
        return reverse(name, args=args)


SITEMAPS = {"portal": PortalSitemap, "items": ItemSitemap}
