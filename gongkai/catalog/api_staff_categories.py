"""Staff API of the catalog's classification: the category tree (目录分类, read and managed
with catalog.manage_categories, as on the category pages), genres (体裁) and topics (主题).
Part of gongkai.catalog.api_staff's router."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.api.auth import token_auth
from gongkai.catalog import actions, queries
from gongkai.catalog.api_staff_base import ERRORS, MAX_ID, Input, P, choice, run_action, valid
from gongkai.catalog.forms import AliasForm, CategoryForm
from gongkai.catalog.models import Category, CategoryKind, Genre, NameAlias, Topic

router = Router(tags=["catalog (staff)"], auth=token_auth)

MANAGE = "catalog.manage_categories"


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent: str | None
    unit: str | None
    unit_name: str | None
    depth: int
    sort_order: int
    description: str
    is_active: bool
    editable: bool
    retention: str
    retention_effective: str


class NamedOut(Schema):
    id: int
    code: str
    name: str
    is_active: bool


class CategoryFilter(Input):
    include_inactive: bool = False


class CategoryIn(Input):
    """`unit` empty: a node shared by every unit (only for someone managing a top-level unit);
    otherwise one of that unit's own columns. `parent` by code."""

    name: str
    kind: str = CategoryKind.COLUMN
    parent: str | None = None
    unit: str | None = None
    sort_order: int = 0
    description: str = ""
    retention: str = ""


class CategoryPatch(Input):
    name: str | None = None
    sort_order: int | None = None
    description: str | None = None
    is_active: bool | None = None
    retention: str | None = None


class AliasOut(Schema):
    id: int
    kind: str
    name: str
    target: str
    target_name: str


class AliasIn(Input):
    """`target`: the code or exact name of the category, genre or topic the alias stands for."""

    kind: str
    name: str
    target: str


def _ancestor_ids(units: QuerySet[Unit]) -> set[int]:
    ids: set[int] = set()
    for path in units.values_list("path", flat=True):
        ids.update(int(p) for p in path.strip("/").split("/") if p)
    return ids


def _categories(user: Any) -> QuerySet[Category]:
    """The shared nodes and the columns of the user's units and of the units above them."""
    ids = _ancestor_ids(permissions.units_for(user, "unit.view"))
    return Category.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids)).select_related(
        "parent", "unit"
    )


def _edits_global(user: Any) -> bool:
    return permissions.units_for(user, MANAGE).filter(parent__isnull=True).exists()


def _editable(user: Any, category: Category) -> bool:
    if category.unit is None:
        return _edits_global(user)
    return permissions.has_perm(user, MANAGE, category.unit)


def _category(user: Any, c: Category, depth: int = 0) -> dict[str, Any]:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "kind_label": str(c.get_kind_display()),
        "parent": c.parent.code if c.parent else None,
        "unit": c.unit.code if c.unit else None,
        "unit_name": c.unit.name if c.unit else None,
        "depth": depth,
        "sort_order": c.sort_order,
        "description": c.description,
        "is_active": c.is_active,
        "editable": _editable(user, c),
        "retention": c.retention,
        "retention_effective": c.effective_retention(),
    }


@router.get(f"{P}/categories", response={200: list[CategoryOut], **ERRORS}, summary="目录分类")
def category_list(request: HttpRequest, filters: Query[CategoryFilter]) -> list[dict[str, Any]]:
    """The tree in order (parents before children, `depth` from 0): what a draft may use."""
    rows = _categories(request.user)
    if not filters.include_inactive:
        rows = rows.filter(is_active=True)
    nodes = list(rows.order_by("sort_order", "pk"))
    ids = {c.pk for c in nodes}
    children: dict[int | None, list[Category]] = {}
    for c in nodes:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    out: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            out.append(_category(request.user, c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


@router.post(f"{P}/categories", response={201: CategoryOut, **ERRORS}, summary="新增目录分类")
def category_create(request: HttpRequest, body: CategoryIn) -> Status:
    user = request.user
    if not permissions.has_any(user, MANAGE):
        raise HttpError(403, _("没有权限进行这项操作。"))
    unit = None
    if body.unit:
        unit = queries.find_unit(body.unit[:200])
        if unit is None:
            raise HttpError(400, _("没有这个单位：%(u)s") % {"u": body.unit[:200]})
        if not permissions.has_perm(user, MANAGE, unit):
            raise HttpError(403, _("没有管理该单位目录分类的权限。"))
    elif not _edits_global(user):
        raise HttpError(400, _("只有市级管理员可以添加所有单位通用的分类，请填写所属单位。"))
    parent = None
    if body.parent:
        parent = _categories(user).filter(code=body.parent.strip()[:40], is_active=True).first()
        if parent is None:
            raise HttpError(400, _("没有这个上级分类：%(p)s") % {"p": body.parent[:40]})
    form = CategoryForm(
        {
            "name": body.name,
            "description": body.description,
            "sort_order": body.sort_order,
            "retention": body.retention,
        }
    )
    cleaned = valid(form)
    kind = choice(body.kind, CategoryKind.choices)
    category = run_action(
        actions.category_create,
        actor=user,
        name=cleaned["name"],
        kind=kind,
        parent=parent,
        unit=unit,
        sort_order=cleaned["sort_order"],
        description=cleaned["description"],
        retention=cleaned["retention"],
    )
    return Status(
        201, _category(user, Category.objects.select_related("parent", "unit").get(pk=category.pk))
    )


@router.patch(
    f"{P}/categories/{{category_id}}",
    response={200: CategoryOut, **ERRORS},
    summary="修改、排序、停用或启用目录分类",
)
def category_update(request: HttpRequest, category_id: int, body: CategoryPatch) -> dict[str, Any]:
    """Categories are never deleted (a used one keeps its items' history): switch them off."""
    user = request.user
    category = (
        _categories(user).filter(pk=category_id).first() if 0 < category_id <= MAX_ID else None
    )
    if category is None:
        raise HttpError(404, _("没有这个目录分类。"))
    if not _editable(user, category):
        raise HttpError(403, _("没有权限进行这项操作。"))
    sent = body.dict(exclude_unset=True)
    current = {
        "name": category.name,
        "description": category.description,
        "sort_order": category.sort_order,
        "is_active": category.is_active,
        "retention": category.retention,
    }
    data = {**current, **{k: v for k, v in sent.items() if v is not None}}
    cleaned = valid(CategoryForm(data))
    run_action(
        actions.category_update,
        actor=user,
        category=category,
        **{k: cleaned[k] for k in current if k in sent},
    )
    return _category(user, Category.objects.select_related("parent", "unit").get(pk=category.pk))


@router.get(f"{P}/genres", response={200: list[NamedOut], **ERRORS}, summary="体裁分类")
def genre_list(request: HttpRequest) -> list[Any]:
    return list(
        Genre.objects.order_by("sort_order", "pk").values("id", "code", "name", "is_active")
    )


@router.get(f"{P}/topics", response={200: list[NamedOut], **ERRORS}, summary="主题分类")
def topic_list(request: HttpRequest) -> list[Any]:
    return list(
        Topic.objects.order_by("sort_order", "pk").values("id", "code", "name", "is_active")
    )


def _alias(alias: NameAlias) -> dict[str, Any]:
    target = alias.target
    return {
        "id": alias.pk,
        "kind": alias.kind,
        "name": alias.name,
        "target": target.code,
        "target_name": target.name,
    }


@router.get(f"{P}/aliases", response={200: list[AliasOut], **ERRORS}, summary="分类别名")
def alias_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Other names of categories, genres and topics that imports match (after code and name)."""
    aliases = NameAlias.objects.select_related("category", "genre", "topic")
    return [_alias(a) for a in aliases]


@router.post(f"{P}/aliases", response={201: AliasOut, **ERRORS}, summary="新增分类别名")
def alias_create(request: HttpRequest, body: AliasIn) -> Status:
    form = AliasForm({"kind": body.kind, "name": body.name, "target": body.target})
    cleaned = valid(form)
    alias = run_action(
        actions.alias_create,
        actor=request.user,
        kind=cleaned["kind"],
        name=cleaned["name"],
        target=cleaned["target"],
    )
    return Status(201, _alias(alias))


@router.delete(f"{P}/aliases/{{alias_id}}", response={204: None, **ERRORS}, summary="删除分类别名")
def alias_delete(request: HttpRequest, alias_id: int) -> Status:
    alias = NameAlias.objects.filter(pk=alias_id).first() if 0 < alias_id <= MAX_ID else None
    if alias is None:
        raise HttpError(404, _("没有这个别名。"))
    run_action(actions.alias_delete, actor=request.user, alias=alias)
    return Status(204, None)
