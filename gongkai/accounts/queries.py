"""Reads for the administration pages: what an administrator may see of units and people."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit, User


def managed_units(actor: User) -> QuerySet[Unit]:
    """The units `actor` administers: those of their admin roles and everything below."""
    return permissions.units_for(actor, "accounts.manage")


def visible_users(actor: User) -> QuerySet[User]:
    """Accounts an administrator sees: those belonging to, or holding a role in, a unit they
    manage. A sibling township's people never appear."""
    if actor.is_authenticated and actor.is_active and actor.is_superuser:
        return User.objects.all()
    units = managed_units(actor)
    ids = User.objects.filter(Q(unit__in=units) | Q(roles__unit__in=units)).values("pk")
    return User.objects.filter(pk__in=ids)


@dataclass
class TreeRow:
    unit: Unit
    depth: int


def unit_tree(units: QuerySet[Unit] | list[Unit]) -> list[TreeRow]:
    """The units as an indented tree: each parent before its children, siblings by sort order
    then name. A unit whose parent is not in `units` starts a tree of its own at depth 0."""
    units = list(units)
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent_id = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent_id, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.sort_order, u.name))
    rows: list[TreeRow] = []
    stack: list[tuple[Unit, int]] = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        rows.append(TreeRow(unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(unit.pk, [])))
    return rows
