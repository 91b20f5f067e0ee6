"""Who may do what, where. The one place permission rules live; pages, API and commands ask here.

A role held on a unit covers that unit and every unit below it (DOMAIN.md §1), so the township
office reviews its stations' drafts while a sibling township sees nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

__all__ = [
    "PERMISSIONS",
    "PermissionDenied",
    "has_any",
    "has_perm",
    "require",
    "roles_of",
    "units_for",
]
from django.db.models import Q

from gongkai.accounts.models import Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gongkai.accounts.models import User

# Permission name -> the roles that grant it. Add new permissions here, nowhere else.
PERMISSIONS: dict[str, frozenset[str]] = {
    # see drafts, applications and every staff page of a unit
    "unit.view": frozenset(Role.values),
    "catalog.draft": frozenset({Role.DRAFTER}),
    "catalog.secrecy_review": frozenset({Role.SECRECY_REVIEWER}),
    "catalog.office_review": frozenset({Role.OFFICE_REVIEWER, Role.OFFICE_HEAD}),
    "catalog.sign_off": frozenset({Role.LEADER}),
    # 紧急撤回 of a published item (personal data, secrets found after publication)
    "catalog.take_down": frozenset({Role.OFFICE_HEAD, Role.SECRECY_REVIEWER, Role.LEADER}),
    "catalog.manage_categories": frozenset({Role.ADMIN, Role.OFFICE_HEAD}),
    "applications.register": frozenset({Role.DRAFTER, Role.OFFICE_REVIEWER, Role.OFFICE_HEAD}),
    "applications.handle": frozenset({Role.DRAFTER, Role.OFFICE_REVIEWER, Role.OFFICE_HEAD}),
    "applications.approve_extension": frozenset({Role.OFFICE_HEAD}),
    "applications.sign_off": frozenset({Role.LEADER}),
    "applications.configure": frozenset({Role.ADMIN, Role.OFFICE_HEAD}),
    # see an applicant's identity number in full (pages show it masked); each look is audited
    "applications.reveal_identity": frozenset({Role.OFFICE_REVIEWER, Role.OFFICE_HEAD}),
    "interaction.handle": frozenset(
        {Role.DRAFTER, Role.OFFICE_REVIEWER, Role.OFFICE_HEAD, Role.LEADER}
    ),
    "interaction.approve_publication": frozenset({Role.LEADER}),
    "interaction.configure": frozenset({Role.ADMIN, Role.OFFICE_HEAD}),
    "reports.edit": frozenset({Role.OFFICE_REVIEWER, Role.OFFICE_HEAD}),
    "reports.finalise": frozenset({Role.OFFICE_HEAD}),
    "audit.view": frozenset({Role.ADMIN, Role.OFFICE_HEAD}),
    # hand a year's published information and concluded applications over to the archive
    "archives.transfer": frozenset({Role.ADMIN, Role.OFFICE_HEAD}),
    "accounts.manage": frozenset({Role.ADMIN}),
    "workdays.manage": frozenset({Role.ADMIN}),
    # website self-inspection (gongkai.inspection): see results; keep the lists (on the city);
    # report probe visits through the API
    "inspection.view": frozenset({Role.OFFICE_REVIEWER, Role.OFFICE_HEAD, Role.LEADER, Role.ADMIN}),
    "inspection.configure": frozenset({Role.ADMIN}),
    "inspection.probe": frozenset({Role.ADMIN}),
}


def _check_perm_name(perm: str) -> frozenset[str]:
    try:
        return PERMISSIONS[perm]
    except KeyError:
        raise ValueError(f"unknown permission {perm!r}") from None


def _assignments(user: User | AnonymousUser, perm: str):
    roles = _check_perm_name(perm)
    if not user.is_authenticated or not user.is_active:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user, role__in=roles, unit__is_active=True)


def units_for(user: User | AnonymousUser, perm: str):
    """Every unit on which `user` holds `perm`: the units of their roles and all below them."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        _check_perm_name(perm)
        return Unit.objects.all()
    paths = list(_assignments(user, perm).values_list("unit__path", flat=True))
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in set(paths):
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def has_perm(user: User | AnonymousUser, perm: str, unit: Unit) -> bool:
    """Does `user` hold `perm` on `unit` (through a role on it or on a unit above it)?"""
    if not user.is_authenticated or not user.is_active:
        _check_perm_name(perm)
        return False
    if user.is_superuser:
        _check_perm_name(perm)
        return True
    ancestor_ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    return _assignments(user, perm).filter(unit_id__in=ancestor_ids).exists()


def has_any(user: User | AnonymousUser, perm: str) -> bool:
    """Does `user` hold `perm` anywhere (to decide whether to show a menu entry)?"""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return _assignments(user, perm).exists()


def require(user: User | AnonymousUser, perm: str, unit: Unit) -> None:
    """Raise PermissionDenied unless `user` holds `perm` on `unit`. Actions call this first."""
    if not has_perm(user, perm, unit):
        raise PermissionDenied(
            f"{getattr(user, 'username', 'anonymous')} lacks {perm} on {unit.code}"
        )


def roles_of(user: User) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__path")
    )
