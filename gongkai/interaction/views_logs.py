"""Staff pages for the hotline log and the reading-point log: list, filter, record, edit, CSV."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts import permissions
from gongkai.accounts.models import User
from gongkai.interaction import actions, queries
from gongkai.interaction.forms import HotlineCallForm, HotlineFilter, ReadingVisitForm, VisitFilter
from gongkai.interaction.models import HotlineCall
from gongkai.interaction.views_staff import nav_context, staff_user

PAGE_SIZE = 30


def _require_handle(request: HttpRequest) -> None:
    if not permissions.has_any(request.user, "interaction.handle"):
        raise PermissionDenied


def _day_bounds(day: datetime.date, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(
        day + datetime.timedelta(days=1) if end else day, datetime.time.min
    )
    return timezone.make_aware(moment)


def _filtered_calls(request: HttpRequest):
    units = queries.staff_units(request.user)
    form = HotlineFilter(request.GET or None, units=units)
    calls = queries.calls_for_staff(request.user).select_related(
        "letter", "application", "recorded_by"
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            calls = calls.filter(
                Q(topic__icontains=data["q"])
                | Q(summary__icontains=data["q"])
                | Q(answer__icontains=data["q"])
            )
        if data["date_from"]:
            calls = calls.filter(called_at__gte=_day_bounds(data["date_from"]))
        if data["date_to"]:
            calls = calls.filter(called_at__lt=_day_bounds(data["date_to"], end=True))
        if data["unit"]:
            calls = calls.filter(unit=data["unit"])
        follow = data["follow_up"]
        if follow == "open":
            calls = calls.filter(follow_up_needed=True, follow_up_done=False)
        elif follow == "done":
            calls = calls.filter(follow_up_done=True)
        elif follow == "none":
            calls = calls.filter(follow_up_needed=False)
    return form, calls


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def hotline_list(request: HttpRequest) -> HttpResponse:
    _require_handle(request)
    form, calls = _filtered_calls(request)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/staff/hotline_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": _query_without_page(request),
            **nav_context(request, "hotline"),
        },
    )


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel and WPS need the BOM to read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return response


@login_required
@require_GET
def hotline_export(request: HttpRequest) -> HttpResponse:
    _require_handle(request)
    _form, calls = _filtered_calls(request)
    header = [
        _("来电时间"),
        _("单位"),
        _("来电人类型"),
        _("事项"),
        _("来电内容摘要"),
        _("答复情况"),
        _("需要回访"),
        _("已回访"),
        _("回访情况"),
        _("关联申请编号"),
        _("关联来信编号"),
        _("记录人"),
    ]
    rows = (
        [
            timezone.localtime(c.called_at).strftime("%Y-%m-%d %H:%M"),
            c.unit.name,
            c.get_caller_type_display(),
            c.topic,
            c.summary,
            c.answer,
            _("是") if c.follow_up_needed else _("否"),
            _("是") if c.follow_up_done else _("否"),
            c.follow_up_note,
            c.application.number if c.application else "",
            c.letter.number if c.letter else "",
            str(c.recorded_by or ""),
        ]
        for c in calls.iterator(chunk_size=500)
    )
    return _csv_response(f"hotline-{timezone.localdate():%Y%m%d}.csv", header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def hotline_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_handle(request)
    units = queries.handling_units(request.user)
    lookups = {
        "units": units,
        "letters": queries.letters_for_staff(request.user),
        "applications": queries.applications_for_staff(request.user),
    }
    call = get_object_or_404(queries.calls_for_staff(request.user), pk=pk) if pk else None
    if request.method == "POST":
        form = HotlineCallForm(request.POST, instance=call or HotlineCall(), **lookups)
        if form.is_valid():
            fields = form.action_fields()
            try:
                if call is None:
                    call = actions.hotline_record(
                        actor=staff_user(request), unit=form.cleaned_data["unit"], **fields
                    )
                    messages.success(request, _("来电已登记。"))
                else:
                    actions.hotline_update(
                        actor=staff_user(request),
                        call=call,
                        unit=form.cleaned_data["unit"],
                        **fields,
                    )
                    messages.success(request, _("来电记录已保存。"))
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied:
                form.add_error(None, _("您没有权限登记这个单位的来电。"))
            else:
                return redirect("interaction:hotline_list")
    else:
        initial = (
            {} if call else {"called_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        form = HotlineCallForm(instance=call, initial=initial, **lookups)
    return render(
        request,
        "interaction/staff/hotline_form.html",
        {
            "form": form,
            "call": call,
            **nav_context(request, "hotline"),
        },
    )


def _filtered_visits(request: HttpRequest):
    form = VisitFilter(request.GET or None)
    visits = queries.visits_for_staff(request.user).prefetch_related("items__published_version")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            visits = visits.filter(
                Q(sought__icontains=data["q"]) | Q(other_material__icontains=data["q"])
            )
        if data["date_from"]:
            visits = visits.filter(visited_on__gte=data["date_from"])
        if data["date_to"]:
            visits = visits.filter(visited_on__lte=data["date_to"])
    return form, visits


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    _require_handle(request)
    form, visits = _filtered_visits(request)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/staff/visit_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": _query_without_page(request),
            **nav_context(request, "visits"),
        },
    )


def _item_label(item) -> str:
    version = item.published_version
    return f"{item.index_number or ''} {version.title if version else ''}".strip()


@login_required
@require_GET
def visit_export(request: HttpRequest) -> HttpResponse:
    _require_handle(request)
    _form, visits = _filtered_visits(request)
    header = [
        _("查阅日期"),
        _("单位"),
        _("查阅需求"),
        _("提供查阅的目录信息"),
        _("其他提供的材料"),
        _("复印页数"),
        _("接待人员"),
        _("备注"),
    ]
    rows = (
        [
            v.visited_on.isoformat(),
            v.unit.name,
            v.sought,
            "；".join(_item_label(i) for i in v.items.all()),
            v.other_material,
            v.copies_pages,
            str(v.staff or ""),
            v.note,
        ]
        for v in visits
    )
    return _csv_response(f"reading-point-{timezone.localdate():%Y%m%d}.csv", header, rows)


def _staff_choices(request: HttpRequest):
    units = queries.handling_units(request.user)
    return (
        User.objects.filter(is_active=True, roles__unit__in=units).distinct().order_by("username")
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_handle(request)
    units = queries.handling_units(request.user)
    visit = get_object_or_404(queries.visits_for_staff(request.user), pk=pk) if pk else None
    staff = _staff_choices(request)
    if request.method == "POST":
        form = ReadingVisitForm(request.POST, units=units, staff=staff)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if visit is None:
                    actions.visit_record(
                        actor=staff_user(request),
                        unit=data["unit"],
                        items=list(data["items"]),
                        **form.action_fields(),
                    )
                    messages.success(request, _("查阅登记已保存。"))
                else:
                    actions.visit_update(
                        actor=staff_user(request),
                        visit=visit,
                        unit=data["unit"],
                        items=list(data["items"]),
                        **form.action_fields(),
                    )
                    messages.success(request, _("查阅登记已修改。"))
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied:
                form.add_error(None, _("您没有权限登记这个单位的查阅。"))
            else:
                return redirect("interaction:visit_list")
        selected = list(
            form.items_queryset().filter(
                pk__in=[v for v in request.POST.getlist("items") if v.isdigit()]
            )
        )
    else:
        if visit is not None:
            initial = {name: getattr(visit, name) for name in ReadingVisitForm.FIELDS}
            initial["unit"] = visit.unit
            selected = list(visit.items.select_related("published_version"))
        else:
            initial = {"visited_on": timezone.localdate(), "staff": request.user, "copies_pages": 0}
            selected = []
        form = ReadingVisitForm(initial=initial, units=units, staff=staff)
    return render(
        request,
        "interaction/staff/visit_form.html",
        {
            "form": form,
            "visit": visit,
            "selected": [(i.pk, _item_label(i)) for i in selected],
            **nav_context(request, "visits"),
        },
    )


@login_required
@require_GET
def item_search(request: HttpRequest) -> HttpResponse:
    """The picker's results while typing (htmx): published catalog items matching the words."""
    _require_handle(request)
    from gongkai.catalog.models import Item

    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    results = []
    if q:
        results = list(
            Item.objects.published()
            .select_related("published_version", "organ")
            .filter(
                Q(published_version__title__icontains=q)
                | Q(index_number__icontains=q)
                | Q(published_version__document_number__icontains=q)
            )
            .order_by("-first_published_at")[:10]
        )
    return render(
        request,
        "interaction/staff/_item_results.html",
        {
            "q": q,
            "results": [(i.pk, _item_label(i), i.organ.short_name) for i in results],
        },
    )


@login_required
@require_GET
def item_chosen(request: HttpRequest, pk: int) -> HttpResponse:
    """One chosen item as a ticked box for the visit form (htmx appends it to the list)."""
    _require_handle(request)
    from gongkai.catalog.models import Item

    item = get_object_or_404(Item.objects.published().select_related("published_version"), pk=pk)
    return render(
        request, "interaction/staff/_item_chosen.html", {"pk": item.pk, "label": _item_label(item)}
    )
