"""Administration of the category tree (目录分类): add, rename, reorder, switch off. Global nodes
(条例 第二十条/第二十一条, the shared columns) are changed by someone holding
catalog.manage_categories on a top-level unit; a township's own columns by those holding it on
the township. Categories are never deleted: a used one must keep its items' history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.catalog import actions
from gongkai.catalog.forms import AliasForm, CategoryCreateForm, CategoryForm, add_action_errors
from gongkai.catalog.models import Category, CategoryKind, NameAlias

PERM = "catalog.manage_categories"


def _managed_units(user: Any):
    return permissions.units_for(user, PERM)


def _visible(user: Any) -> QuerySet[Category]:
    """The global nodes and the columns of the units the user manages."""
    return Category.objects.filter(Q(unit__isnull=True) | Q(unit__in=_managed_units(user)))


def _can_edit(user: Any, category: Category, edits_global: bool) -> bool:
    if category.unit is None:
        return edits_global
    return permissions.has_perm(user, PERM, category.unit)


def _edits_global(user: Any) -> bool:
    return _managed_units(user).filter(parent__isnull=True).exists()


def _require_manager(request: HttpRequest) -> None:
    if not permissions.has_any(request.user, PERM):
        raise PermissionDenied


def _rows(categories: list[Category]) -> list[tuple[Category, int]]:
    ids = {c.pk for c in categories}
    children: dict[int | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    rows: list[tuple[Category, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            rows.append((c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return rows


@login_required
@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    user = request.user
    edits_global = _edits_global(user)
    categories = list(_visible(user).select_related("unit").order_by("sort_order", "pk"))
    rows = [
        {"c": c, "depth": depth, "editable": _can_edit(user, c, edits_global)}
        for c, depth in _rows(categories)
    ]
    return render(
        request,
        "catalog/categories.html",
        {"rows": rows, "edits_global": edits_global, "section": "categories"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    user = request.user
    visible = _visible(user).filter(is_active=True)
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit() and len(parent_id) < 12:
        parent = visible.filter(pk=int(parent_id)).first()
        if parent is not None:
            unit = parent.unit
            if unit is None and not _edits_global(user):
                # A township adds its own column under a shared node.
                unit = _managed_units(user).filter(is_active=True).order_by("path").first()
            kind = parent.kind if unit is None else CategoryKind.COLUMN
            initial = {"parent": parent, "kind": kind, "unit": unit}
    form = CategoryCreateForm(request.POST or None, initial=initial, user=user, categories=visible)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if unit is None and not _edits_global(user):
            form.add_error("unit", _("只有市级管理员可以添加所有单位通用的分类，请选择所属单位。"))
        else:
            try:
                category = actions.category_create(
                    actor=user,
                    name=data["name"],
                    kind=data["kind"],
                    parent=data["parent"],
                    unit=unit,
                    sort_order=data["sort_order"],
                    description=data["description"],
                    retention=data["retention"],
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已添加分类“%(n)s”。") % {"n": category.name})
                return redirect("catalog:categories")
    return render(
        request,
        "catalog/category_form.html",
        {"form": form, "category": None, "section": "categories"},
        status=400 if form.is_bound else 200,
    )


def _editable_category(request: HttpRequest, pk: int) -> Category:
    _require_manager(request)
    category = get_object_or_404(_visible(request.user), pk=pk)
    if not _can_edit(request.user, category, _edits_global(request.user)):
        raise PermissionDenied
    return category


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = _editable_category(request, pk)
    initial = {
        "name": category.name,
        "description": category.description,
        "sort_order": category.sort_order,
        "is_active": category.is_active,
        "retention": category.retention,
    }
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.category_update(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("分类已保存。"))
            return redirect("catalog:categories")
    return render(
        request,
        "catalog/category_form.html",
        {"form": form, "category": category, "section": "categories"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def category_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a node one place up or down among its siblings of the same unit."""
    category = _editable_category(request, pk)
    direction = request.POST.get("direction")
    siblings = list(
        Category.objects.filter(parent=category.parent_id, unit=category.unit_id).order_by(
            "sort_order", "pk"
        )
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == category.pk)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else -1
    if not 0 <= other < len(siblings):
        return redirect("catalog:categories")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for position, node in enumerate(siblings, start=1):
            if node.sort_order != position * 10:
                actions.category_update(actor=request.user, category=node, sort_order=position * 10)
    return redirect("catalog:categories")


@login_required
@require_POST
def category_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    category = _editable_category(request, pk)
    actions.category_update(actor=request.user, category=category, is_active=not category.is_active)
    if category.is_active:
        messages.success(
            request,
            _("已停用“%(n)s”：新信息不能再选它，已有信息不受影响。") % {"n": category.name},
        )
    else:
        messages.success(request, _("已启用“%(n)s”。") % {"n": category.name})
    return redirect("catalog:categories")


@login_required
@require_http_methods(["GET", "POST"])
def alias_list(request: HttpRequest) -> HttpResponse:
    """The alias list imports match names against (旧网站的分类名 → 本系统的分类)."""
    _require_manager(request)
    edits_global = _edits_global(request.user)
    form = AliasForm(request.POST or None)
    if request.method == "POST":
        if not edits_global:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.alias_create(
                    actor=request.user, kind=data["kind"], name=data["name"], target=data["target"]
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已添加别名“%(n)s”。") % {"n": data["name"]})
                return redirect("catalog:aliases")
    aliases = NameAlias.objects.select_related("category", "genre", "topic")
    return render(
        request,
        "catalog/aliases.html",
        {"form": form, "aliases": aliases, "edits_global": edits_global, "section": "categories"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def alias_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    alias = get_object_or_404(NameAlias, pk=pk)
    actions.alias_delete(actor=request.user, alias=alias)
    messages.success(request, _("已删除别名“%(n)s”。") % {"n": alias.name})
    return redirect("catalog:aliases")
