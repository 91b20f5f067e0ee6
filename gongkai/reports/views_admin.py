"""Staff pages across reports: the list of organs and years, importing earlier reports, and the
city roll-up (page and JSON)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts import permissions
from gongkai.reports import actions, exports, importer, queries, rollup
from gongkai.reports.forms import JsonImportForm, LegacyImportForm, PageImportForm
from gongkai.reports.models import AnnualReport
from gongkai.reports.views import check_year, error_text, report_url


def _require_any(request: HttpRequest, perm: str = "reports.edit") -> None:
    if not permissions.has_any(request.user, perm):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    organs = list(queries.staff_organs(request.user))
    years = queries.recent_years()
    found = queries.reports_by_organ(organs, years)
    older: dict[int, list[int]] = {}
    for unit_id, year in (
        AnnualReport.objects.filter(unit__in=organs, year__lt=min(years))
        .order_by("-year")
        .values_list("unit_id", "year")
    ):
        older.setdefault(unit_id, []).append(year)
    paths = [o.path for o in organs]
    rows = []
    for organ in organs:
        cells = []
        for year in years:
            report = found.get((organ.pk, year))
            cells.append({"year": year, "report": report, "url": report_url(organ, year)})
        has_below = any(p != organ.path and p.startswith(organ.path) for p in paths)
        earlier = [{"year": y, "url": report_url(organ, y)} for y in older.get(organ.pk, [])]
        rows.append({"organ": organ, "cells": cells, "rollup": has_below, "earlier": earlier})
    return render(
        request,
        "reports/index.html",
        {
            "rows": rows,
            "years": years,
            "can_import": permissions.has_any(request.user, "reports.finalise"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    _require_any(request, "reports.finalise")
    organs = queries.staff_organs(request.user, "reports.finalise")
    kind = request.POST.get("kind") if request.method == "POST" else None
    legacy_form = LegacyImportForm(
        request.POST if kind == "legacy" else None, organs=organs, prefix="legacy"
    )
    json_form = JsonImportForm(
        request.POST if kind == "json" else None,
        request.FILES if kind == "json" else None,
        organs=organs,
        prefix="json",
    )
    page_form = PageImportForm(
        request.POST if kind == "page" else None,
        request.FILES if kind == "page" else None,
        organs=organs,
        prefix="page",
    )
    form = {"legacy": legacy_form, "json": json_form, "page": page_form}.get(kind or "")
    if form is not None and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            if kind == "page":
                version, parsed = actions.import_page(
                    actor=request.user,
                    unit=unit,
                    year=form.cleaned_data["year"],
                    data=form.cleaned_data["file"],
                    reason=form.cleaned_data["reason"],
                )
                for problem in parsed.problems[:10]:
                    messages.warning(request, problem)
            elif kind == "legacy":
                version = actions.import_legacy_text(
                    actor=request.user,
                    unit=unit,
                    raw=form.cleaned_data["text"],
                    year=form.cleaned_data["year"],
                )
            else:
                document = importer.read_document(form.cleaned_data["file"])
                version = actions.report_import(
                    actor=request.user,
                    unit=unit,
                    document=document,
                    title=form.cleaned_data["title"],
                    published_date=form.cleaned_data["published_date"],
                    reason=form.cleaned_data["reason"],
                )
        except importer.DocumentError as exc:
            form.add_error(None, _("文件有 %(n)s 处问题：") % {"n": len(exc.problems)})
            for problem in exc.problems[:30]:
                form.add_error(None, problem)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        except PermissionDenied:
            form.add_error(None, _("您没有权限为该机关导入报告。"))
        else:
            messages.success(
                request,
                _("已导入并发布《%(title)s》。") % {"title": version.title},
            )
            return redirect(report_url(unit, version.report.year))
    return render(
        request,
        "reports/import.html",
        {"legacy_form": legacy_form, "json_form": json_form, "page_form": page_form, "kind": kind},
    )


def _rollup_for(request: HttpRequest, code: str, year: int) -> rollup.Rollup:
    check_year(year)
    organ = queries.staff_organs(request.user).filter(code=code).first()
    if organ is None:
        raise Http404("no such organ")
    return rollup.build(organ, year)


@login_required
@require_GET
def rollup_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    data = _rollup_for(request, code, year)
    context = {
        "rollup": data,
        "organ": data.unit,
        "year": year,
        "years": queries.recent_years(6),
        "key_figures": [(key, label) for key, label, _read in rollup.KEY_FIGURES],
        "compare_rows": [
            (row.unit, [row.figures[key] for key, _l, _r in rollup.KEY_FIGURES])
            for row in data.counted
        ],
        "compare_totals": list(rollup.key_totals(data).values()),
        "total_checks": rollup.total_checks(data),
        "today": timezone.localdate(),
    }
    if data.totals is not None:
        doc = {"unit": data.unit.name, "year": year, "format": data.format, **data.totals}
        context.update(exports.context(doc, ""))
    return render(request, "reports/rollup.html", context)


@login_required
@require_GET
def rollup_json(request: HttpRequest, code: str, year: int) -> HttpResponse:
    data = _rollup_for(request, code, year)
    body = data.as_dict()
    body["checks"] = rollup.total_checks(data)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
