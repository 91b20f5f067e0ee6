"""The full-page cache of the public portal: anonymous GETs answered from a cache every server
process shares (the "pages" cache: a file cache in the data directory on the embedded default,
Redis when REDIS_URL is set), without building the page and without a database query.

A stored page remembers the versions of the tags it was built under; a tag stands for one kind
of content of one unit (`u:<code>:items`, `u:<code>:column`, `u:<code>:reports`), one item
(`i:<索引号>`), or the city-wide lists (`city`), the units (`units`) and the categories (`site`).
A change bumps the versions of the tags it touches, after commit, in whichever process made it:
a publication, withdrawal, takedown or validity mark bumps its item, its units' lists (the unit
and its ancestors) and the city's; a 指南 or 制度 edit that unit's column; nothing else does. A
page whose recorded versions are not the current ones is built again. The versions are read
before the page is built, so a page built from data older than a bump is never stored as new.

Versions are random tokens, not counters: a version lost to a cache flush or eviction comes back
as a new token, which retires every page built under the old one (a miss, never a stale page).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

ALIAS = "pages"
PAGE_SECONDS = 600  # bounds what a lost invalidation could ever leave behind
SITE, UNITS, CITY = "t:site", "t:units", "t:city"
MAX_AGE_SECONDS = 60


def unit_tag(code: str, kind: str) -> str:
    return f"t:u:{code}:{kind}"


def item_tag(index_number: str) -> str:
    return "t:i:" + hashlib.md5(index_number.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Entry:
    versions: dict[str, str]
    status: int
    content_type: str
    body: bytes
    etag: str


def _store():
    if not getattr(settings, "PAGE_CACHE", False) or ALIAS not in settings.CACHES:
        return None
    return caches[ALIAS]


# A WSGI environ key that asks for a page built now, neither read from nor written to the cache.
FRESH = "gongkai.fresh"


def _cacheable(request: HttpRequest) -> bool:
    # A session cookie may mean a signed-in user or pending messages: such requests are built
    # (and never stored). Without one, `request.user` is anonymous without touching the database.
    # Static publishing renders pages to write them as files: always built afresh, since the
    # page cache may not have heard of the change that made them due yet.
    return (
        request.method in {"GET", "HEAD"}
        and not request.META.get(FRESH)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()[:40]
    return f"p:{language}:{digest}"


def _token() -> str:
    return secrets.token_hex(8)


def _versions(store, tags: Iterable[str]) -> dict[str, str]:
    tags = list(dict.fromkeys(tags))
    found = store.get_many(tags)
    for tag in tags:
        if tag not in found:
            # add(): of two processes starting the same tag, both end up with the winner's.
            store.add(tag, _token(), None)
            found[tag] = store.get(tag)
    return found


def bump(tags: Iterable[str]) -> None:
    """New versions for `tags` now: every page built under the old ones is retired."""
    store = _store()
    if store is None:
        return
    try:
        store.set_many({tag: _token() for tag in set(tags)}, None)
    except Exception:
        logger.exception("could not invalidate cached pages %s", sorted(set(tags)))


def bump_on_commit(tags: Iterable[str]) -> None:
    if _store() is None:
        return
    tags = list(tags)
    transaction.on_commit(lambda: bump(tags))


def _answer(request: HttpRequest, entry: Entry, *, revalidate: bool, hit: bool) -> HttpResponse:
    matches = entry.etag in request.headers.get("If-None-Match", "")
    if matches:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(entry.body, content_type=entry.content_type, status=entry.status)
    response["ETag"] = entry.etag
    # Item pages: the browser asks every time (a withdrawal shows at once) and gets a 304 from
    # the stored page while nothing changed.
    response["Cache-Control"] = (
        "public, no-cache" if revalidate else f"public, max-age={MAX_AGE_SECONDS}"
    )
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def cached_page(
    tags: Callable[..., list[str] | None], *, revalidate: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the view from the page cache for anonymous GETs. `tags(request, *args, **kwargs)`
    names what the page shows (None: do not cache this request); SITE is always included."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            store = _store()
            if store is None or not _cacheable(request):
                return view(request, *args, **kwargs)
            wanted = tags(request, *args, **kwargs)
            if wanted is None:
                return view(request, *args, **kwargs)
            try:
                key = _key(request)
                entry = store.get(key)
                if entry is not None and store.get_many(list(entry.versions)) == entry.versions:
                    return _answer(request, entry, revalidate=revalidate, hit=True)
                versions = _versions(store, [SITE, *wanted])
            except Exception:  # the cache away: build the page rather than fail it
                logger.warning("page cache unreachable", exc_info=True)
                return view(request, *args, **kwargs)
            response = view(request, *args, **kwargs)
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or response.has_header("Set-Cookie")
            ):
                return response
            body = response.content
            entry = Entry(
                versions=versions,
                status=200,
                content_type=response.get("Content-Type", "text/html; charset=utf-8"),
                body=body,
                etag='"p' + hashlib.sha256(body).hexdigest()[:24] + '"',
            )
            try:
                store.set(key, entry, PAGE_SECONDS)
            except Exception:
                logger.warning("could not store a page", exc_info=True)
            return _answer(request, entry, revalidate=revalidate, hit=False)

        return wrapper

    return decorate


# ------------------------------------------------------------------ what a change touches


def unit_and_ancestors_tags(units, kind: str) -> set[str]:
    from gongkai.accounts.models import Unit

    pks: set[int] = set()
    for unit in units:
        if unit is not None:
            pks.update(int(p) for p in unit.path.strip("/").split("/") if p)
            pks.add(unit.pk)
    codes = Unit.objects.filter(pk__in=pks).values_list("code", flat=True)
    return {unit_tag(code, kind) for code in codes}


def item_changed(item_pk: int) -> None:
    """After commit of a publication, withdrawal, takedown, 涉密 purge or validity mark: the
    item's pages, pages of items linked to it, its units' lists and the city's lists."""
    from gongkai.catalog.models import Item, ItemVersion

    item = Item.objects.select_related("organ", "unit").filter(pk=item_pk).first()
    tags = {CITY}
    if item is not None:
        through = ItemVersion.interpretations.through
        numbers = {item.index_number}
        numbers.update(
            Item.objects.filter(pk=item.replaced_by_id).values_list("index_number", flat=True)
        )
        numbers.update(Item.objects.filter(replaced_by=item).values_list("index_number", flat=True))
        numbers.update(
            through.objects.filter(item=item).values_list(
                "itemversion__item__index_number", flat=True
            )
        )
        numbers.update(
            through.objects.filter(itemversion__item=item).values_list(
                "item__index_number", flat=True
            )
        )
        tags.update(item_tag(n) for n in numbers if n)
        tags.update(unit_and_ancestors_tags([item.organ, item.unit], "items"))
    bump(tags)


def connect_signals() -> None:
    """Column edits, reports, units and categories: whatever path saves them (actions, admin,
    API, import), the pages showing them are retired after commit."""
    from django.db.models.signals import post_delete, post_save

    from gongkai.accounts.models import Unit
    from gongkai.catalog.models import Category, Genre
    from gongkai.portal.models import GuideText, Page
    from gongkai.reports.models import AnnualReport, ReportVersion

    def column(sender, instance, **kwargs):
        bump_on_commit([unit_tag(instance.unit.code, "column")])

    def report(sender, instance, **kwargs):
        report = instance if isinstance(instance, AnnualReport) else instance.report
        bump_on_commit([unit_tag(report.unit.code, "reports")])

    def units(sender, instance, **kwargs):
        bump_on_commit([UNITS, CITY])

    def site(sender, instance, **kwargs):
        bump_on_commit([SITE])

    for model, handler in [
        (GuideText, column),
        (Page, column),
        (AnnualReport, report),
        (ReportVersion, report),
        (Unit, units),
        (Category, site),
        (Genre, site),
    ]:
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"pagecache.{model}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"pagecache-d.{model}")
