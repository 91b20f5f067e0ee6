"""Drafting: create and edit a draft (metadata, body, 政策解读 links, files), and submit it for
review. One form saves everything at once, so nothing typed is lost to a separate upload; a
wrong file is refused before anything is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.catalog import actions, checks
from gongkai.catalog.forms import ItemForm, add_action_errors
from gongkai.catalog.models import Item, VersionState
from gongkai.catalog.views import error_text, get_item, item_label, search_candidates
from gongkai.lib.scan import mask

S = VersionState
EDITOR_LABELS = {
    "toolbar": gettext_lazy("正文格式"),
    "bold": gettext_lazy("加粗"),
    "h2": gettext_lazy("标题"),
    "h3": gettext_lazy("小标题"),
    "p": gettext_lazy("正文段落"),
    "ul": gettext_lazy("项目列表"),
    "ol": gettext_lazy("编号列表"),
    "link": gettext_lazy("链接"),
    "linkPrompt": gettext_lazy("链接地址（以 http:// 或 https:// 开头）"),
    "table": gettext_lazy("表格"),
    "tablePrompt": gettext_lazy("表格的行数和列数，如 3x4"),
    "clear": gettext_lazy("清除格式"),
}
SIMPLE_FIELDS = (
    "unit",
    "title",
    "document_number",
    "formed_date",
    "summary",
    "category",
    "genre",
    "topic",
    "scope",
    "keywords",
    "body",
    "legal_period_days",
    "legal_period_basis",
)


def _organs(request: HttpRequest, item: Item | None) -> list[Any]:
    """The 发布机构 shown read-only: the item's organ, or the organs of the units the user may
    draft for (usually just their township)."""
    if item is not None:
        return [item.organ]
    organs = {}
    for unit in permissions.units_for(request.user, "catalog.draft").filter(is_active=True):
        organ = unit.organ()
        if organ is not None:
            organs[organ.pk] = organ
    return list(organs.values())


def _initial_from_post(request: HttpRequest) -> dict[str, Any]:
    """What the clerk typed, as initial values (used when the page is shown again for the
    picker's plain-form search, without validating or saving anything)."""
    initial: dict[str, Any] = {name: request.POST.get(name, "") for name in SIMPLE_FIELDS}
    initial["interpretations"] = request.POST.getlist("interpretations")
    return initial


def _chosen(form: ItemForm, item: Item | None, initial: dict[str, Any] | None) -> list[Item]:
    if form.is_bound:
        return form.chosen_interpretations()
    if initial is not None:
        ids = [
            int(v)
            for v in initial.get("interpretations", [])
            if str(v).isdigit() and len(str(v)) < 12
        ]
        return list(form.candidates.filter(pk__in=ids))
    if item is not None:
        version = item.open_version()
        return list(version.interpretations.all()) if version else []
    return []


def _render(
    request: HttpRequest,
    form: ItemForm,
    item: Item | None,
    *,
    initial: dict[str, Any] | None = None,
    pick_q: str = "",
    status: int = 200,
) -> HttpResponse:
    chosen = _chosen(form, item, initial)
    results = []
    if pick_q:
        chosen_ids = {i.pk for i in chosen}
        results = [
            (i.pk, item_label(i))
            for i in search_candidates(request.user, pick_q, item.pk if item else None)
            if i.pk not in chosen_ids
        ]
    version = item.open_version() if item else None
    if form.is_bound:
        typed = form.data
    elif version is not None:
        typed = {"title": version.title, "summary": version.summary, "body": version.body}
    else:
        typed = initial or {}
    return render(
        request,
        "catalog/item_form.html",
        {
            **live_checks(request, item, typed),
            "form": form,
            "item": item,
            "version": version,
            "attachments": list(version.attachments.all()) if version else [],
            "chosen": [(i.pk, item_label(i)) for i in chosen],
            "pick_q": pick_q,
            "pick_results": results,
            "organs": _organs(request, item),
            "editor_labels": EDITOR_LABELS,
            "section": "new" if item is None else "list",
        },
        status=status,
    )


def _save_files(request: HttpRequest, form: ItemForm, item: Item) -> None:
    for name, data in form.cleaned_data.get("new_files") or []:
        try:
            actions.attachment_add(actor=request.user, item=item, data=data, name=name)
        except ValidationError as exc:
            raise FileRefused(exc) from exc


class FileRefused(Exception):
    def __init__(self, error: ValidationError) -> None:
        super().__init__(error.messages)
        self.error = error


def _after_save(request: HttpRequest, item: Item, created: bool) -> HttpResponse:
    if request.POST.get("mask"):
        messages.success(request, _("已遮盖并保存草稿。"))
        return redirect(reverse("catalog:item_edit", kwargs={"pk": item.pk}) + "#live-checks")
    if "submit_after" in request.POST:
        return _submit(request, item)
    messages.success(request, _("草稿已保存。") if not created else _("草稿已创建。"))
    return redirect("catalog:item_edit", pk=item.pk)


def _plain_search(request: HttpRequest) -> str | None:
    """The picker's search button of the plain form (no script): the words searched for."""
    if "_pick" not in request.POST:
        return None
    return (request.POST.get("pick_q") or "").strip()[:50] or " "


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "catalog.draft"):
        raise PermissionDenied
    if request.method == "POST":
        pick_q = _plain_search(request)
        if pick_q is not None:
            initial = _initial_from_post(request)
            form = ItemForm(initial=initial, user=user)
            return _render(request, form, None, initial=initial, pick_q=pick_q.strip())
        masked = _masked_post(request)
        form = ItemForm(masked or request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    item = actions.item_create(
                        actor=user,
                        unit=data["unit"],
                        interpretations=list(data["interpretations"]),
                        **form.version_fields(),
                    )
                    _save_files(request, form, item)
            except FileRefused as refused:
                form.add_error("new_files", refused.error.messages)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return _after_save(request, item, created=True)
        return _render(request, form, None, status=400)
    return _render(request, ItemForm(user=user), None)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = get_item(request, pk)
    if not permissions.has_perm(user, "catalog.draft", item.unit):
        raise PermissionDenied
    version = item.open_version()
    if version is None or version.state != S.DRAFT:
        current = item.current_version()
        if current is not None and current.state in {S.PUBLISHED, S.WITHDRAWN}:
            messages.info(request, _("已发布的信息不能直接修改：请在下方“修订为新版本”。"))
        else:
            messages.info(request, _("该信息已提交审核，不能修改；如需修改请联系审核人员退回。"))
        return redirect("catalog:item_detail", pk=item.pk)
    if request.method == "POST":
        pick_q = _plain_search(request)
        if pick_q is not None:
            initial = _initial_from_post(request)
            form = ItemForm(initial=initial, user=user, item=item)
            return _render(request, form, item, initial=initial, pick_q=pick_q.strip())
        masked = _masked_post(request)
        form = ItemForm(masked or request.POST, request.FILES, user=user, item=item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    actions.item_update(
                        actor=user,
                        item=item,
                        interpretations=list(data["interpretations"]),
                        **form.version_fields(),
                    )
                    for attachment in version.attachments.filter(pk__in=data["remove_files"]):
                        actions.attachment_remove(actor=user, attachment=attachment)
                    _save_files(request, form, item)
            except FileRefused as refused:
                form.add_error("new_files", refused.error.messages)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return _after_save(request, item, created=False)
        return _render(request, form, item, status=400)
    initial = {name: getattr(version, name) for name in ItemForm.VERSION_FIELDS}
    form = ItemForm(initial=initial, user=user, item=item)
    return _render(request, form, item)


def _submit(request: HttpRequest, item: Item) -> HttpResponse:
    try:
        version = actions.item_submit(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("catalog:item_detail", pk=item.pk)
    count = version.findings.count()
    if count:
        messages.warning(
            request,
            _(
                "已提交保密审查。自动检查发现 %(n)s 处需要注意的内容（见下方），审查人员会逐条"
                "判断；如需自行修改，请联系审查人员退回。"
            )
            % {"n": count},
        )
    else:
        messages.success(request, _("已提交保密审查。自动检查没有发现问题。"))
    return redirect(reverse("catalog:item_detail", kwargs={"pk": item.pk}) + "#checks")


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    if not permissions.has_perm(request.user, "catalog.draft", item.unit):
        raise PermissionDenied
    return _submit(request, item)


# ------------------------------------------------------------------ checks while writing

MASKED_FIELDS = ("title", "summary", "body")


def _masked_post(request: HttpRequest):
    """The posted form with the hit of the pressed 遮盖 button masked in the title, summary
    and body (370283199001011234 → 3702831990****1234), or None when no such button."""
    hit = (request.POST.get("mask") or "").strip()
    if not hit or len(hit) > 200:
        return None
    data = request.POST.copy()
    for name in MASKED_FIELDS:
        data[name] = (data.get(name) or "").replace(hit, mask(hit))
    data.pop("submit_after", None)
    return data


def live_checks(request: HttpRequest, item: Item | None, data) -> dict[str, Any]:
    """The context of the editor's check panel for what is typed in `data`."""
    return {
        "live_findings": checks.draft_findings(
            item,
            title=(data.get("title") or "")[:200],
            summary=(data.get("summary") or "")[:300],
            body=(data.get("body") or "")[: 2 * 1024 * 1024],
        ),
        "item": item,
    }


@login_required
@require_POST
def check_draft(request: HttpRequest) -> HttpResponse:
    """The editor's live check panel (htmx, as the drafter types): findings with the hit
    highlighted in its context and a one-click 遮盖 button each. Nothing is stored."""
    if not permissions.has_any(request.user, "catalog.draft"):
        raise PermissionDenied
    pk = request.POST.get("item") or ""
    item = get_item(request, int(pk)) if pk.isdigit() and len(pk) < 12 else None
    return render(request, "catalog/_live_checks.html", live_checks(request, item, request.POST))


@login_required
@require_POST
def item_recall(request: HttpRequest, pk: int) -> HttpResponse:
    """The drafter takes a submitted item back while nobody has started reviewing it."""
    item = get_item(request, pk)
    if not permissions.has_perm(request.user, "catalog.draft", item.unit):
        raise PermissionDenied
    try:
        actions.item_recall(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("catalog:item_detail", pk=item.pk)
    messages.success(request, _("已收回为草稿，修改后可重新提交。"))
    return redirect("catalog:item_edit", pk=item.pk)
