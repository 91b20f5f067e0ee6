"""The audit log pages: the filtered list, one entry, and the CSV export of a filtered set."""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from gongkai.accounts import permissions
from gongkai.audit import queries
from gongkai.audit.export import csv_rows, export_filename
from gongkai.audit.labels import known_actions
from gongkai.audit.log import record
from gongkai.audit.models import AuditQuerySet

PAGE_SIZE = 50
# Shown at once; the others fold away under "更多条件" so a phone sees the results quickly.
PRIMARY_FILTERS = ("date_from", "date_to", "q")
MORE_FILTERS = ("actor", "action", "object_type", "object_id", "unit")


def _require_viewer(request: HttpRequest) -> None:
    if not permissions.has_any(request.user, queries.PERM):
        raise PermissionDenied(gettext("您没有查看审计日志的权限。"))


def _object_types() -> list[tuple[str, str]]:
    models = [m for m in apps.get_models() if m.__module__.startswith("gongkai.")]
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name)) for m in models), key=lambda pair: pair[0]
    )


def _filtered(request: HttpRequest) -> tuple[queries.AuditFilterForm, AuditQuerySet]:
    form = queries.AuditFilterForm(request.GET, user=request.user)
    form.is_valid()
    return form, form.apply(queries.visible_entries(request.user))


@require_GET
@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    form, qs = _filtered(request)
    if form.errors:
        # Each field's own message stands beside it; this one says what happened to the list.
        messages.error(request, gettext("筛选条件有误，已忽略有误的条件，请查看下方的提示。"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(form.active_filters())
    more = [form[name] for name in MORE_FILTERS]
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "primary_fields": [form[name] for name in PRIMARY_FILTERS],
            "more_fields": more,
            "more_filters_open": any(f.value() or f.errors for f in more),
            "page_obj": page,
            "entries": queries.present(page.object_list),
            "query": query,
            "filtered": bool(query),
            "export_url": reverse("audit:export") + (f"?{query}" if query else ""),
            "action_choices": known_actions(),
            "object_types": _object_types(),
        },
    )


@require_GET
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_viewer(request)
    entry = get_object_or_404(queries.visible_entries(request.user), pk=pk)
    view = queries.present_one(entry, queries.unit_names())
    history_url = ""
    if entry.object_type and entry.object_id:
        history_url = (
            reverse("audit:list")
            + "?"
            + urlencode({"object_type": entry.object_type, "object_id": entry.object_id})
        )
    return render(request, "audit/detail.html", {"e": view, "history_url": history_url})


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The filtered set as CSV, streamed row by row so a year of log needs no memory."""
    _require_viewer(request)
    form, qs = _filtered(request)
    if form.errors:
        # Export exactly what was asked or nothing: the list page shows what was wrong.
        return redirect(reverse("audit:list") + "?" + request.GET.urlencode())
    filters = form.active_filters()
    units = form.units
    chosen = next((u for u in units if str(u.pk) == filters.get("unit")), None)
    record(
        actor=request.user,
        action="audit.export",
        unit=chosen or (units[0] if units else None),
        note=gettext("导出筛选条件：%(filters)s")
        % {"filters": "；".join(f"{k}={v}" for k, v in filters.items()) or gettext("无")},
    )
    response = StreamingHttpResponse(csv_rows(qs), content_type="text/csv; charset=utf-8")
    name = export_filename(timezone.localtime())
    response["Content-Disposition"] = f"attachment; filename=\"audit.csv\"; filename*=UTF-8''{name}"
    response["Cache-Control"] = "no-store"
    return response
