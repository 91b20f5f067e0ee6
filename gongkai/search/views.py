"""Staff pages under /staff/search/: the office keeps the synonym list (同义词表) and tries a
query to see how it is expanded and what it finds. Editors: see gongkai.search.actions; every
other member of staff reads the list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.search import actions, api
from gongkai.search.filters import Filters
from gongkai.search.forms import SynonymEditForm, SynonymForm
from gongkai.search.models import SynonymGroup
from gongkai.search.synonyms import TTL_SECONDS
from gongkai.search.tokens import QueryTooLong, parse_query

TRY_HITS = 5


def _viewer(request: HttpRequest) -> bool:
    """Whether the user may edit; PermissionDenied if they may not even read the list."""
    if not actions.can_view(request.user):
        raise PermissionDenied(_("您没有查看同义词表的权限。"))
    return actions.can_edit(request.user)


def _editor(request: HttpRequest) -> None:
    if not _viewer(request):
        raise PermissionDenied(_("只有市级公开办负责人或系统管理员可以修改同义词表。"))


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _warn_overlaps(request: HttpRequest, group: SynonymGroup) -> None:
    for word, other in actions.overlaps(group)[:5]:
        messages.warning(
            request,
            _("“%(w)s”也在另一组同义词中（%(t)s），搜索它时两组的词都会用上。")
            % {"w": word, "t": other.terms},
        )


def _try(raw: str) -> dict[str, Any]:
    """How a query is expanded and what it finds, for the 试一试 box."""
    raw = raw[:1000]
    context: dict[str, Any] = {"q": raw}
    if not raw.strip():
        return context
    try:
        query = parse_query(raw)
        results = api.search(q=raw, filters=Filters(), page_size=TRY_HITS)
    except QueryTooLong:
        context["error"] = _("搜索词过长，请缩短后再试。")
        return context
    context["tried"] = True
    context["terms"] = [
        {
            "word": term.word,
            "parts": term.parts,
            "synonyms": [" + ".join(t.word for t in terms) for terms in term.synonyms],
        }
        for term in query.terms
    ]
    context["results"] = results
    return context


def _list(request: HttpRequest, form: SynonymForm | None, can_edit: bool, status: int = 200):
    groups = SynonymGroup.objects.select_related("updated_by").order_by("pk")
    context = {
        "groups": groups,
        "form": form,
        "can_edit": can_edit,
        "ttl": TTL_SECONDS,
        "active": sum(1 for g in groups if g.is_active),
        **_try(request.GET.get("q", "")),
    }
    return render(request, "search/staff/synonyms.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def synonyms(request: HttpRequest) -> HttpResponse:
    can_edit = _viewer(request)
    if request.method != "POST":
        return _list(request, SynonymForm() if can_edit else None, can_edit)
    if not can_edit:
        raise PermissionDenied(_("只有市级公开办负责人或系统管理员可以修改同义词表。"))
    form = SynonymForm(request.POST)
    if form.is_valid():
        try:
            group = actions.synonym_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已添加同义词组：%(t)s") % {"t": group.terms})
            _warn_overlaps(request, group)
            return redirect("search:synonyms")
    return _list(request, form, can_edit, status=400)


@login_required
@require_GET
def synonym_try(request: HttpRequest) -> HttpResponse:
    """The 试一试 result alone, for htmx (the list page shows the same without script)."""
    _viewer(request)
    return render(request, "search/staff/_try.html", _try(request.GET.get("q", "")))


@login_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    group = get_object_or_404(SynonymGroup.objects.select_related("updated_by"), pk=pk)
    status = 200
    if request.method == "POST":
        form = SynonymEditForm(request.POST)
        if form.is_valid():
            try:
                group = actions.synonym_update(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已保存同义词组：%(t)s") % {"t": group.terms})
                if group.is_active:
                    _warn_overlaps(request, group)
                return redirect("search:synonyms")
        status = 400
    else:
        form = SynonymEditForm(
            initial={"terms": group.terms, "note": group.note, "is_active": group.is_active}
        )
    return render(
        request, "search/staff/synonym_form.html", {"group": group, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; only a POST deletes."""
    _editor(request)
    group = get_object_or_404(SynonymGroup.objects.select_related("updated_by"), pk=pk)
    if request.method == "POST":
        actions.synonym_delete(actor=request.user, group=group)
        messages.success(request, _("已删除同义词组：%(t)s") % {"t": group.terms})
        return redirect("search:synonyms")
    return render(request, "search/staff/synonym_delete.html", {"group": group})
