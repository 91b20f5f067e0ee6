"""Staff pages under /staff/inspection/: the city view, each unit's score card, the XLSX export
and the lists the city administrator keeps. Views stay thin: reads in queries, changes in
actions."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.catalog.models import Category
from gongkai.inspection import actions, export, queries
from gongkai.inspection.indicators import INDICATORS
from gongkai.inspection.models import ColumnKind, ColumnType, ExactName, WrongForm


def _units(request: HttpRequest) -> list:
    units = list(queries.units_for(request.user))
    if not units:
        raise PermissionDenied("您没有查看网站自查结果的权限。")
    return units


def _day(request: HttpRequest, units: list) -> datetime.date | None:
    raw = request.GET.get("day", "")
    if raw:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            messages.warning(request, "日期格式应为 YYYY-MM-DD，已显示最近一次检查。")
    return queries.latest_day(units)


def _can_configure(user) -> bool:
    root = actions.inspected_units().first()
    return root is not None and permissions.has_perm(user, "inspection.configure", root)


def _chart(trend: dict) -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "data": ["单项否决", "不合格（扣分项）", "预警"]},
        "grid": {"left": 40, "right": 16, "top": 48, "bottom": 56},
        "xAxis": {"type": "category", "data": trend["days"]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": "单项否决", "type": "line", "data": trend["vetoes"], "color": "#b00000"},
            {
                "name": "不合格（扣分项）",
                "type": "line",
                "data": trend["fails"],
                "color": "#d46b08",
            },
            {"name": "预警", "type": "line", "data": trend["warnings"], "color": "#c9a100"},
        ],
    }


@require_GET
@login_required
def city(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    day = _day(request, units)
    sort = request.GET.get("sort", "vetoes")
    rows = queries.city_rows(units, day, sort) if day else []
    trend = queries.trend(units, day) if day else {"days": []}
    return render(
        request,
        "inspection/city.html",
        {
            "rows": rows,
            "day": day,
            "sort": sort,
            "indicators": INDICATORS,
            "chart": _chart(trend) if trend["days"] else None,
            "can_configure": _can_configure(request.user),
        },
    )


@require_GET
@login_required
def scorecard(request: HttpRequest, code: str) -> HttpResponse:
    units = {u.code: u for u in _units(request)}
    unit = units.get(code)
    if unit is None:
        raise Http404("没有这个单位的自查结果。")
    day = _day(request, [unit])
    card = queries.card(unit, day) if day else None
    return render(request, "inspection/scorecard.html", {"unit": unit, "card": card, "day": day})


@require_GET
@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    day = _day(request, units)
    if day is None:
        messages.warning(request, "还没有检查结果，无法导出。")
        return redirect("inspection:city")
    data = export.workbook(queries.city_rows(units, day, "name"), day)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = quote(f"网站自查结果-{day:%Y-%m-%d}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"inspection-{day:%Y-%m-%d}.xlsx\"; filename*=UTF-8''{name}"
    )
    return response


@require_POST
@login_required
def run_now(request: HttpRequest) -> HttpResponse:
    if not _can_configure(request.user):
        raise PermissionDenied("只有市级管理员可以立即检查。")
    stored = actions.inspection_run()
    messages.success(request, f"已完成检查，共 {stored} 项结果。")
    return redirect("inspection:city")


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@require_http_methods(["GET", "POST"])
@login_required
def lists(request: HttpRequest) -> HttpResponse:
    if not _can_configure(request.user):
        raise PermissionDenied("只有市级管理员可以维护检查清单。")
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "column":
                category = Category.objects.filter(
                    pk=_int(request.POST.get("category")), is_active=True
                ).first()
                if category is None:
                    raise ValidationError("没有这个栏目。")
                actions.column_type_set(
                    actor=request.user, category=category, kind=request.POST.get("kind", "")
                )
                messages.success(request, f"已保存“{category.name}”的栏目类型。")
            elif what == "name_add":
                actions.exact_name_add(
                    actor=request.user,
                    name=request.POST.get("name", ""),
                    titles=request.POST.get("titles", ""),
                )
                messages.success(request, "已添加领导姓名职务。")
            elif what == "name_remove":
                entry = ExactName.objects.filter(pk=_int(request.POST.get("pk"))).first()
                if entry is None:
                    raise ValidationError("该条目已不存在。")
                actions.exact_name_remove(actor=request.user, entry=entry)
                messages.success(request, f"已删除“{entry.name}”。")
            elif what == "form_add":
                actions.wrong_form_add(
                    actor=request.user,
                    wrong=request.POST.get("wrong", ""),
                    correct=request.POST.get("correct", ""),
                    serious=request.POST.get("serious") == "on",
                )
                messages.success(request, "已添加错误写法。")
            elif what == "form_remove":
                entry = WrongForm.objects.filter(pk=_int(request.POST.get("pk"))).first()
                if entry is None:
                    raise ValidationError("该条目已不存在。")
                actions.wrong_form_remove(actor=request.user, entry=entry)
                messages.success(request, f"已删除“{entry.wrong}”。")
            else:
                raise ValidationError("无法识别的操作。")
        except ValidationError as exc:
            _error(request, exc)
        return redirect("inspection:lists")
    types = dict(ColumnType.objects.values_list("category_id", "kind"))
    columns = [
        {"category": c, "kind": types.get(c.pk, "")}
        for c in Category.objects.filter(is_active=True, kind="column")
        .select_related("unit", "parent")
        .order_by("unit_id", "parent_id", "sort_order", "pk")
    ]
    return render(
        request,
        "inspection/lists.html",
        {
            "columns": columns,
            "kinds": ColumnKind.choices,
            "names": ExactName.objects.all(),
            "forms": WrongForm.objects.all(),
        },
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
