"""Edits of the category tree (目录分类). The seeded global nodes (条例 第二十条/第二十一条, the
website columns, the city platform index) are edited by administrators holding
`catalog.manage_categories` on a top-level unit; a unit's own columns by those holding it on
that unit. Categories are never deleted once used: they are switched off (`is_active`).
Re-exported by `gongkai.catalog.actions`."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.audit.log import record, snapshot
from gongkai.catalog.models import AliasKind, Category, CategoryKind, Genre, NameAlias, Topic

PERM = "catalog.manage_categories"
EDITABLE = ("name", "sort_order", "description", "is_active", "retention")


def _require(actor: Any, unit: Unit | None) -> None:
    if actor is None:
        return
    if unit is not None:
        permissions.require(actor, PERM, unit)
        return
    # A global node concerns every organ: only someone covering a top-level unit may change it.
    if not permissions.units_for(actor, PERM).filter(parent__isnull=True).exists():
        raise permissions.PermissionDenied(f"{actor} may not edit global categories")


def _check_parent(
    parent: Category | None, unit: Unit | None, kind: str, category: Category | None = None
) -> None:
    if kind == CategoryKind.STATUTORY and unit is not None:
        raise ValidationError(
            {"kind": _("法定主动公开内容分类是所有单位通用的，不能属于某个单位。")}
        )
    if parent is None:
        return
    if parent.unit is not None and (unit is None or not unit.is_within(parent.unit)):
        raise ValidationError({"parent": _("上级分类属于其他单位。")})
    node: Category | None = parent
    while node is not None and category is not None:
        if node.pk == category.pk:
            raise ValidationError({"parent": _("不能把分类移到它自己或它的下级之下。")})
        node = node.parent


@transaction.atomic
def category_create(
    *,
    actor: Any,
    name: str,
    kind: str = CategoryKind.COLUMN,
    parent: Category | None = None,
    unit: Unit | None = None,
    code: str = "",
    sort_order: int = 0,
    description: str = "",
    retention: str = "",
) -> Category:
    """A new node: global when `unit` is None, otherwise one of the unit's own columns."""
    _require(actor, unit)
    if kind not in CategoryKind.values:
        raise ValidationError({"kind": _("请选择分类类型。")})
    _check_parent(parent, unit, kind)
    code = code.strip() or f"{unit.code if unit else 'c'}-{uuid.uuid4().hex[:8]}"
    category = Category(
        name=" ".join(name.split()),
        kind=kind,
        parent=parent,
        unit=unit,
        code=code,
        sort_order=sort_order,
        description=description.strip(),
        retention=retention,
    )
    category.full_clean()
    category.save()
    record(
        actor=actor,
        action="catalog.category_create",
        obj=category,
        unit=unit,
        after=snapshot(category),
    )
    return category


@transaction.atomic
def category_update(
    *,
    actor: Any,
    category: Category,
    parent: Category | None = None,
    move: bool = False,
    **fields: Any,
) -> Category:
    """Rename, reorder, describe, switch on/off, or (`move=True`) re-parent a node."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    _require(actor, category.unit)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    before = snapshot(category)
    for name, value in fields.items():
        setattr(category, name, " ".join(value.split()) if name == "name" else value)
    if move:
        _check_parent(parent, category.unit, category.kind, category)
        category.parent = parent
    category.full_clean()
    category.save()
    record(
        actor=actor,
        action="catalog.category_update",
        obj=category,
        unit=category.unit,
        before=before,
        after=snapshot(category),
    )
    return category


# --------------------------------------------------------------------- aliases (别名)


@transaction.atomic
def alias_create(*, actor: Any, kind: str, name: str, target: Any) -> NameAlias:
    """Another name for a category, genre or topic, used by imports (`gongkai.catalog.names`).
    The list is shared by every unit: only an administrator of global categories edits it."""
    _require(actor, None)
    name = " ".join(str(name or "").split())
    if kind not in AliasKind.values:
        raise ValidationError({"kind": _("请选择别名的类型。")})
    if not name:
        raise ValidationError({"name": _("请填写别名。")})
    expected = {AliasKind.CATEGORY: Category, AliasKind.GENRE: Genre, AliasKind.TOPIC: Topic}
    if not isinstance(target, expected[kind]):
        raise ValidationError({"target": _("请选择别名指向的分类。")})
    if NameAlias.objects.filter(kind=kind, name=name).exists():
        raise ValidationError({"name": _("别名“%(name)s”已经存在。") % {"name": name}})
    alias = NameAlias(kind=kind, name=name, **{kind: target})
    alias.full_clean()
    alias.save()
    record(
        actor=actor,
        action="catalog.alias_create",
        obj=alias,
        after={"kind": kind, "name": name, "target": target.code},
    )
    return alias


@transaction.atomic
def alias_delete(*, actor: Any, alias: NameAlias) -> None:
    _require(actor, None)
    before = {"kind": alias.kind, "name": alias.name, "target": alias.target.code}
    record(actor=actor, action="catalog.alias_delete", obj=alias, before=before)
    alias.delete()
