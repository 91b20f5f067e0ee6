"""Staff pages under /staff/portal/: the office edits its 政府信息公开指南 text and its
政府信息公开制度 pages (permission catalog.manage_categories or reports.edit on the organ)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.models import Unit
from gongkai.portal import actions, queries
from gongkai.portal.forms import GuideForm, PageForm
from gongkai.portal.models import Page


def _unit_for(request: HttpRequest, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code, is_organ=True, is_active=True)
    if not actions.can_edit(request.user, unit):
        raise PermissionDenied(_("您没有编辑该单位政府信息公开栏目的权限。"))
    return unit


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = list(actions.editable_units(request.user))
    if not units:
        raise PermissionDenied(_("您没有编辑政府信息公开栏目的权限。"))
    rows = [
        {"unit": u, "guide": queries.guide(u), "pages": queries.pages(u).count()} for u in units
    ]
    return render(request, "portal/staff/index.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code)
    guide = queries.guide(unit)
    fields = ("office_name", *actions.GUIDE_TEXT_FIELDS)
    if request.method == "POST":
        form = GuideForm(request.POST)
        if form.is_valid():
            try:
                actions.guide_update(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("政府信息公开指南已保存。"))
                return redirect("portal:staff_index")
    else:
        form = GuideForm(initial={f: getattr(guide, f) for f in fields})
    return render(
        request, "portal/staff/guide_form.html", {"unit": unit, "form": form, "guide": guide}
    )


@login_required
@require_http_methods(["GET", "POST"])
def page_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code)
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            try:
                actions.page_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("制度页面已发布。"))
                return redirect("portal:staff_index")
    else:
        form = PageForm(initial={"sort_order": queries.pages(unit).count() * 10 + 10})
    return render(request, "portal/staff/page_form.html", {"unit": unit, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(Page.objects.select_related("unit"), pk=pk)
    unit = _unit_for(request, page.unit.code)
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            try:
                actions.page_update(actor=request.user, page=page, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("制度页面已保存。"))
                return redirect("portal:staff_index")
    else:
        form = PageForm(
            initial={"title": page.title, "body": page.body, "sort_order": page.sort_order}
        )
    return render(
        request, "portal/staff/page_form.html", {"unit": unit, "form": form, "page": page}
    )


@login_required
@require_POST
def page_delete(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(Page.objects.select_related("unit"), pk=pk)
    _unit_for(request, page.unit.code)
    actions.page_delete(actor=request.user, page=page)
    messages.success(request, _("制度页面“%(t)s”已删除。") % {"t": page.title})
    return redirect("portal:staff_index")
