"""State changes of units, users and roles. One transaction each, with an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts import permissions
from gongkai.accounts.models import Role, RoleAssignment, Unit, User
from gongkai.audit.log import record, snapshot

UNIT_FIELDS = [
    "code", "name", "short_name", "kind", "is_organ", "org_code", "index_template", "address",
    "postcode", "opening_hours", "phone", "fax", "email", "website", "sort_order", "is_active",
]


def _require_admin(actor: User | None, unit: Unit | None) -> None:
    """Administrators manage the units below them; only a system run (actor None) or a
    superuser may create a root unit."""
    if actor is None:
        return
    if unit is None:
        if not actor.is_superuser:
            raise permissions.PermissionDenied("only a superuser may create a top-level unit")
        return
    permissions.require(actor, "accounts.manage", unit)


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, **fields: Any) -> Unit:
    _require_admin(actor, parent)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit(parent=parent, **fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path"])
    record(actor=actor, action="accounts.unit_create", obj=unit, unit=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, parent: Unit | None = None,
                move: bool = False, **fields: Any) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin(actor, unit)
    before = snapshot(unit)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(unit, name, value)
    old_path = unit.path
    if move:
        if parent is not None and parent.path.startswith(unit.path):
            raise ValidationError({"parent": "不能把单位移到它自己或它的下级之下"})
        if actor is not None and parent is not None:
            permissions.require(actor, "accounts.manage", parent)
        unit.parent = parent
        _set_path(unit)
    unit.full_clean()
    unit.save()
    if unit.path != old_path:
        # Re-root the whole subtree in one pass; paths are prefixes of each other.
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    record(actor=actor, action="accounts.unit_update", obj=unit, unit=unit,
           before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def user_create(*, actor: User | None, unit: Unit | None, username: str, full_name: str = "",
                password: str | None = None, email: str = "", phone: str = "",
                is_superuser: bool = False) -> User:
    if actor is not None:
        if unit is None or is_superuser:
            if not actor.is_superuser:
                raise permissions.PermissionDenied("only a superuser may create this account")
        else:
            permissions.require(actor, "accounts.manage", unit)
    user = User(username=username, full_name=full_name, email=email, phone=phone,
                is_staff=is_superuser, is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(actor=actor, action="accounts.user_create", obj=user, unit=unit,
           after=snapshot(user, ["username", "full_name", "email", "phone", "is_superuser"]))
    return user


@transaction.atomic
def role_grant(*, actor: User | None, user: User, unit: Unit, role: str) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色 {role}"})
    if actor is not None:
        permissions.require(actor, "accounts.manage", unit)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(actor=actor, action="accounts.role_grant", obj=user, unit=unit,
               after={"user": user.username, "unit": unit.code, "role": role})
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    if actor is not None:
        permissions.require(actor, "accounts.manage", assignment.unit)
    before = {"user": assignment.user.username, "unit": assignment.unit.code, "role": assignment.role}
    user, unit = assignment.user, assignment.unit
    assignment.delete()
    record(actor=actor, action="accounts.role_revoke", obj=user, unit=unit, before=before)
