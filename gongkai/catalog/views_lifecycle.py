"""After publication: withdraw (撤回) with a reason, mark validity (失效/废止/已修改), start a new
version of a published item; and the 不予公开 register (条例18) with its periodic re-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.catalog import actions, queries
from gongkai.catalog.forms import ReasonForm, ReassessForm, ValidityForm, add_action_errors
from gongkai.catalog.models import Disclosure, Item, Secrecy, Validity, VersionState
from gongkai.catalog.views import PAGE_SIZE, error_text, get_item, item_summary

S = VersionState


def _require(request: HttpRequest, perm: str, item: Item) -> None:
    if not permissions.has_perm(request.user, perm, item.unit):
        raise PermissionDenied


def _page(request: HttpRequest, template: str, item: Item, status: int = 200, **extra):
    version = item.published_version or item.current_version()
    return render(
        request,
        template,
        {**item_summary(item, version), "section": "list", **extra},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    _require(request, "catalog.sign_off", item)
    if item.published_version_id is None:
        messages.info(request, _("该信息当前没有公开的版本，无需撤回。"))
        return redirect("catalog:item_detail", pk=item.pk)
    form = ReasonForm(request.POST or None, label=_("撤回理由"))
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_withdraw(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("已撤回，公开网站上不再显示该信息；索引号保留不变。"))
            return redirect("catalog:item_detail", pk=item.pk)
    return _page(
        request, "catalog/withdraw.html", item, status=400 if form.is_bound else 200, form=form
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_validity(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    _require(request, "catalog.office_review", item)
    if item.first_published_at is None or item.secrecy == Secrecy.SECRET:
        messages.info(request, _("只有已发布的信息才能标注有效性。"))
        return redirect("catalog:item_detail", pk=item.pk)
    initial = {
        "validity": item.validity,
        "effective_date": item.validity_date,
        "replaced_by": item.replaced_by.index_number if item.replaced_by else "",
        "note": item.validity_note,
    }
    form = ValidityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.item_set_validity(
                actor=request.user,
                item=item,
                validity=data["validity"],
                effective_date=data["effective_date"],
                replaced_by=data["replaced_by"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            item.refresh_from_db()
            messages.success(
                request, _("有效性已改为“%(v)s”。") % {"v": item.get_validity_display()}
            )
            return redirect("catalog:item_detail", pk=item.pk)
    return _page(
        request,
        "catalog/validity.html",
        item,
        status=400 if form.is_bound else 200,
        form=form,
        amended=Validity.AMENDED,
    )


@login_required
@require_POST
def item_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    _require(request, "catalog.draft", item)
    try:
        version = actions.item_new_version(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("catalog:item_detail", pk=item.pk)
    messages.success(
        request,
        _(
            "已新建第 %(n)s 版草稿。修改后提交，将重新经过保密审查、审核和签发；"
            "在新版本发布前，公开网站仍显示原版本。"
        )
        % {"n": version.number},
    )
    return redirect("catalog:item_edit", pk=item.pk)


# ------------------------------------------------------------------ 不予公开 register


@login_required
@require_GET
def withheld(request: HttpRequest) -> HttpResponse:
    """不予公开 items with reasons and re-assessment dates (条例18), and the 依申请公开 ones."""
    user = request.user
    tab = "on_request" if request.GET.get("tab") == "on_request" else "withheld"
    if tab == "withheld":
        items = queries.withheld_register(user)
    else:
        items = (
            Item.objects.filter(
                disclosure=Disclosure.ON_REQUEST, unit__in=queries.staff_units(user)
            )
            .exclude(secrecy=Secrecy.SECRET)
            .select_related("organ", "unit")
            .order_by("-created_at", "pk")
        )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for item in page:
        version = item.current_version()
        rows.append(
            {
                "item": item,
                "version": version,
                "overdue": item.reassess_due is not None and item.reassess_due <= today,
                "can_reassess": version is not None
                and version.state in {S.WITHHELD, S.ON_REQUEST}
                and permissions.has_perm(user, "catalog.secrecy_review", item.unit),
            }
        )
    return render(
        request,
        "catalog/withheld.html",
        {"rows": rows, "page_obj": page, "tab": tab, "section": "withheld", "query": f"tab={tab}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_reassess(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    _require(request, "catalog.secrecy_review", item)
    version = item.current_version()
    if version is None or version.state not in {S.WITHHELD, S.ON_REQUEST}:
        messages.info(request, _("该信息不在不予公开或依申请公开登记中。"))
        return redirect("catalog:item_detail", pk=item.pk)
    form = ReassessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        release = form.cleaned_data["decision"] == "release"
        try:
            actions.item_reassess(
                actor=request.user, item=item, release=release, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            item.refresh_from_db()
            if release:
                messages.success(request, _("已转为主动公开，送公开办审核。"))
            elif item.reassess_due:
                messages.success(
                    request,
                    _("复核完成，继续不予公开；下次复核日期 %(d)s。")
                    % {"d": item.reassess_due.isoformat()},
                )
            else:
                messages.success(request, _("复核完成。"))
            return redirect("catalog:withheld")
    return render(
        request,
        "catalog/reassess.html",
        {
            **item_summary(item, version),
            "form": form,
            "section": "withheld",
        },
        status=400 if form.is_bound else 200,
    )
