"""API of the annual report. Public: a published report's JSON document. Staff (bearer token):
the same actions as the web pages, with the same permissions."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.api.auth import token_auth
from gongkai.api.schema import Input as BaseInput
from gongkai.reports import actions, documents, forms, importer, queries, rollup
from gongkai.reports.models import AnnualReport

router = Router(tags=["annual reports"])


class Input(BaseInput):
    """Bodies of the annual-report API: text cleaned, and as long as the web forms allow."""

    limits_from = (
        forms.ReportForm,
        forms.AcknowledgeForm,
        forms.ReasonForm,
        forms.RedraftForm,
        forms.LegacyImportForm,
        forms.JsonImportForm,
    )


def _user(request: HttpRequest) -> Any:
    """The member of staff the bearer token belongs to (set by TokenAuth)."""
    return request.auth  # type: ignore[attr-defined]


def _run(func: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "没有权限进行这项操作") from exc


def _year(year: int) -> int:
    if not actions.FIRST_YEAR <= year <= timezone.localdate().year:
        raise HttpError(404, "没有这个年度")
    return year


@router.get("/annual-reports/{unit}/{year}", summary="已发布的年度报告（JSON，REPORT_FORMAT.md）")
def public_report(request: HttpRequest, unit: str, year: int) -> dict[str, Any]:
    organ = queries.find_organ(unit)
    version = queries.public_version(organ.code, _year(year)) if organ else None
    if version is None:
        raise HttpError(404, "该机关该年度没有已发布的报告")
    return version.document


class StaffReportOut(Schema):
    unit: str
    unit_code: str
    year: int
    state: str
    version: int | None
    blockers: list[str]
    document: dict[str, Any]


def _staff(request: HttpRequest, unit: str, year: int) -> tuple[Any, AnnualReport | None]:
    organ = queries.staff_organs(_user(request)).filter(code=unit).first()
    if organ is None:
        organ = queries.staff_organs(_user(request)).filter(name=unit).first()
    if organ is None:
        raise HttpError(404, "没有这个机关，或您无权编写它的报告")
    return organ, AnnualReport.objects.filter(unit=organ, year=_year(year)).first()


def _out(organ: Any, year: int, report: AnnualReport | None) -> StaffReportOut:
    version = report.current_version() if report and not report.is_editable else None
    if version is not None:
        doc = version.document
    else:
        try:
            doc = documents.live_document(organ, year, report, with_drafts=report is None)
        except documents.NoTables as exc:
            raise HttpError(404, "；".join(exc.messages)) from exc
    return StaffReportOut(
        unit=organ.name,
        unit_code=organ.code,
        year=year,
        state=report.state if report else "none",
        version=version.number if version else None,
        blockers=actions.blockers(report, doc) if report and report.is_editable else [],
        document=doc,
    )


def _existing(request: HttpRequest, unit: str, year: int) -> tuple[Any, AnnualReport]:
    organ, report = _staff(request, unit, year)
    if report is None:
        raise HttpError(404, "该年度的报告尚未开始编写")
    return organ, report


@router.get(
    "/staff/annual-reports/{unit}/{year}",
    response=StaffReportOut,
    auth=token_auth,
    summary="年度报告（工作人员：编写中的实时数字或已定稿的版本）",
)
def staff_report(request: HttpRequest, unit: str, year: int) -> StaffReportOut:
    organ, report = _staff(request, unit, year)
    return _out(organ, year, report)


class CreateIn(Input):
    format: str | None = None


@router.post(
    "/staff/annual-reports/{unit}/{year}",
    response={201: StaffReportOut},
    auth=token_auth,
    summary="开始编写年度报告",
)
def staff_create(request: HttpRequest, unit: str, year: int, body: CreateIn):
    organ, _report = _staff(request, unit, year)
    report = _run(
        actions.report_create, actor=_user(request), unit=organ, year=year, format=body.format
    )
    return Status(201, _out(organ, year, report))


class UpdateIn(Input):
    title: str | None = None
    sections: dict[str, str] | None = None
    entered: dict[str, dict[str, Any]] | None = None
    entered_source: str | None = None


@router.put(
    "/staff/annual-reports/{unit}/{year}",
    response=StaffReportOut,
    auth=token_auth,
    summary="修改文字和人工填报的数字",
)
def staff_update(request: HttpRequest, unit: str, year: int, body: UpdateIn) -> StaffReportOut:
    organ, report = _existing(request, unit, year)
    report = _run(actions.report_update, actor=_user(request), report=report, **body.dict())
    return _out(organ, year, report)


class RedraftIn(Input):
    section: str


@router.post(
    "/staff/annual-reports/{unit}/{year}/redraft",
    response=StaffReportOut,
    auth=token_auth,
    summary="按最新数据重新起草第一或第六部分",
)
def staff_redraft(request: HttpRequest, unit: str, year: int, body: RedraftIn) -> StaffReportOut:
    organ, report = _existing(request, unit, year)
    report = _run(actions.report_redraft, actor=_user(request), report=report, section=body.section)
    return _out(organ, year, report)


class AcknowledgeIn(Input):
    rule: str
    cell: str
    message: str
    note: str


@router.post(
    "/staff/annual-reports/{unit}/{year}/acknowledge",
    response=StaffReportOut,
    auth=token_auth,
    summary="确认一条核对提示",
)
def staff_acknowledge(
    request: HttpRequest, unit: str, year: int, body: AcknowledgeIn
) -> StaffReportOut:
    organ, report = _existing(request, unit, year)
    _run(actions.report_acknowledge, actor=_user(request), report=report, **body.dict())
    return _out(organ, year, report)


class ReportReasonIn(Input):
    reason: str


def _act(request: HttpRequest, unit: str, year: int, func: Any, **kwargs: Any) -> StaffReportOut:
    organ, report = _existing(request, unit, year)
    _run(func, actor=_user(request), report=report, **kwargs)
    report.refresh_from_db()
    return _out(organ, year, report)


@router.post(
    "/staff/annual-reports/{unit}/{year}/finalise",
    response=StaffReportOut,
    auth=token_auth,
    summary="定稿（冻结数字和文字）",
)
def staff_finalise(request: HttpRequest, unit: str, year: int) -> StaffReportOut:
    return _act(request, unit, year, actions.report_finalise)


@router.post(
    "/staff/annual-reports/{unit}/{year}/publish",
    response=StaffReportOut,
    auth=token_auth,
    summary="发布到年报栏目",
)
def staff_publish(request: HttpRequest, unit: str, year: int) -> StaffReportOut:
    return _act(request, unit, year, actions.report_publish)


@router.post(
    "/staff/annual-reports/{unit}/{year}/reopen",
    response=StaffReportOut,
    auth=token_auth,
    summary="撤销尚未发布的定稿",
)
def staff_reopen(
    request: HttpRequest, unit: str, year: int, body: ReportReasonIn
) -> StaffReportOut:
    return _act(request, unit, year, actions.report_reopen, reason=body.reason)


@router.post(
    "/staff/annual-reports/{unit}/{year}/correct",
    response=StaffReportOut,
    auth=token_auth,
    summary="开始更正已发布的报告",
)
def staff_correct(
    request: HttpRequest, unit: str, year: int, body: ReportReasonIn
) -> StaffReportOut:
    return _act(request, unit, year, actions.report_start_correction, reason=body.reason)


class ImportIn(Input):
    unit: str
    document: dict[str, Any]
    title: str = ""
    published_date: datetime.date | None = None
    reason: str = ""


@router.post(
    "/staff/annual-reports/import",
    response={201: StaffReportOut},
    auth=token_auth,
    summary="导入已有的报告（REPORT_FORMAT.md 的 JSON，或 legacy 全文）",
)
def staff_import(request: HttpRequest, body: ImportIn):
    organ = queries.staff_organs(_user(request), "reports.finalise").filter(code=body.unit).first()
    if organ is None:
        raise HttpError(404, "没有这个机关，或您无权为它导入报告")
    try:
        document = importer.read_document(json.dumps(body.document))
    except importer.DocumentError as exc:
        raise HttpError(400, str(exc)) from exc
    version = _run(
        actions.report_import,
        actor=_user(request),
        unit=organ,
        document=document,
        title=body.title,
        published_date=body.published_date,
        reason=body.reason,
    )
    return Status(201, _out(organ, version.report.year, version.report))


@router.get(
    "/staff/annual-reports/rollup/{unit}/{year}",
    auth=token_auth,
    summary="本级及下属机关已定稿报告的汇总",
)
def staff_rollup(request: HttpRequest, unit: str, year: int) -> dict[str, Any]:
    organ = queries.staff_organs(_user(request)).filter(code=unit).first()
    if organ is None:
        raise HttpError(404, "没有这个机关，或您无权查看它的汇总")
    data = rollup.build(organ, _year(year))
    return {**data.as_dict(), "checks": rollup.total_checks(data)}
