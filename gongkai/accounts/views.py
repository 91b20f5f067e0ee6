"""Sign-in, sign-out and the signed-in user's own account page (password, API tokens)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.accounts import actions, signin
from gongkai.accounts.forms import PasswordChangeForm, SignInForm, apply_errors
from gongkai.accounts.middleware import IDLE_FLAG
from gongkai.accounts.models import ApiToken, User
from gongkai.accounts.permissions import roles_of
from gongkai.accounts.queries import visible_users


def safe_next(request: HttpRequest, default: str = "core:workbench") -> str:
    """The `next` the page was asked to return to, if it stays on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST" and request.user.is_authenticated:
        return redirect(safe_next(request))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = signin.signin(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if result.ok:
            return redirect(safe_next(request))
        if result.outcome is signin.Outcome.LOCKED:
            form.add_error(
                None,
                _("登录失败次数过多，已暂时锁定。请 %(minutes)s 分钟后再试，或联系系统管理员解锁。")
                % {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        else:
            form.add_error(None, _("用户名或密码不正确，请重新输入。注意区分大小写。"))
    idle = bool(request.session.pop(IDLE_FLAG, False))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next") or "",
            "idle": idle,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
        },
    )


def logout_view(request: HttpRequest) -> HttpResponse:
    """POST signs out. GET (a typed or bookmarked address) asks first: signing out on a GET
    would let any page sign a clerk out with an image tag."""
    if request.method == "POST":
        was_signed_in = request.user.is_authenticated
        signin.signout(request=request)
        if was_signed_in:
            messages.info(request, _("您已安全退出。"))
        return redirect("accounts:login")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/logout_confirm.html")


@sensitive_post_parameters("old_password", "password1", "password2")
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.password_change(
                actor=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"password": "password1"})
        else:
            # Keep this session; every other session of the account ends.
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    tokens = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/profile.html",
        {"account": user, "roles": roles_of(user), "tokens": tokens},
    )


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of my tokens, or (for an administrator) one of a managed account's."""
    actor: User = request.user  # type: ignore[assignment]
    reachable = ApiToken.objects.filter(Q(user=actor) | Q(user__in=visible_users(actor)))
    token = get_object_or_404(reachable, pk=pk)
    actions.token_revoke(actor=actor, token=token)
    messages.success(request, _("令牌 %(prefix)s… 已作废。") % {"prefix": token.prefix})
    return redirect(safe_next(request, default="accounts:profile"))
