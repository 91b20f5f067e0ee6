"""Reads of the public portal. Items come only through gongkai.catalog.queries (public items
only); the portal adds the groupings its pages show."""

from __future__ import annotations

import datetime
import importlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from gongkai.accounts.models import Unit
from gongkai.catalog import queries as catalog
from gongkai.catalog.models import Attachment, Category, Genre, Item
from gongkai.portal.models import GuideText, Page
from gongkai.search import api as search_api
from gongkai.search.api import public_version
from gongkai.search.backends.base import Scope

logger = logging.getLogger(__name__)

# Genres shown as 通知公告 on a home page.
NOTICE_GENRES = ("notice", "announcement", "public-notice", "publicity")
# Where legacy annual reports sit in the catalog (seeded by catalog migration 0002).
ANNUAL_REPORT_CATEGORY = "platform-annual-report"
ANNUAL_REPORT_GENRE = "annual-report"


def organs() -> QuerySet[Unit]:
    return Unit.objects.organs().active().order_by("path")


def site_root() -> Unit | None:
    """The organ whose portal is the site's home page: the top of the unit tree (the city)."""
    return organs().order_by("path").first()


def organ_or_404(code: str) -> Unit:
    unit = organs().filter(code=code).first()
    if unit is None:
        raise Http404("no such organ")
    return unit


def public_items(unit: Unit | None = None, *, include_below: bool = False) -> QuerySet[Item]:
    """Public items of an organ (with the organs under it), newest publication first."""
    qs = (
        catalog.published_items(unit=unit, include_below=include_below)
        if unit
        else (catalog.published_items())
    )
    return qs.order_by("-first_published_at", "-pk")


def _scope(unit: Unit | None, include_below: bool, **extra) -> Scope:
    """The index scope of an organ's items (with the organs under it): every organ's item is
    drafted by a unit within that organ, so "under X" is the unit-path facet u<X>."""
    if unit is None:
        return Scope(**extra)
    facet = f"u{unit.pk}" if include_below else f"o{unit.pk}"
    return Scope(facets=(facet,), **extra)


def latest(unit: Unit | None, n: int = 10, *, include_below: bool = False) -> list[Item]:
    """The newest public items (first publication), read off the search index's key order."""
    return search_api.newest(_scope(unit, include_below), n)


def notices(unit: Unit | None, n: int = 6, *, include_below: bool = False) -> list[Item]:
    genres = Genre.objects.filter(code__in=NOTICE_GENRES).values_list("pk", flat=True)
    facets = tuple(f"g{pk}" for pk in genres)
    if not facets:
        return []
    return search_api.newest(_scope(unit, include_below, any_facets=facets), n)


@dataclass
class DirectoryEntry:
    unit: Unit
    count: int
    depth: int


def directory() -> list[DirectoryEntry]:
    """区办镇信息目录: every organ, with how many public items it has."""
    counts = search_api.organ_counts()
    all_organs = list(organs())
    top = min((u.depth for u in all_organs), default=0)
    # The city first, then the townships and departments in their configured order.
    all_organs.sort(key=lambda u: (u.depth, u.sort_order, u.name))
    return [DirectoryEntry(u, counts.get(u.pk, 0), u.depth - top) for u in all_organs]


def guide(unit: Unit) -> GuideText:
    """The office's 指南 texts (an unsaved empty one when nothing was written yet)."""
    return GuideText.objects.filter(unit=unit).first() or GuideText(unit=unit)


def remedy_bodies(unit: Unit) -> dict[str, str]:
    """行政复议机关 and 管辖法院 from the application settings, when that app knows them."""
    if not apps.is_installed("gongkai.applications"):
        return {}
    settings_row = getattr(unit, "application_settings", None)
    try:
        return {
            "reconsideration_body": settings_row.reconsideration_body if settings_row else "",
            "court": settings_row.court if settings_row else "",
        }
    except Exception:  # the related row is missing
        return {}


def pages(unit: Unit) -> QuerySet[Page]:
    return Page.objects.filter(unit=unit).order_by("sort_order", "pk")


def statutory_tree(unit: Unit) -> list[catalog.CategoryNode]:
    return catalog.category_tree(unit)


def category_or_404(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Http404("no such category")
    return category


@dataclass
class AnnualReport:
    title: str
    year: int | None
    url: str
    published_date: Any


def _reports_app(unit: Unit) -> list[AnnualReport]:
    """Published reports of gongkai.reports, when that app is installed and ready."""
    if not apps.is_installed("gongkai.reports"):
        return []
    try:
        module = importlib.import_module("gongkai.reports.queries")
    except ImportError:
        return []
    published = getattr(module, "published_reports", None)
    if published is None:
        return []
    found = []
    try:
        # A savepoint: a reports app without its tables yet must not break the page.
        with transaction.atomic():
            for report in published(unit):
                try:
                    url = report.get_absolute_url()
                except (AttributeError, NoReverseMatch):
                    url = ""
                found.append(
                    AnnualReport(
                        title=str(getattr(report, "title", report)),
                        year=getattr(report, "year", None),
                        url=url,
                        published_date=getattr(report, "published_at", None),
                    )
                )
    except DatabaseError:
        logger.exception("annual reports of %s could not be read", unit.code)
        return []
    return found


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _report_year(title: str, formed: datetime.date) -> int:
    """The year a report is about: named in its title (2017年…), else the year before it was
    written when that was in the first quarter (reports are due by the end of March)."""
    found = _YEAR.search(title)
    if found:
        return int(found.group(1))
    return formed.year - 1 if formed.month <= 3 else formed.year


def annual_reports(unit: Unit) -> list[AnnualReport]:
    """The unit's 政府信息公开年报, newest year first: the published reports of the reports app,
    and the reports kept in the catalog (legacy years: category 年度工作报告 or genre 年度报告)
    for the years the reports app does not have."""
    found = _reports_app(unit)
    years = {r.year for r in found}
    items = public_items(unit).filter(
        Q(published_version__category__code=ANNUAL_REPORT_CATEGORY)
        | Q(published_version__genre__code=ANNUAL_REPORT_GENRE)
    )
    for item in items:
        version = public_version(item)
        year = _report_year(version.title, version.formed_date)
        if year in years:
            continue
        found.append(
            AnnualReport(
                title=version.title,
                year=year,
                url=item_url(item),
                published_date=item.first_published_at,
            )
        )
    return sorted(found, key=lambda r: r.year or 0, reverse=True)


def replacement(item: Item) -> Item | None:
    """The public item that replaces a repealed or amended one, if any."""
    other = item.replaced_by
    return other if other is not None and other.is_public else None


def item_url(item: Item) -> str:
    return reverse("portal:item", args=[item.index_number or ""])


def public_attachments(item: Item) -> list[Attachment]:
    return list(
        Attachment.objects.filter(version=item.published_version, purged_at__isnull=True)
        .exclude(file="")
        .order_by("sort_order", "pk")
    )


def public_attachment(pk: int) -> Attachment | None:
    """An attachment of a public item's public version, or None."""
    attachment = (
        Attachment.objects.select_related("version__item")
        .filter(pk=pk, purged_at__isnull=True)
        .exclude(file="")
        .first()
    )
    if attachment is None:
        return None
    item = attachment.version.item
    public = catalog.published_items().filter(pk=item.pk, published_version=attachment.version)
    return attachment if public.exists() else None


def url_or_none(name: str, *args: Any) -> str | None:
    """A page of another app, when that app is installed and has it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def attachment_url(attachment: Attachment) -> str:
    return reverse("portal:attachment", args=[attachment.pk])
