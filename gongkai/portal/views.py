"""The public portal: the home pages of the city and of each organ, the 政府信息公开 column in its
four parts (指南 / 制度 / 法定主动公开内容 / 年报) and the city's 区办镇信息目录. Thin views over
gongkai.portal.queries; every page is cacheable for anonymous visitors (portal.caching)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from gongkai.accounts.models import Unit
from gongkai.catalog import queries as catalog
from gongkai.portal import queries
from gongkai.portal.caching import memoize, public_cache
from gongkai.portal.models import Page
from gongkai.portal.pagecache import CITY, UNITS, cached_page, unit_tag
from gongkai.search import api as search_api
from gongkai.search.filters import BadFilter, parse_page

LIST_PAGE_SIZE = 20


# What each page shows, for the page cache (portal.pagecache): the city-wide lists, or one
# kind of content of the unit in the address, and always the units' own data.
def _city(request: HttpRequest, *args, **kwargs) -> list[str]:
    return [CITY, UNITS]


def _of_unit(*kinds: str):
    def tags(request: HttpRequest, code: str, *args, **kwargs) -> list[str]:
        return [UNITS, *(unit_tag(code, kind) for kind in kinds)]

    return tags


def _column(unit: Unit, part: str) -> dict:
    root = queries.site_root()
    return {"unit": unit, "part": part, "is_root": root is not None and root.pk == unit.pk}


def _home(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    root = queries.site_root()
    is_root = unit is None or (root is not None and unit.pk == root.pk)
    unit = unit or root
    context = {
        "unit": unit,
        "is_root": is_root,
        # The city's home shows what every organ publishes; a township's only its own.
        "latest": memoize(
            request,
            f"latest:{unit.pk if unit else 0}:{is_root}",
            lambda: queries.latest(unit, 10, include_below=is_root) if unit else [],
        ),
        "notices": memoize(
            request,
            f"notices:{unit.pk if unit else 0}:{is_root}",
            lambda: queries.notices(unit, 6, include_below=is_root) if unit else [],
        ),
        "directory": memoize(request, "directory", queries.directory) if is_root else [],
        "links": {
            "interaction": queries.url_or_none("interaction:index"),
            "mailbox": queries.url_or_none("interaction:mailbox_write", unit.code)
            if unit
            else None,
            "apply": queries.url_or_none("applications_public:apply", unit.code) if unit else None,
        },
    }
    return render(request, "portal/home.html", context)


@require_safe
@cached_page(_city)
@public_cache
def home(request: HttpRequest) -> HttpResponse:
    return _home(request, None)


@require_safe
@cached_page(_of_unit("items"))
@public_cache
def unit_home(request: HttpRequest, code: str) -> HttpResponse:
    return _home(request, queries.organ_or_404(code))


@require_safe
@cached_page(_of_unit("column"))
@public_cache
def guide(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开指南: the 条例12 elements from the unit's data, with the office's own text."""
    unit = queries.organ_or_404(code)
    context = _column(unit, "guide")
    context.update(
        {
            "guide": queries.guide(unit),
            "tree": memoize(
                request,
                f"tree-plain:{unit.pk}",
                lambda: catalog.category_tree(unit, with_counts=False),
            ),
            "remedy": queries.remedy_bodies(unit),
            "apply_url": queries.url_or_none("applications_public:apply", unit.code),
            "site_url": settings.SITE_URL,
        }
    )
    return render(request, "portal/guide.html", context)


@require_safe
@cached_page(_of_unit("column"))
@public_cache
def rules(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开制度: the office's pages."""
    unit = queries.organ_or_404(code)
    context = _column(unit, "rules")
    context["pages"] = queries.pages(unit)
    return render(request, "portal/rules.html", context)


@require_safe
@cached_page(_of_unit("column"))
@public_cache
def rule(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = queries.organ_or_404(code)
    page = get_object_or_404(Page, pk=pk, unit=unit)
    context = _column(unit, "rules")
    context.update({"page": page, "pages": queries.pages(unit)})
    return render(request, "portal/rule.html", context)


@require_safe
@cached_page(_of_unit("items"))
@public_cache
def catalog_view(request: HttpRequest, code: str) -> HttpResponse:
    """法定主动公开内容: the category tree with counts; a category and/or year lists its items."""
    unit = queries.organ_or_404(code)
    context = _column(unit, "catalog")
    category = None
    code_param = request.GET.get("category", "")[:40]
    if code_param:
        category = queries.category_or_404(code_param)
    year = None
    year_param = request.GET.get("year", "")[:4]
    years = memoize(request, f"years:{unit.pk}", lambda: search_api.years(unit.pk))
    if year_param.isdigit() and int(year_param) in years:
        year = int(year_param)
    status = 200
    try:
        page_number = parse_page(request.GET.get("page"))
    except BadFilter as bad:
        context["error"] = bad.message
        page_number, status = 1, 400
    items = queries.public_items(unit)
    if category is not None:
        items = items.filter(published_version__category_id__in=catalog.descendant_ids(category))
    if year is not None:
        items = items.filter(first_published_at__year=year)
    listing = category is not None or year is not None
    page_obj = Paginator(items, LIST_PAGE_SIZE).get_page(page_number) if listing else None
    params = {k: v for k, v in {"category": code_param, "year": year or ""}.items() if v}
    context.update(
        {
            "tree": memoize(
                request,
                f"tree:{unit.pk}",
                lambda: catalog.category_tree(unit, counts=search_api.category_counts(unit.pk)),
            ),
            "category": category,
            "year": year,
            "years": years,
            "page_obj": page_obj,
            "query": urlencode(params),
            "total": None
            if listing
            else memoize(request, f"total:{unit.pk}", lambda: search_api.organ_total(unit.pk)),
        }
    )
    return render(request, "portal/catalog.html", context, status=status)


@require_safe
@cached_page(_of_unit("reports"))
@public_cache
def reports(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开年报."""
    unit = queries.organ_or_404(code)
    context = _column(unit, "reports")
    context["reports"] = queries.annual_reports(unit)
    return render(request, "portal/reports.html", context)


@require_safe
@cached_page(_city)
@public_cache
def directory(request: HttpRequest) -> HttpResponse:
    """区办镇信息目录: every organ, each with its catalog."""
    entries = memoize(request, "directory", queries.directory)
    return render(request, "portal/directory.html", {"directory": entries, "unit": None})


@require_safe
def language(request: HttpRequest) -> HttpResponse:
    """Switch the language from a public page. A GET, so public pages carry no CSRF token and
    can be cached; choosing a language changes nothing but the visitor's own cookie."""
    code = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        translation.activate(code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite="Lax",
        )
    return response


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("portal:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /api/",
        "Disallow: /yuyan/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
