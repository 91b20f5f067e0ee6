"""State changes of units, users, roles and API tokens. One transaction each, with an audit row.

`actor=None` means a system run (the demo loader, the test factories, the operator's command line);
every other call checks the actor's permission first. Sign-in and sign-out live in `signin.py`.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import (
    WRITE_AREAS,
    ApiToken,
    LoginFailure,
    Role,
    RoleAssignment,
    TokenScope,
    Unit,
    User,
)
from gongkai.audit.log import record, snapshot
from gongkai.lib import codes

UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "is_organ",
    "org_code",
    "index_template",
    "address",
    "postcode",
    "opening_hours",
    "phone",
    "fax",
    "email",
    "website",
    "sort_order",
    "is_active",
]
USER_FIELDS = ["full_name", "email", "phone"]
USER_AUDIT_FIELDS = ["username", "full_name", "email", "phone", "unit", "is_active", "is_superuser"]
TOKEN_PREFIX = "gk_"  # noqa: S105 - marks a string as ours in logs and scanners, not a secret


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


def account_units(user: User) -> list[Unit]:
    """The units an account belongs to: its home unit and the units of its roles."""
    units = {ra.unit_id: ra.unit for ra in user.roles.select_related("unit")}
    if user.unit_id is not None and user.unit is not None:
        units[user.unit_id] = user.unit
    return list(units.values())


def can_manage_account(actor: User, user: User) -> bool:
    """May `actor` change `user`'s name, password or status? Only when every unit the account
    belongs to is within the actor's administration: otherwise a township administrator could take
    over an account that also works for another township, or for the city."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    units = account_units(user)
    return bool(units) and all(permissions.has_perm(actor, "accounts.manage", u) for u in units)


def _require_account_admin(actor: User | None, user: User) -> None:
    if actor is not None and not can_manage_account(actor, user):
        raise permissions.PermissionDenied(f"{actor.username} may not manage {user.username}")


def home_unit(user: User) -> Unit | None:
    """The unit an account's audit rows are filed under, so that unit's auditors see them."""
    if user.unit_id is not None:
        return user.unit
    first = user.roles.select_related("unit").order_by("unit__path").first()
    return first.unit if first else None


# Units ---------------------------------------------------------------------------------------


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent is not None else "/"
    unit.path = f"{parent_path}{unit.pk}/"


def _check_unit(unit: Unit, previous_org_code: str = "") -> None:
    """Rules beyond the model's: a newly entered organisation code must pass its check character
    (one carried over from an older system stays until someone changes it), and an organ's
    索引号 template must produce distinct numbers."""
    org_code = codes.normalise(unit.org_code)
    if org_code and org_code != codes.normalise(previous_org_code):
        try:
            unit.org_code = codes.validate_organ_code(org_code)
        except ValidationError as exc:
            raise ValidationError({"org_code": exc.messages}) from exc
    if unit.is_organ or unit.index_template:
        try:
            unit.index_template = codes.validate_index_template(unit.index_template)
        except ValidationError as exc:
            raise ValidationError({"index_template": exc.messages}) from exc
    if unit.is_organ and not unit.org_code.strip():
        raise ValidationError({"org_code": _("行政机关必须填写组织机构代码或统一社会信用代码。")})


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, **fields: Any) -> Unit:
    _require_admin(actor, parent)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit(parent=parent, **fields)
    _check_unit(unit)
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path"])
    record(actor=actor, action="accounts.unit_create", obj=unit, unit=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: User | None,
    unit: Unit,
    parent: Unit | None = None,
    move: bool = False,
    **fields: Any,
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin(actor, unit)
    before = snapshot(unit)
    previous_org_code = unit.org_code
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(unit, name, value)
    old_path = unit.path
    if move and parent != unit.parent:
        if parent is not None and parent.path.startswith(unit.path):
            raise ValidationError({"parent": _("不能把单位移到它自己或它的下级之下。")})
        # Moving to the top, or under a unit the actor does not manage, would take the unit
        # out of the actor's reach (or into someone else's).
        _require_admin(actor, parent)
        unit.parent = parent
        _set_path(unit)
    _check_unit(unit, previous_org_code)
    unit.full_clean()
    unit.save()
    if unit.path != old_path:
        # Re-root the whole subtree; paths are prefixes of each other.
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    record(
        actor=actor,
        action="accounts.unit_update",
        obj=unit,
        unit=unit,
        before=before,
        after=snapshot(unit),
    )
    return unit


# Users ---------------------------------------------------------------------------------------


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    unit: Unit | None,
    username: str,
    full_name: str = "",
    password: str | None = None,
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
    role: str | None = None,
) -> User:
    """Create an account belonging to `unit`, optionally with a first role there. A person
    setting the password must meet the password rules; system runs (demo, tests) need not."""
    if actor is not None:
        if unit is None or is_superuser:
            if not actor.is_superuser:
                raise permissions.PermissionDenied("only a superuser may create this account")
        else:
            permissions.require(actor, "accounts.manage", unit)
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        unit=unit,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    user.full_clean(exclude=["password"])
    if User.objects.filter(username__iexact=user.username).exists():
        # Sign-in failures are counted without regard to case, and people misremember case.
        raise ValidationError({"username": _("已有用户名相同（不区分大小写）的账号。")})
    if password:
        if actor is not None:
            _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        actor=actor,
        action="accounts.user_create",
        obj=user,
        unit=unit,
        after=snapshot(user, USER_AUDIT_FIELDS),
    )
    if role:
        if unit is None:
            raise ValidationError({"role": _("授予角色需要先选择所属单位。")})
        role_grant(actor=actor, user=user, unit=unit, role=role)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    unit: Unit | None = None,
    move: bool = False,
    is_active: bool | None = None,
    **fields: Any,
) -> User:
    """Change an account's name and contact data, its home unit (`move=True`) and whether it
    may sign in (`is_active`)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_account_admin(actor, user)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    before = snapshot(user, USER_AUDIT_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    if move and unit != user.unit:
        if actor is not None and not actor.is_superuser:
            if unit is None:
                raise ValidationError({"unit": _("请选择所属单位。")})
            permissions.require(actor, "accounts.manage", unit)
        user.unit = unit
    if is_active is not None and is_active != user.is_active:
        if not is_active:
            _check_not_self(actor, user, _("不能停用自己的账号。"))
            _revoke_tokens(user)
        user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    after = snapshot(user, USER_AUDIT_FIELDS)
    if after != before:
        action = "accounts.user_update"
        if before["is_active"] != after["is_active"]:
            action = "accounts.user_activate" if user.is_active else "accounts.user_deactivate"
        record(
            actor=actor, action=action, obj=user, unit=home_unit(user), before=before, after=after
        )
    return user


def _check_not_self(actor: User | None, user: User, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(message)


def _revoke_tokens(user: User, reason: str = "deactivated") -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def user_deactivate(*, actor: User | None, user: User) -> User:
    """Stop an account from signing in or using its API tokens (its history stays)."""
    return user_update(actor=actor, user=user, is_active=False)


def user_activate(*, actor: User | None, user: User) -> User:
    return user_update(actor=actor, user=user, is_active=True)


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """An administrator sets a new password (the user's other sessions end with it)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_account_admin(actor, user)
    if actor is not None:
        _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    # A reset is how a locked-out clerk gets back in: clear the account's failures too.
    LoginFailure.objects.filter(username=login_key(user.username)).delete()
    ended = _revoke_tokens(user, "password")
    record(
        actor=actor,
        action="accounts.user_set_password",
        obj=user,
        unit=home_unit(user),
        note=f"{ended} API tokens ended" if ended else "",
    )
    return user


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """A user changes their own password; the old one must be right and the new one must meet
    the password rules."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"password": _("新密码不能与原密码相同。")})
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # Whoever learnt the old password may have made tokens with it: they end too.
    ended = _revoke_tokens(user, "password")
    record(
        actor=user,
        action="accounts.password_change",
        obj=user,
        unit=home_unit(user),
        note=f"{ended} API tokens ended" if ended else "",
    )
    return user


def login_key(username: str) -> str:
    """How failures are counted per account: case and surrounding spaces do not matter."""
    return (username or "").strip().lower()[:150]


@transaction.atomic
def user_unlock(*, actor: User | None, user: User) -> int:
    """Clear an account's recent sign-in failures so it may sign in again at once."""
    _require_account_admin(actor, user)
    deleted, _rows = LoginFailure.objects.filter(username=login_key(user.username)).delete()
    record(
        actor=actor,
        action="accounts.user_unlock",
        obj=user,
        unit=home_unit(user),
        note=f"cleared {deleted} failures",
    )
    return deleted


# Roles ---------------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor: User | None, user: User, unit: Unit, role: str) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色 %(role)s。") % {"role": role}})
    if actor is not None:
        permissions.require(actor, "accounts.manage", unit)
        if not unit.is_active:
            raise ValidationError({"unit": _("该单位已停用，不能授予角色。")})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(
            actor=actor,
            action="accounts.role_grant",
            obj=user,
            unit=unit,
            after={"user": user.username, "unit": unit.code, "role": role},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    if actor is not None:
        permissions.require(actor, "accounts.manage", assignment.unit)
        if assignment.user_id == actor.pk and assignment.role == Role.ADMIN:
            # Nobody saws off the branch they sit on; another administrator can do it.
            raise ValidationError(_("不能撤销自己的管理员角色，请由其他管理员操作。"))
    before = {
        "user": assignment.user.username,
        "unit": assignment.unit.code,
        "role": assignment.role,
    }
    user, unit = assignment.user, assignment.unit
    assignment.delete()
    record(actor=actor, action="accounts.role_revoke", obj=user, unit=unit, before=before)


# API tokens ----------------------------------------------------------------------------------


def clean_scope(scope: list[str] | str | None) -> str:
    """The stored form of a scope: "read", or the chosen write areas in a fixed order."""
    values = scope.replace(",", " ").split() if isinstance(scope, str) else list(scope or [])
    unknown = [v for v in values if v not in TokenScope.values]
    if unknown:
        raise ValidationError(
            {"scope": _("未知的令牌权限范围：%(scope)s。") % {"scope": "、".join(unknown)}}
        )
    areas = [a for a in WRITE_AREAS if a in values]
    return " ".join(areas) if areas else TokenScope.READ


@transaction.atomic
def token_create(
    *,
    actor: User | None,
    user: User,
    scope: list[str] | str | None = None,
    days: int | None = None,
    name: str = "",
) -> tuple[ApiToken, str]:
    """Issue a new API token for `user`, valid for `days` (at most API_TOKEN_DAYS, the default)
    with `scope` ("read", or write areas; the default `None` is every area, as the operator's
    `gongkai token` gives). Returns the row and the token itself, which is shown once and never
    stored (only its SHA-256 is)."""
    if actor is not None and actor.pk != user.pk:
        _require_account_admin(actor, user)
    if not user.is_active:
        raise ValidationError(
            _("账号 %(username)s 已停用，不能签发令牌。") % {"username": user.username}
        )
    stored_scope = clean_scope(list(WRITE_AREAS) if scope is None else scope)
    limit = settings.API_TOKEN_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError({"days": _("令牌有效期应为 1 至 %(limit)s 天。") % {"limit": limit}})
    name = name.strip()
    if len(name) > 100:
        raise ValidationError({"name": _("用途最多 100 个字。")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        prefix=raw[:8],
        name=name,
        scope=stored_scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record(
        actor=actor,
        action="accounts.token_create",
        obj=user,
        unit=home_unit(user),
        after={
            "token": token.pk,
            "prefix": token.prefix,
            "scope": token.scope,
            "expires_at": token.expires_at,
        },
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner or the owner's administrator may. Revoking twice is a no-op."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if actor is not None and actor.pk != token.user_id:
        _require_account_admin(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = "revoked"
        token.save(update_fields=["revoked_at", "revoked_reason"])
        record(
            actor=actor,
            action="accounts.token_revoke",
            obj=token.user,
            unit=home_unit(token.user),
            before={"token": token.pk, "prefix": token.prefix},
        )
    return token
