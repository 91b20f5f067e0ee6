"""Staff pages of one report: the workspace (figures, checks, actions, versions), the edit form
and the exports. Every change goes through gongkai.reports.actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.reports import (
    actions,
    checks,
    documents,
    exports,
    formats,
    queries,
)
from gongkai.reports.forms import (
    AcknowledgeForm,
    CreateForm,
    ReasonForm,
    RedraftForm,
    ReportForm,
)
from gongkai.reports.models import AnnualReport, ReportVersion


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def check_year(year: int) -> None:
    if not actions.FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404("no such year")


def organ_and_report(
    request: HttpRequest, code: str, year: int
) -> tuple[Unit, AnnualReport | None]:
    check_year(year)
    organ, report = queries.staff_report(request.user, code, year)
    if organ is None:
        # Either there is no such organ or it lies outside the user's units: the same answer.
        raise Http404("no such organ")
    return organ, report


def report_url(organ: Unit, year: int) -> str:
    return reverse("reports:report", args=[organ.code, year])


def _document(
    organ: Unit, year: int, report: AnnualReport | None
) -> tuple[dict[str, Any] | None, ReportVersion | None]:
    """What the workspace shows: the frozen version of a finalised or published report, the
    working copy with today's figures for a draft, the system's first draft without one."""
    if report is not None and not report.is_editable:
        version = report.current_version()
        if version is not None:
            return version.document, version
    if report is None and formats.default_format(year) == formats.LEGACY:
        return None, None
    return documents.live_document(organ, year, report, with_drafts=report is None), None


def _findings(report: AnnualReport | None, doc: dict[str, Any]) -> list[dict[str, Any]]:
    acked = {a.key: a for a in report.acknowledgements.select_related("by")} if report else {}
    rows = []
    for finding in doc.get("checks", []):
        ack = acked.get((finding["rule"], finding["cell"], finding["message"][:500]))
        rows.append(
            {
                **finding,
                "rule_label": checks.RULE_LABELS.get(finding["rule"], finding["rule"]),
                "ack": ack,
                "form": AcknowledgeForm(
                    initial={k: finding[k] for k in ("rule", "cell", "message")}
                ),
            }
        )
    return rows


@login_required
@require_GET
def report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = organ_and_report(request, code, year)
    doc, version = _document(organ, year, report)
    user = request.user
    title = report.title if report else documents.default_title(organ, year)
    if version is not None:
        title = version.title
    context: dict[str, Any] = {
        "organ": organ,
        "year": year,
        "report": report,
        "version": version,
        "doc": doc,
        "can_edit": permissions.has_perm(user, "reports.edit", organ),
        "can_finalise": permissions.has_perm(user, "reports.finalise", organ),
        "create_form": CreateForm(initial={"format": formats.default_format(year)}),
        "choose_format": year in (2019, 2020),
        "year_open": year >= timezone.localdate().year,
        "reason_form": ReasonForm(),
        "versions": list(report.versions.order_by("-number")) if report else [],
        "findings": _findings(report, doc) if doc else [],
        "grid": checks.summary_grid(doc)
        if doc and doc.get("format") in formats.TABLE_FORMATS
        else [],
        "blockers": actions.blockers(report, doc) if report and report.is_editable and doc else [],
        "legacy_year": formats.default_format(year) == formats.LEGACY,
    }
    if doc is not None:
        context.update(exports.context(doc, title, flag=True))
    return render(request, "reports/report.html", context)


def _run(request: HttpRequest, back: str, func: Any, success: str, **kwargs: Any) -> HttpResponse:
    try:
        func(actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, _("您没有权限进行这项操作。"))
    else:
        messages.success(request, success)
    return redirect(back)


def _existing(request: HttpRequest, code: str, year: int) -> tuple[Unit, AnnualReport]:
    organ, report = organ_and_report(request, code, year)
    if report is None:
        raise Http404("no report yet")
    return organ, report


@login_required
@require_POST
def create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, _report = organ_and_report(request, code, year)
    form = CreateForm(request.POST)
    fmt = form.cleaned_data["format"] if form.is_valid() else None
    if year not in (2019, 2020):
        fmt = None
    return _run(
        request,
        report_url(organ, year),
        actions.report_create,
        _("已开始编写报告，第一部分和第六部分已按本年度数据起草。"),
        unit=organ,
        year=year,
        format=fmt or None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = _existing(request, code, year)
    if not permissions.has_perm(request.user, "reports.edit", organ):
        raise PermissionDenied
    if not report.is_editable:
        messages.error(request, _("报告已定稿，不能修改。需要修改时请撤销定稿或办理更正。"))
        return redirect(report_url(organ, year))
    if request.method == "POST":
        form = ReportForm(request.POST, fmt=report.format)
        if form.is_valid():
            try:
                actions.report_update(
                    actor=request.user,
                    report=report,
                    title=form.cleaned_data["title"],
                    sections={k: form.cleaned_data[f"section_{k}"] for k in formats.PROSE_SECTIONS},
                    entered=form.entered(),
                    entered_source=form.cleaned_data["entered_source"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.message_dict.items():
                        name = "entered__" + key.replace(".", "__")
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(report_url(organ, year))
    else:
        form = ReportForm(initial=ReportForm.initial_for(report), fmt=report.format)
    last = AnnualReport.objects.filter(unit=organ, year=year - 1).first()
    last_version = last.current_version() if last else None
    return render(
        request,
        "reports/edit.html",
        {
            "organ": organ,
            "year": year,
            "report": report,
            "form": form,
            "entries_url": reverse("reports:entries", args=[organ.code, year]),
            "last_section_5": (
                last_version.document.get("sections", {}).get("5", "") if last_version else ""
            ),
        },
    )


@login_required
@require_POST
def redraft(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = _existing(request, code, year)
    form = RedraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("系统只起草第一部分和第六部分。"))
        return redirect(report_url(organ, year))
    section = form.cleaned_data["section"]
    return _run(
        request,
        report_url(organ, year),
        actions.report_redraft,
        _("已按最新数据重新起草“%(title)s”。") % {"title": formats.SECTION_TITLES[section]},
        report=report,
        section=section,
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = _existing(request, code, year)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return redirect(report_url(organ, year) + "#checks")
    response = _run(
        request,
        report_url(organ, year),
        actions.report_acknowledge,
        _("已确认该提示。"),
        report=report,
        **form.cleaned_data,
    )
    response["Location"] += "#checks"
    return response


@login_required
@require_POST
def finalise(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = _existing(request, code, year)
    return _run(
        request,
        report_url(organ, year),
        actions.report_finalise,
        _("报告已定稿，数字和文字已冻结。核对无误后即可发布。"),
        report=report,
    )


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = _existing(request, code, year)
    return _run(
        request,
        report_url(organ, year),
        actions.report_publish,
        _("报告已发布到“政府信息公开年报”栏目。"),
        report=report,
    )


def _with_reason(
    request: HttpRequest, code: str, year: int, func: Any, success: str
) -> HttpResponse:
    organ, report = _existing(request, code, year)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明原因。"))
        return redirect(report_url(organ, year))
    return _run(
        request,
        report_url(organ, year),
        func,
        success,
        report=report,
        reason=form.cleaned_data["reason"],
    )


@login_required
@require_POST
def reopen(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _with_reason(
        request, code, year, actions.report_reopen, _("已撤销定稿，报告可以继续修改。")
    )


@login_required
@require_POST
def correct(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _with_reason(
        request,
        code,
        year,
        actions.report_start_correction,
        _("已开始更正。更正稿定稿并发布前，网站上仍显示原报告。"),
    )


@login_required
@require_GET
def export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The report as JSON, HTML or DOCX: version ?v=N, else the current finalised version,
    else the working copy with today's figures."""
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("no such format")
    organ, report = organ_and_report(request, code, year)
    number = request.GET.get("v", "")
    version = None
    if number:
        if not number.isdigit() or report is None:
            raise Http404("no such version")
        version = report.versions.filter(number=int(number)).first()
        if version is None:
            raise Http404("no such version")
        doc, title = version.document, version.title
    else:
        doc, version = _document(organ, year, report)
        if doc is None:
            raise Http404("nothing to export")
        title = (
            version.title
            if version
            else (report.title if report else documents.default_title(organ, year))
        )
    response = HttpResponse(
        exports.render(doc, title, fmt, version), content_type=exports.CONTENT_TYPES[fmt]
    )
    name = exports.filename(organ.code, year, fmt, version.number if version else None)
    disposition = "inline" if fmt != "docx" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@require_GET
def version_view(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    organ, report = _existing(request, code, year)
    version = report.versions.filter(number=number).first()
    if version is None:
        raise Http404("no such version")
    context = {
        "organ": organ,
        "year": year,
        "report": report,
        "version": version,
        "findings": [
            {**f, "rule_label": checks.RULE_LABELS.get(f["rule"], f["rule"])}
            for f in version.document.get("checks", [])
        ],
    }
    context.update(exports.context(version.document, version.title, flag=True))
    return render(request, "reports/version.html", context)
