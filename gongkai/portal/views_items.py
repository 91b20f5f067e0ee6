"""The public item page (with its print view and attachment downloads) and the search page."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from gongkai.catalog import queries as catalog
from gongkai.catalog.models import Category, Genre, ItemVersion, Validity
from gongkai.portal import caching, queries
from gongkai.portal.caching import memoize, public_cache
from gongkai.portal.pagecache import CITY, UNITS, cached_page, item_tag
from gongkai.search import api as search_api
from gongkai.search.api import public_version
from gongkai.search.filters import BadFilter, parse_filters, parse_page
from gongkai.search.tokens import MAX_QUERY_CHARS, QueryTooLong, clean

SEARCH_PAGE_SIZE = 20
MAX_SEARCH_PAGE = 500


class Gone(Exception):
    """The item was public under this 索引号 and is no longer (410, not 404)."""

    def __init__(self, item, title: str) -> None:
        super().__init__(item.index_number)
        self.item, self.title = item, title


def _number(index_number: str) -> str:
    return clean(index_number)[:80]


def _item_tags(request: HttpRequest, index_number: str) -> list[str]:
    return [UNITS, item_tag(_number(index_number))]


def _search_tags(request: HttpRequest) -> list[str] | None:
    """Only the listings without words are kept (what feeds and other systems poll)."""
    return None if clean(request.GET.get("q", "")).strip() else [CITY, UNITS]


def _public_item(index_number: str):
    number = _number(index_number)
    item = catalog.item_by_index_number(number)
    if item is None:
        gone = catalog.gone_item(number)
        if gone is not None:
            raise Gone(*gone)
        raise Http404("no such public item")
    return item


def _gone(request: HttpRequest, gone: Gone) -> HttpResponse:
    """The neutral "该信息已不再公开" page: the 索引号 the visitor followed, the title only after
    an ordinary withdrawal, nothing that says why."""
    response = render(
        request,
        "portal/gone.html",
        {"index_number": gone.item.index_number, "title": gone.title, "unit": gone.item.organ},
        status=410,
    )
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _item_context(item) -> dict:
    version = public_version(item)
    replacement = queries.replacement(item)
    return {
        "item": item,
        "version": version,
        "unit": item.organ,
        "attachments": queries.public_attachments(item),
        # Most items link nothing: a look at the link table spares the two catalog queries.
        "interpretations": catalog.public_interpretations(item)
        if version.interpretations.exists()
        else [],
        "interpreted": catalog.interpreted_documents(item)
        if ItemVersion.interpretations.through.objects.filter(item=item).exists()
        else [],
        "replacement": replacement,
        "history": catalog.published_history(item),
        "is_valid": item.validity == Validity.VALID,
    }


@require_safe
@cached_page(_item_tags, revalidate=True)
@public_cache(revalidate=True)
def item(request: HttpRequest, index_number: str) -> HttpResponse:
    try:
        return render(request, "portal/item.html", _item_context(_public_item(index_number)))
    except Gone as gone:
        return _gone(request, gone)


@require_safe
@cached_page(_item_tags, revalidate=True)
@public_cache(revalidate=True)
def item_print(request: HttpRequest, index_number: str) -> HttpResponse:
    try:
        context = _item_context(_public_item(index_number))
    except Gone as gone:
        return _gone(request, gone)
    return render(request, "portal/item_print.html", context)


def _attachment_or_404(pk: int):
    attachment = queries.public_attachment(pk)
    if attachment is None:
        raise Http404("no such public attachment")
    return attachment


def _attachment_etag(request: HttpRequest, pk: int) -> str | None:
    attachment = queries.public_attachment(pk)
    return f'"{attachment.sha256}"' if attachment else None


@require_safe
@condition(etag_func=_attachment_etag)
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a public item's public version, under its original name (RFC 5987 for Chinese
    names). Files of withdrawn, 涉密 or superseded versions are not found."""
    found = _attachment_or_404(pk)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("file missing from storage") from exc
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=found.name, content_type=content_type
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


def _choices(request: HttpRequest) -> dict:
    return {
        "organs": queries.organs(),
        "categories": Category.objects.filter(is_active=True, unit__isnull=True).order_by(
            "sort_order", "pk"
        ),
        "genres": Genre.objects.filter(is_active=True),
        "years": memoize(request, "years:all", search_api.years),
        "validities": Validity.choices,
    }


@require_safe
@cached_page(_search_tags)
@public_cache
def search(request: HttpRequest) -> HttpResponse:
    """全文检索: words of the title, summary, body, 发文字号 and attachments; exact 索引号 and
    发文字号; filters by unit, category, genre, year and validity."""
    params = {
        name: request.GET.get(name, "")
        for name in ("q", "unit", "category", "genre", "year", "validity")
    }
    q = clean(params["q"]).strip()
    context = {
        "q": q[: MAX_QUERY_CHARS * 2],
        "params": {k: clean(v)[:100] for k, v in params.items() if k != "q"},
        "max_query_chars": MAX_QUERY_CHARS,
        **_choices(request),
    }
    status = 200
    try:
        filters = parse_filters(**{k: v for k, v in params.items() if k != "q"})
        page = parse_page(request.GET.get("page"), maximum=MAX_SEARCH_PAGE)
        results = caching.search(
            request, q=q, filters=filters, page=page, page_size=SEARCH_PAGE_SIZE
        )
    except BadFilter as bad:
        context["error"], status = bad.message, 400
    except QueryTooLong:
        context["error"] = _("搜索词过长：最多 %(n)s 个字，请缩短后再搜索。") % {
            "n": MAX_QUERY_CHARS
        }
        status = 400
    else:
        base = {"q": q, **filters.as_params()}
        context.update(
            {
                "results": results,
                "filters": filters,
                "unit": filters.unit if filters.unit and filters.unit.is_organ else None,
                "query": urlencode({k: v for k, v in base.items() if v}),
            }
        )
    return render(request, "portal/search.html", context, status=status)
