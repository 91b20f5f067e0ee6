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
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.accounts import actions, signin, two_factor
from gongkai.accounts.forms import (
    PasswordChangeForm,
    SignInForm,
    TokenCreateForm,
    apply_errors,
)
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
        if result.outcome is signin.Outcome.SECOND_STEP:
            target = reverse("accounts:two_factor")
            next_url = request.POST.get("next") or request.GET.get("next")
            if next_url:
                target += "?" + urlencode({"next": next_url})
            return redirect(target)
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


@never_cache
@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenCreateForm(
        request.POST if request.method == "POST" else None, max_days=settings.API_TOKEN_DAYS
    )
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = actions.token_create(
                actor=user,
                user=user,
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = TokenCreateForm(max_days=settings.API_TOKEN_DAYS)
    tokens = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "roles": roles_of(user),
            "tokens": tokens,
            "token_form": form,
            "new_token": new_token,
            "two_factor": two_factor.device_of(user),
            "two_factor_required": two_factor.is_required(user),
        },
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


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the authenticator app (or a recovery code), or,
    for an account that must use two steps and has none yet, enrolling one."""
    state = two_factor.pending(request)
    if state is None:
        messages.info(request, _("请重新输入用户名和密码。"))
        return redirect("accounts:login")
    enrolling = bool(state.secret)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        if enrolling:
            codes = two_factor.enrol(user=state.user, secret=state.secret, code=code)
            if codes is not None:
                two_factor.finish(request, state, "enrolled")
                request.session["two_factor_codes"] = codes
                return redirect(
                    reverse("accounts:two_factor_codes")
                    + "?"
                    + urlencode({"next": safe_next(request)})
                )
        else:
            method = two_factor.check(user=state.user, code=code)
            if method is not None:
                two_factor.finish(request, state, method)
                left = two_factor.recovery_codes_left(state.user)
                if method == "recovery":
                    messages.warning(
                        request,
                        _("您使用了恢复码登录，还剩 %(n)s 个。请在“我的账号”中重新生成。")
                        % {"n": left},
                    )
                return redirect(safe_next(request))
        if two_factor.failed(request, state):
            messages.error(request, _("验证码错误次数过多，请重新登录。"))
            return redirect("accounts:login")
        error = _("验证码不正确或已使用过，请输入验证器上当前显示的 6 位数字。")
    context = {
        "enrolling": enrolling,
        "error": error,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "account": state.user,
    }
    if enrolling:
        context["secret"] = two_factor.grouped(state.secret)
        context["uri"] = two_factor.provisioning_uri(state.secret, state.user)
    return render(request, "accounts/two_factor.html", context)


@never_cache
@login_required
def two_factor_codes_view(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once right after they were made."""
    codes = request.session.pop("two_factor_codes", None)
    if not codes:
        return redirect("accounts:two_factor_manage")
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": safe_next(request)},
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor_manage_view(request: HttpRequest) -> HttpResponse:
    """Turn two-step sign-in on or off for my account, or make new recovery codes."""
    user: User = request.user  # type: ignore[assignment]
    device = two_factor.device_of(user)
    required = two_factor.is_required(user)
    error = ""
    if request.method == "POST":
        what = request.POST.get("what", "")
        if what == "enrol" and device is None:
            secret = two_factor.enrolment_secret(request)
            codes = two_factor.enrol(
                user=user, secret=secret, code=request.POST.get("code", "")[:40]
            )
            if codes is not None:
                request.session.pop("two_factor_new_secret", None)
                request.session["two_factor_codes"] = codes
                return redirect("accounts:two_factor_codes")
            error = _("验证码不正确，请输入验证器上当前显示的 6 位数字。")
        elif what == "renew" and device is not None:
            request.session["two_factor_codes"] = two_factor.recovery_codes_renew(user=user)
            return redirect("accounts:two_factor_codes")
        elif what == "disable" and device is not None and not required:
            two_factor.disable(actor=user, user=user)
            messages.success(request, _("已关闭两步验证。"))
            return redirect("accounts:profile")
        elif what:
            return redirect("accounts:two_factor_manage")
    context: dict[str, object] = {
        "device": device,
        "required": required,
        "error": error,
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
    }
    if device is None:
        secret = two_factor.enrolment_secret(request)
        context["secret"] = two_factor.grouped(secret)
        context["uri"] = two_factor.provisioning_uri(secret, user)
    return render(request, "accounts/two_factor_manage.html", context)
