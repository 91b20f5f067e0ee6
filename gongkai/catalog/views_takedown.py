"""紧急撤回 (take-down) of a published item by the 公开办负责人 or the 保密审查员, the leader's
confirmation or restoration, and the queue of what the rescan found in published items (each
finding cleared with a note, or the item taken down)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.catalog import actions, queries
from gongkai.catalog.forms import ReasonForm, add_action_errors
from gongkai.catalog.models import Finding
from gongkai.catalog.views import PAGE_SIZE, error_text, get_item, item_summary


@login_required
@require_http_methods(["GET", "POST"])
def item_take_down(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    if not permissions.has_perm(request.user, "catalog.take_down", item.unit):
        raise PermissionDenied
    if item.published_version_id is None:
        messages.info(request, _("该信息当前没有公开的版本，无需撤回。"))
        return redirect("catalog:item_detail", pk=item.pk)
    form = ReasonForm(request.POST or None, label=_("紧急撤回理由"))
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_take_down(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("已紧急撤回：公开网站、搜索、订阅和接口中已不再有该信息，已通知领导确认。"),
            )
            return redirect("catalog:item_detail", pk=item.pk)
    version = item.published_version
    return render(
        request,
        "catalog/take_down.html",
        {**item_summary(item, version), "form": form, "section": "list"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def item_takedown_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    if not permissions.has_perm(request.user, "catalog.sign_off", item.unit):
        raise PermissionDenied
    restore = request.POST.get("decision") == "restore"
    try:
        actions.item_takedown_decide(
            actor=request.user,
            item=item,
            restore=restore,
            note=(request.POST.get("note") or "")[:2000],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("已恢复公开。") if restore else _("已确认紧急撤回，信息保持撤回状态。")
        )
    return redirect("catalog:item_detail", pk=item.pk)


@login_required
@require_GET
def rescan_queue(request: HttpRequest) -> HttpResponse:
    """Published items in which the rescan found something nobody has cleared, newest finding
    first, with the days they have been public."""
    user = request.user
    if not (
        permissions.has_any(user, "catalog.secrecy_review")
        or permissions.has_any(user, "catalog.office_review")
    ):
        raise PermissionDenied
    page = Paginator(queries.rescan_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queries.rescan_rows(list(page))
    return render(
        request,
        "catalog/rescan_queue.html",
        {
            "rows": rows,
            "page_obj": page,
            "section": "list",
            "by_township": queries.rescan_counts_by_township(user),
            "progress": queries.rescan_progress(),
        },
    )


@login_required
@require_POST
def finding_clear(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    item = get_item(request, pk)
    finding = get_object_or_404(Finding, pk=finding_pk, version__item=item)
    try:
        actions.finding_clear(
            actor=request.user, finding=finding, note=(request.POST.get("note") or "")[:300]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已核实，该条发现不再提醒。"))
    if request.POST.get("next") == "queue":
        return redirect("catalog:rescan_queue")
    return redirect("catalog:item_detail", pk=item.pk)
