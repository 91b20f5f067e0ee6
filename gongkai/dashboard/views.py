"""The dashboard page and the CSV of each chart. Both read `unit` and `year` from the query
string; a value the user may not see, or a value that is not a year, gives a message and the
default choice, never an error page."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.dashboard import charts, scope


def _resolve(request: HttpRequest) -> tuple[scope.Scope, int, list[scope.Scope], list[str]]:
    choices = scope.choices_for(request.user)
    if not choices:
        raise PermissionDenied(_("您没有查看统计数据的权限。"))
    chosen, unit_problem = scope.pick_scope(choices, request.GET.get("unit"))
    year, year_problem = scope.pick_year(request.GET.get("year"))
    return chosen, year, choices, [p for p in (unit_problem, year_problem) if p]


def _query(chosen: scope.Scope, year: int) -> str:
    params: dict[str, str | int] = {"year": year}
    if chosen.key:
        params = {"unit": chosen.key, "year": year}
    return urlencode(params)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    chosen, year, choices, problems = _resolve(request)
    for problem in problems:
        messages.warning(request, problem)
    dashboard = charts.build(chosen, year)
    years = scope.year_choices(chosen)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    query = _query(chosen, year)
    return render(
        request,
        "dashboard/index.html",
        {
            "dashboard": dashboard,
            "choices": choices,
            "chosen": chosen,
            "year": year,
            "years": years,
            "query": query,
        },
    )


@require_GET
@login_required
def download_csv(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in charts.CHART_KEYS:
        raise Http404(_("没有这张统计图。"))
    chosen, year, _choices, problems = _resolve(request)
    if problems:
        # Download exactly what was asked or nothing: the page says what was wrong.
        return redirect(reverse("dashboard:index") + "?" + request.GET.urlencode())
    found = charts.build_one(chosen, year, chart)
    if found is None:
        raise Http404(_("没有这张统计图。"))
    response = HttpResponse(found.csv_text(), content_type="text/csv; charset=utf-8")
    name = quote(f"{found.title}-{chosen.label}-{year}.csv")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{chart}-{year}.csv\"; filename*=UTF-8''{name}"
    )
    response["Cache-Control"] = "no-store"
    return response
