"""Administration pages: the unit tree, units, accounts and their roles.

Every page is scoped to the units the administrator manages (`queries.managed_units`): a unit or
account outside them is a 404, as if it did not exist; the actions check permission again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.accounts import actions, permissions, signin, two_factor
from gongkai.accounts.forms import (
    RoleGrantForm,
    SetPasswordForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
    apply_errors,
)
from gongkai.accounts.models import ApiToken, RoleAssignment, Unit, User
from gongkai.accounts.queries import managed_units, unit_tree, visible_users

PER_PAGE = 50


def _admin(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not permissions.has_any(user, "accounts.manage"):
        raise PermissionDenied("accounts.manage")
    return user


# Units ---------------------------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    rows = unit_tree(managed_units(actor))
    ids = [row.unit.pk for row in rows]
    # People of a unit: those belonging to it and those holding a role there, each once.
    people: dict[int, set[int]] = {pk: set() for pk in ids}
    for unit_id, user_id in User.objects.filter(unit_id__in=ids).values_list("unit_id", "pk"):
        people[unit_id].add(user_id)
    holders = RoleAssignment.objects.filter(unit_id__in=ids).values_list("unit_id", "user_id")
    for unit_id, user_id in holders:
        people[unit_id].add(user_id)
    for row in rows:
        row.unit.member_count = len(people[row.unit.pk])  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/unit_list.html",
        {"rows": rows, "can_create_root": actor.is_superuser},
    )


def _unit_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in actions.UNIT_FIELDS if name in data}


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    choices = managed_units(actor).filter(is_active=True)
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = choices.filter(pk=parent_id).first()
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        parent_choices=choices,
    )
    if request.method == "POST" and form.is_valid():
        parent = form.cleaned_data["parent"]
        if parent is None and not actor.is_superuser:
            form.add_error("parent", _("请选择上级单位。"))
        else:
            try:
                unit = actions.unit_create(
                    actor=actor, parent=parent, **_unit_fields(form.cleaned_data)
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已新建单位“%(name)s”。") % {"name": unit.name})
                return redirect("accounts:unit_list")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)
    unit = get_object_or_404(managed_units(actor), pk=pk)
    locked = not actor.is_superuser and (
        unit.parent is None or not permissions.has_perm(actor, "accounts.manage", unit.parent)
    )
    choices: QuerySet[Unit]
    if locked:
        # Only the present parent (or none): shown, not changeable.
        choices = Unit.objects.filter(pk__in=[unit.parent_id] if unit.parent_id else [])
    else:
        base: QuerySet[Unit] = Unit.objects.all() if actor.is_superuser else managed_units(actor)
        choices = base.filter(Q(is_active=True) | Q(pk=unit.parent_id)).exclude(
            path__startswith=unit.path
        )
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        instance=unit,
        parent_choices=choices,
        parent_locked=locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = actions.unit_update(
                actor=actor,
                unit=unit,
                parent=form.cleaned_data["parent"],
                move=not locked,
                **_unit_fields(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存单位“%(name)s”。") % {"name": unit.name})
            return redirect("accounts:unit_list")
    unit.refresh_from_db()
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


# Accounts ------------------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    units = managed_units(actor)
    users = visible_users(actor).select_related("unit").order_by("-is_active", "username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__icontains=q)
        )
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        users = users.filter(Q(unit_id=unit_id) | Q(roles__unit_id=unit_id)).distinct()
    # Only the roles inside the administrator's units: another township's are not their business.
    users = users.prefetch_related(
        Prefetch(
            "roles",
            queryset=RoleAssignment.objects.filter(unit__in=units).select_related("unit"),
            to_attr="visible_roles",
        )
    )
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": q,
            "unit_id": unit_id,
            "unit_options": [
                (str(row.unit.pk), "\u3000" * row.depth + row.unit.short_name)
                for row in unit_tree(units)
            ],
        },
    )


@sensitive_post_parameters("password1", "password2")
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    units = managed_units(actor).filter(is_active=True)
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = units.filter(pk=request.GET["unit"]).first()
    form = UserCreateForm(
        request.POST if request.method == "POST" else None, initial=initial, units=units
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.user_create(
                actor=actor,
                unit=data["unit"],
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
                email=data["email"],
                phone=data["phone"],
                role=data["role"] or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"password": "password1"})
        else:
            messages.success(request, _("已新建账号 %(username)s。") % {"username": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _user_page(request: HttpRequest, pk: int) -> tuple[User, User]:
    actor = _admin(request)
    user = get_object_or_404(visible_users(actor).select_related("unit"), pk=pk)
    return actor, user


def _home_unit_choices(actor: User, user: User) -> Any:
    """The units an account may be moved to. (Only an administrator of every unit the account
    belongs to edits it, so its present unit is always among them.)"""
    units = Unit.objects.all() if actor.is_superuser else managed_units(actor)
    return units.filter(Q(is_active=True) | Q(pk=user.unit_id))


def _render_user(
    request: HttpRequest, actor: User, user: User, status: int = 200, **forms: Any
) -> HttpResponse:
    units = managed_units(actor)
    can_manage = actions.can_manage_account(actor, user)
    edit_form = forms.get("edit_form") or UserEditForm(
        initial={
            "full_name": user.full_name,
            "unit": user.unit,
            "email": user.email,
            "phone": user.phone,
            "is_active": user.is_active,
        },
        units=_home_unit_choices(actor, user),
    )
    roles = list(user.roles.select_related("unit").order_by("unit__path", "role"))
    visible_roles = [r for r in roles if actor.is_superuser or r.unit in units]
    context = {
        "account": user,
        "can_manage": can_manage,
        "edit_form": edit_form,
        "password_form": forms.get("password_form") or SetPasswordForm(),
        "grant_form": forms.get("grant_form")
        or RoleGrantForm(units=units.filter(is_active=True), initial={"unit": user.unit}),
        "roles": visible_roles,
        "other_roles": len(roles) - len(visible_roles),
        "tokens": ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at"),
        "locked": signin.is_locked(user.username),
        "two_factor": two_factor.device_of(user),
        "two_factor_required": two_factor.is_required(user),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _user_page(request, pk)
    if request.method != "POST":
        return _render_user(request, actor, user)
    if not actions.can_manage_account(actor, user):
        raise PermissionDenied("account outside the administrator's units")
    form = UserEditForm(request.POST, units=_home_unit_choices(actor, user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.user_update(
                actor=actor,
                user=user,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                unit=data["unit"],
                move=True,
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("accounts:user_detail", pk=user.pk)
    return _render_user(request, actor, user, edit_form=form)


@sensitive_post_parameters("password1", "password2")
@require_POST
@login_required
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _user_page(request, pk)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            actions.user_set_password(
                actor=actor, user=user, password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"password": "password1"})
        else:
            messages.success(
                request,
                _("已为 %(name)s 设置新密码，请当面或电话告知本人，并提醒其登录后修改。")
                % {"name": user.display_name},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return _render_user(request, actor, user, password_form=form)


@require_POST
@login_required
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _user_page(request, pk)
    actions.user_unlock(actor=actor, user=user)
    messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": user.display_name})
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@login_required
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """After a lost phone: remove the account's authenticator; it enrols again at sign-in."""
    actor, user = _user_page(request, pk)
    if two_factor.disable(actor=actor, user=user):
        messages.success(
            request,
            _("已重置 %(name)s 的两步验证，其下次登录时需重新绑定。") % {"name": user.display_name},
        )
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@login_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor, user = _user_page(request, pk)
    form = RoleGrantForm(request.POST, units=managed_units(actor).filter(is_active=True))
    if form.is_valid():
        unit, role = form.cleaned_data["unit"], form.cleaned_data["role"]
        if user.roles.filter(unit=unit, role=role).exists():
            form.add_error(None, _("该人员在这个单位已有此角色。"))
        else:
            try:
                actions.role_grant(actor=actor, user=user, unit=unit, role=role)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已授予角色。"))
                return redirect("accounts:user_detail", pk=user.pk)
    return _render_user(request, actor, user, grant_form=form)


@require_POST
@login_required
def role_revoke(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    actor, user = _user_page(request, pk)
    assignment = get_object_or_404(
        RoleAssignment.objects.filter(user=user, unit__in=managed_units(actor)), pk=role_pk
    )
    try:
        actions.role_revoke(actor=actor, assignment=assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已撤销角色。"))
    return redirect("accounts:user_detail", pk=user.pk)
