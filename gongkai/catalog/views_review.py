"""The review steps: 保密审查 (verdict, 公开方式), 公开办审核, 领导签发 (now or at a time; over
findings only with a reason), 退回 from any step, the explicit confirmation of files whose text
could not be read, and 判定涉密 of an item in any state. Each page shows the item with the
findings of the automatic checks in context; the sign-off page is laid out for a phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.catalog import actions, publishing
from gongkai.catalog.forms import (
    ConfirmUnreadableForm,
    NoteForm,
    ReasonForm,
    SecrecyForm,
    SecretConfirmForm,
    SecretHandledForm,
    SignOffForm,
    add_action_errors,
)
from gongkai.catalog.models import Attachment, Item, ItemVersion, Secrecy, VersionState
from gongkai.catalog.views import error_text, get_item, is_htmx, item_summary
from gongkai.catalog.workflow import REJECT_PERMS

S = VersionState

# step -> (state it reviews, permission, template)
STEPS: dict[str, tuple[str, str, str]] = {
    "secrecy": (S.SECRECY_REVIEW, "catalog.secrecy_review", "catalog/review_secrecy.html"),
    "office": (S.OFFICE_REVIEW, "catalog.office_review", "catalog/review_office.html"),
    "sign_off": (S.SIGN_OFF, "catalog.sign_off", "catalog/review_sign_off.html"),
}
STEP_OF_STATE = {state: step for step, (state, _perm, _t) in STEPS.items()}
# Shown on every review page: what still stands between the version and publication (the
# signature itself and the state are what the page is for, the findings are listed apart).
_NOT_BLOCKERS = {"not_signed_off", "wrong_state", "findings", "no_office_review"}


def _step_version(request: HttpRequest, item: Item, step: str) -> ItemVersion | None:
    state, perm, _template = STEPS[step]
    if not permissions.has_perm(request.user, perm, item.unit):
        raise PermissionDenied
    version = item.open_version()
    if version is None or version.state != state:
        return None
    return version


def _not_in_step(request: HttpRequest, item: Item) -> HttpResponse:
    current = item.current_version()
    label = current.get_state_display() if current else ""
    messages.info(request, _("该信息当前状态为“%(state)s”，无需在此处理。") % {"state": label})
    return redirect("catalog:item_detail", pk=item.pk)


def blockers(version: ItemVersion, step: str) -> list[publishing.Problem]:
    found = publishing.problems(version, via=publishing.VIA_SIGN_OFF, override_reason="-")
    skip = _NOT_BLOCKERS | ({"no_secrecy_review"} if step == "secrecy" else set())
    return [p for p in found if p.code not in skip]


def _render_step(
    request: HttpRequest, item: Item, version: ItemVersion, step: str, status: int = 200, **forms
) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = item_summary(item, version)
    findings = context["findings"]
    can_confirm = any(
        permissions.has_perm(user, p, item.unit)
        for p in ("catalog.secrecy_review", "catalog.office_review")
    )
    context.update(
        {
            "step": step,
            "blockers": blockers(version, step),
            "can_confirm": can_confirm,
            "confirm_form": ConfirmUnreadableForm(),
            "reject_form": forms.get("reject_form")
            or ReasonForm(label=_("退回理由"), auto_id="reject_%s"),
            "unconfirmed": [a for a in context["attachments"] if a.needs_confirmation],
            "section": "list",
        }
    )
    if step == "secrecy":
        context["form"] = forms.get("form") or SecrecyForm()
    elif step == "office":
        context["form"] = forms.get("form") or NoteForm()
    else:
        context["form"] = forms.get("form") or SignOffForm(findings=len(findings))
    return render(request, STEPS[step][2], context, status=status)


def _review_view(step: str):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = get_item(request, pk)
        version = _step_version(request, item, step)
        if version is None:
            return _not_in_step(request, item)
        if step == "secrecy" and version.review_started_at is None:
            # Opening the review is starting it: the drafter can no longer take it back.
            actions.item_review_started(actor=request.user, item=item)
        if request.method == "GET":
            return _render_step(request, item, version, step)
        return DECIDE[step](request, item, version)

    view.__name__ = f"review_{step}"
    return view


def _decide_secrecy(request: HttpRequest, item: Item, version: ItemVersion) -> HttpResponse:
    form = SecrecyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        secret = data["verdict"] == Secrecy.SECRET
        try:
            actions.item_secrecy_verdict(
                actor=request.user,
                item=item,
                secret=secret,
                disclosure=data["disclosure"] or "",
                reason=data["reason"],
                basis=data["basis"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            item.refresh_from_db()
            if secret:
                messages.warning(
                    request,
                    _(
                        "已判定为涉密：正文和附件已从系统删除。请按保密规定线下处置原件，并在此确认。"
                    ),
                )
            elif item.disclosure == "proactive":
                messages.success(request, _("保密审查通过，已送公开办审核。"))
            else:
                messages.success(
                    request,
                    _("保密审查完成，公开方式为“%(d)s”，已通知起草人。")
                    % {"d": item.get_disclosure_display()},
                )
            return redirect("catalog:item_detail", pk=item.pk)
    return _render_step(request, item, version, "secrecy", status=400, form=form)


def _decide_office(request: HttpRequest, item: Item, version: ItemVersion) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.item_office_approve(
                actor=request.user, item=item, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("审核通过，已送领导签发。"))
            return redirect("catalog:item_detail", pk=item.pk)
    return _render_step(request, item, version, "office", status=400, form=form)


def _decide_sign_off(request: HttpRequest, item: Item, version: ItemVersion) -> HttpResponse:
    # A reason typed into a box offered after a sign-off re-check (see below) must reach the action.
    offered = 1 if (request.POST.get("override_reason") or "").strip() else 0
    form = SignOffForm(request.POST, findings=version.findings.count() or offered)
    if form.is_valid():
        data = form.cleaned_data
        try:
            signed = actions.item_sign_off(
                actor=request.user,
                item=item,
                go_live_at=data["go_live_at"],
                override_reason=data.get("override_reason") or "",
            )
        except publishing.PublishBlocked as blocked:
            overridable = [p for p in blocked.problems if p.overridable]
            if overridable and "override_reason" not in form.fields:
                # The checks ran again at sign-off and found something new (the refusal rolled
                # back, so nothing is stored yet): offer the reason box instead of a dead end.
                form = SignOffForm(request.POST, findings=len(overridable))
                form.is_valid()
            for problem in blocked.problems:
                field = "override_reason" if problem.overridable else None
                form.add_error(field if field in form.fields else None, problem.message)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            item.refresh_from_db()
            if signed.state == S.SCHEDULED:
                at = formats.date_format(timezone.localtime(signed.go_live_at), "Y-m-d H:i")
                messages.success(request, _("已签发，将于 %(at)s 自动发布。") % {"at": at})
            else:
                messages.success(
                    request, _("已签发并发布，索引号 %(n)s。") % {"n": item.index_number}
                )
            return redirect("catalog:item_detail", pk=item.pk)
    return _render_step(request, item, version, "sign_off", status=400, form=form)


DECIDE = {
    "secrecy": _decide_secrecy,
    "office": _decide_office,
    "sign_off": _decide_sign_off,
}
review_secrecy = _review_view("secrecy")
review_office = _review_view("office")
review_sign_off = _review_view("sign_off")


@login_required
@require_POST
def item_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """退回 from whichever review step the version is in (a scheduled version included)."""
    item = get_item(request, pk)
    version = item.open_version()
    if version is None or version.state not in REJECT_PERMS:
        return _not_in_step(request, item)
    if not permissions.has_perm(request.user, REJECT_PERMS[version.state], item.unit):
        raise PermissionDenied
    form = ReasonForm(request.POST, label=_("退回理由"), auto_id="reject_%s")
    if form.is_valid():
        try:
            actions.item_reject(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("已退回起草人修改。"))
            return redirect("catalog:item_detail", pk=item.pk)
    step = STEP_OF_STATE.get(version.state)
    if step is None:  # 已签发待发布: the form is on the item's page
        messages.error(
            request, "；".join(map(str, form.errors.get("reason", []))) or _("请写明理由。")
        )
        return redirect("catalog:item_detail", pk=item.pk)
    return _render_step(request, item, version, step, status=400, reject_form=form)


def _back(request: HttpRequest, item: Item) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("catalog:item_detail", kwargs={"pk": item.pk})


@login_required
@require_POST
def attachment_confirm(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A reviewer confirms a file whose text could not be read (inline with htmx, or a plain
    form that returns to the page it came from)."""
    item = get_item(request, pk)
    # Only files of the version under review can be confirmed.
    attachment = get_object_or_404(Attachment, pk=attachment_pk, version=item.open_version())
    form = ConfirmUnreadableForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            attachment = actions.attachment_confirm_unreadable(
                actor=request.user, attachment=attachment, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            error = error_text(exc)
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    if is_htmx(request):
        # The row in place, plus (out of band) the page's notes about what is still missing.
        # A refusal is answered 200 too: htmx shows only successful answers.
        attachment.refresh_from_db()
        version = attachment.version
        step = STEP_OF_STATE.get(version.state, "")
        return render(
            request,
            "catalog/_confirm_response.html",
            {
                "item": item,
                "a": attachment,
                "can_confirm": True,
                "confirm_error": error,
                "next": request.POST.get("next", ""),
                "blockers": blockers(version, step),
                "unconfirmed": [a for a in version.attachments.all() if a.needs_confirmation],
            },
        )
    if error:
        messages.error(
            request, _("“%(name)s”未能确认：%(e)s") % {"name": attachment.name, "e": error}
        )
    else:
        messages.success(request, _("已确认附件“%(name)s”。") % {"name": attachment.name})
    return redirect(_back(request, item))


@login_required
@require_http_methods(["GET", "POST"])
def item_mark_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """判定涉密 of an item in any state (a published one comes off the site at once)."""
    item = get_item(request, pk)
    if not permissions.has_perm(request.user, "catalog.secrecy_review", item.unit):
        raise PermissionDenied
    if item.is_secret:
        messages.info(request, _("该信息已定为涉密。"))
        return redirect("catalog:item_detail", pk=item.pk)
    form = SecretConfirmForm(request.POST or None, label=_("判定涉密的理由"))
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_mark_secret(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.warning(
                request,
                _("已判定为涉密：该信息已下线，正文和附件已从系统删除。请线下处置原件后在此确认。"),
            )
            return redirect("catalog:item_detail", pk=item.pk)
    version = item.current_version()
    return render(
        request,
        "catalog/mark_secret.html",
        {**item_summary(item, version), "form": form, "section": "list"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def item_secret_handled(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    if not permissions.has_perm(request.user, "catalog.secrecy_review", item.unit):
        raise PermissionDenied
    form = SecretHandledForm(request.POST)
    if form.is_valid():
        try:
            actions.item_secret_handled(
                actor=request.user, item=item, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("已记录线下处置情况。"))
    else:
        messages.error(request, _("请简要说明线下处置情况。"))
    return redirect("catalog:item_detail", pk=item.pk)
