"""The published report on the public site: /nianbao/<organ code>/<year>/ shows the newest
published version in the official layout; an earlier version stays at .../v<n>/, marked 更正.
The portal's 政府信息公开年报 column links here (gongkai.reports.queries.published_reports)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.reports import exports, queries
from gongkai.reports.models import ReportVersion


def _version(code: str, year: int, number: int | None = None) -> ReportVersion:
    if not 1990 <= year <= timezone.localdate().year:
        raise Http404("no such year")
    version = queries.public_version(code, year, number)
    if version is None:
        raise Http404("no published report")
    return version


def _page(request: HttpRequest, version: ReportVersion) -> HttpResponse:
    report = version.report
    newest = queries.public_version(report.unit.code, report.year)
    context = {
        "unit": report.unit,
        "report": report,
        "version": version,
        "newest": newest,
        "is_newest": newest is not None and newest.pk == version.pk,
        "history": queries.published_versions(report),
        "published_date": queries.local_date(version.published_at),
        "first_published_date": queries.local_date(report.first_published_at()),
    }
    context.update(exports.context(version.document, version.title))
    context["late_note"] = exports.late_note(version)
    return render(request, "reports/public_report.html", context)


@require_GET
def report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _page(request, _version(code, year))


@require_GET
def version(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    return _page(request, _version(code, year, number))


@require_GET
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("no such format")
    number = request.GET.get("v", "")
    if number and not number.isdigit():
        raise Http404("no such version")
    version = _version(code, year, int(number) if number else None)
    body = exports.render(version.document, version.title, fmt, version)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    name = exports.filename(code, year, fmt, version.number)
    disposition = "inline" if fmt != "docx" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
