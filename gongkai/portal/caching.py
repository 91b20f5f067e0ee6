"""HTTP caching of public pages and API reads for anonymous visitors.

The site's content version is the newest audit row (every change of anything public — an item
published, withdrawn or re-marked, a unit's contact data, a 指南 text, a 制度 page — writes one in
its transaction) together with the search index's generation (which moves after commit, when
the index has caught up). Pages carry an ETag built from it and the language, and
Last-Modified from the audit row's time; a browser revalidating an unchanged page gets a 304
without the page being built. Signed-in staff get no caching headers.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from gongkai.audit.models import AuditEntry
from gongkai.search.api import generation

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 60


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def content_version(request: HttpRequest) -> tuple[str, datetime.datetime | None]:
    cached = getattr(request, "_gongkai_content_version", None)
    if cached is None:
        latest = AuditEntry.objects.order_by("-pk").values_list("pk", "at").first()
        audit_id, at = latest if latest else (0, None)
        # The row's time as well as its id: ids of rolled-back rows can come back (SQLite).
        stamp = int(at.timestamp() * 1_000_000) if at else 0
        cached = (f"{audit_id}.{stamp:x}.{generation()}", at)
        request._gongkai_content_version = cached  # type: ignore[attr-defined]
    return cached


def _etag(request: HttpRequest, *args, **kwargs) -> str | None:
    if not _anonymous(request):
        return None
    version, _at = content_version(request)
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f'W/"{version}-{language}"'


def _last_modified(request: HttpRequest, *args, **kwargs) -> datetime.datetime | None:
    if not _anonymous(request):
        return None
    return content_version(request)[1]


def public_cache(
    view: Callable[..., HttpResponse] | None = None, *, revalidate: bool = False
) -> Any:
    """ETag/Last-Modified with 304 answers, and a short public max-age, for anonymous GETs.
    `revalidate` (item pages): no max-age, the browser asks each time, so a withdrawal shows at
    once; an unchanged page still costs it only a 304."""
    if view is None:
        return functools.partial(public_cache, revalidate=revalidate)
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        if request.method in {"GET", "HEAD"} and response.status_code in {200, 304}:
            if not _anonymous(request):
                patch_cache_control(response, private=True, no_cache=True)
            elif revalidate:
                patch_cache_control(response, public=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapper


# Figures that take a scan of the catalog (category counts, the years, the newest items) are
# kept until the content version moves, so a busy day's visitors share them: per process, and
# with Redis (REDIS_URL) in the cache every server shares, so what one server computed the others
# reuse. The version is part of the key, so a change made through any server retires them all.
_MEMO: dict[str, tuple[str, Any]] = {}
MEMO_ENTRIES = 1000
SHARED_MEMO_SECONDS = 600


def _shared_get(key: str) -> Any:
    from django.core.cache import cache

    try:
        return cache.get(key)
    except Exception:  # Redis away: compute locally rather than fail the page
        logger.warning("shared cache unreachable", exc_info=True)
        return None


def _shared_set(key: str, value: Any) -> None:
    from django.core.cache import cache

    try:
        cache.set(key, value, SHARED_MEMO_SECONDS)
    except Exception:
        logger.warning("could not store %s in the shared cache", key, exc_info=True)


def memoize(request: HttpRequest, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()` (which must return a fully evaluated value), reused while nothing changed."""
    version = content_version(request)[0]
    hit = _MEMO.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    shared_key = f"portal.memo:{version}:{digest}"
    shared = bool(getattr(settings, "REDIS_URL", ""))
    value = _shared_get(shared_key) if shared else None
    if value is None:
        value = compute()
        if shared and value is not None:
            _shared_set(shared_key, value)
    if len(_MEMO) >= MEMO_ENTRIES:
        _MEMO.clear()
    _MEMO[key] = (version, value)
    return value


def search(request: HttpRequest, *, q: str, filters, page: int, page_size: int):
    """search.api.search, with the listings without words (the newest items, by filter) kept
    while nothing changes: they are what feeds and other systems poll."""
    from gongkai.search import api as search_api
    from gongkai.search.tokens import clean

    def run():
        return search_api.search(q=q, filters=filters, page=page, page_size=page_size)

    if clean(q).strip():
        return run()
    key = f"newest:{sorted(filters.as_params().items())}:{page}:{page_size}"
    return memoize(request, key, run)
