"""Public reads of the catalog in the JSON API (INTERFACES.md "HTTP API"):

GET /api/v1/items?q=&unit=&category=&genre=&validity=&year=&page=&page_size=
GET /api/v1/items/{index_number}   (the 索引号 as it is, slashes included, raw or percent-encoded)

Every parameter is taken as text and checked here, so a bad value is a 400 with a reason and
any `q` at all gives a 200 or a 400, never a 500."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from gongkai.catalog import queries as catalog
from gongkai.catalog.models import Item, ItemVersion
from gongkai.portal import caching, queries
from gongkai.portal.caching import public_cache
from gongkai.search import api as search_api
from gongkai.search.api import public_version
from gongkai.search.filters import BadFilter, parse_filters, parse_page
from gongkai.search.tokens import MAX_QUERY_CHARS, QueryTooLong, clean

router = Router(tags=["items"])

MAX_PAGE = 10_000


class PortalItemOut(Schema):
    index_number: str
    title: str
    summary: str
    unit: str
    unit_code: str
    published_date: str
    document_number: str
    validity: str
    url: str
    highlight: str


class PortalItemList(Schema):
    count: int
    count_is_estimate: bool
    results: list[PortalItemOut]


class Error(Schema):
    detail: str


class PortalLinkOut(Schema):
    index_number: str
    title: str
    url: str


class PortalAttachmentOut(Schema):
    name: str
    kind: str
    size: int
    sha256: str
    url: str


class PortalVersionOut(Schema):
    version: int
    published_date: str
    fingerprint: str


class ItemDetail(Schema):
    index_number: str
    title: str
    summary: str
    unit: str
    unit_code: str
    drafting_unit: str
    published_date: str
    updated_date: str
    formed_date: str
    document_number: str
    topic: str
    genre: str
    category: str
    category_code: str
    keywords: str
    disclosure: str
    scope: str
    validity: str
    validity_date: str | None
    validity_note: str
    replaced_by: PortalLinkOut | None
    body: str
    attachments: list[PortalAttachmentOut]
    interpretations: list[PortalLinkOut]
    interprets: list[PortalLinkOut]
    version: int
    fingerprint: str
    history: list[PortalVersionOut]
    url: str


def _date(moment: datetime.datetime | None) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def _interpretations(item: Item) -> list[Item]:
    # Most items link nothing: a look at the link table spares the catalog query.
    if not public_version(item).interpretations.exists():
        return []
    return catalog.public_interpretations(item)


def _interpreted(item: Item) -> list[Item]:
    if not ItemVersion.interpretations.through.objects.filter(item=item).exists():
        return []
    return catalog.interpreted_documents(item)


def _link(request: HttpRequest, item: Item) -> PortalLinkOut:
    return PortalLinkOut(
        index_number=item.index_number or "",
        title=public_version(item).title,
        url=request.build_absolute_uri(queries.item_url(item)),
    )


def _result(request: HttpRequest, hit: search_api.Hit) -> PortalItemOut:
    item, version = hit.item, public_version(hit.item)
    return PortalItemOut(
        index_number=item.index_number or "",
        title=version.title,
        summary=version.summary,
        unit=item.organ.name,
        unit_code=item.organ.code,
        published_date=_date(item.first_published_at),
        document_number=version.document_number,
        validity=str(item.get_validity_display()),
        url=request.build_absolute_uri(queries.item_url(item)),
        highlight=hit.highlight,
    )


@router.get(
    "/items",
    response={200: PortalItemList, 400: Error},
    summary="检索已主动公开的政府信息",
    description=(
        "q 为空时按发布日期列出最新信息；"
        "q 按中文分词检索名称、内容概述、正文、发文字号和附件文字，并精确匹配索引号和发文字号。"
        "unit 接受单位代码或全称；validity 为 有效、失效、废止、已修改；"
        "page_size 默认 20，最多 100。"
        "匹配超过 10000 条时 count 可能是估计值（count_is_estimate）。"
    ),
)
@decorate_view(public_cache)
def list_items(
    request: HttpRequest,
    q: str = "",
    unit: str = "",
    category: str = "",
    genre: str = "",
    validity: str = "",
    year: str = "",
    page: str = "",
    page_size: str = "",
):
    try:
        filters = parse_filters(
            unit=unit, category=category, genre=genre, validity=validity, year=year
        )
        page_number = parse_page(page, maximum=MAX_PAGE)
        # page_size: 20 unless given; a larger value than 100 is served as 100.
        size = (
            min(parse_page(page_size, name="page_size"), search_api.MAX_PAGE_SIZE)
            if clean(page_size).strip()
            else search_api.DEFAULT_PAGE_SIZE
        )
        results = caching.search(request, q=q, filters=filters, page=page_number, page_size=size)
    except BadFilter as bad:
        return Status(400, Error(detail=f"{bad.name}: {bad.message}"))
    except QueryTooLong:
        return Status(400, Error(detail=f"q: 搜索词过长，最多 {MAX_QUERY_CHARS} 个字"))
    return Status(
        200,
        PortalItemList(
            count=results.count,
            count_is_estimate=results.count_is_estimate,
            results=[_result(request, hit) for hit in results.hits],
        ),
    )


@router.get(
    "/items/{path:index_number}",
    response={200: ItemDetail, 404: Error},
    summary="按索引号读取一条已公开的政府信息（全部元数据）",
)
@decorate_view(public_cache)
def get_item(request: HttpRequest, index_number: str):
    item = catalog.item_by_index_number(clean(index_number)[:80])
    if item is None:
        raise HttpError(404, "没有这个索引号的公开信息")
    version = public_version(item)
    replacement = queries.replacement(item)
    return Status(
        200,
        ItemDetail(
            index_number=item.index_number or "",
            title=version.title,
            summary=version.summary,
            unit=item.organ.name,
            unit_code=item.organ.code,
            drafting_unit=item.unit.name,
            published_date=_date(item.first_published_at),
            updated_date=_date(version.published_at),
            formed_date=version.formed_date.isoformat(),
            document_number=version.document_number,
            topic=version.topic.name if version.topic else "",
            genre=version.genre.name if version.genre else "",
            category=version.category.name if version.category else "",
            category_code=version.category.code if version.category else "",
            keywords=version.keywords,
            disclosure=str(item.get_disclosure_display()),
            scope=str(version.get_scope_display()),
            validity=str(item.get_validity_display()),
            validity_date=item.validity_date.isoformat() if item.validity_date else None,
            validity_note=item.validity_note,
            replaced_by=_link(request, replacement) if replacement else None,
            body=version.body,
            attachments=[
                PortalAttachmentOut(
                    name=a.name,
                    kind=a.kind,
                    size=a.size,
                    sha256=a.sha256,
                    url=request.build_absolute_uri(queries.attachment_url(a)),
                )
                for a in queries.public_attachments(item)
            ],
            interpretations=[_link(request, i) for i in _interpretations(item)],
            interprets=[_link(request, i) for i in _interpreted(item)],
            version=version.number,
            fingerprint=version.fingerprint,
            history=[
                PortalVersionOut(
                    version=v.number,
                    published_date=_date(v.published_at),
                    fingerprint=v.fingerprint,
                )
                for v in catalog.published_history(item)
            ],
            url=request.build_absolute_uri(queries.item_url(item)),
        ),
    )
