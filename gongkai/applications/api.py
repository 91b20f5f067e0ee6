"""API of 依申请公开 for staff (Authorization: Bearer <token>): the cases a user may see, and the
same steps as the case page, through the same functions (actions and casework), so a rule and
its letter never depend on whether a clerk clicked or a system called.

Refusals: 400 with the action's message (field messages joined), 403 without the permission,
404 for a case the user may not see (another township's case does not exist for them)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from django import forms as django_forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field, WithJsonSchema

from gongkai.accounts.models import Unit, User
from gongkai.api.auth import token_auth
from gongkai.api.schema import Input as BaseInput
from gongkai.api.schema import Page
from gongkai.applications import (
    actions,
    casework,
    deadlines,
    forms,
    forms_case,
    history,
    letters,
    queries,
)
from gongkai.applications.actions.intake import APPLICANT_FIELDS, REQUEST_FIELDS
from gongkai.applications.forms import CASE_FILE_KINDS, case_file_max_mb, check_upload
from gongkai.applications.models import Application, Consultation, Extension, Letter, Remedy

router = Router(tags=["applications"], auth=token_auth)

MAX_PAGE_SIZE = 100
QUEUES = {
    "awaiting_confirmation",
    "correction",
    "consultation",
    "due_soon",
    "overdue",
    "sign_off",
    "extensions",
    "provisional",
    "calendar_missing",  # the old name of "provisional"
    "open",
}


def _run(func: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "没有权限进行这项操作") from exc


def _case(request: HttpRequest, case_id: int) -> Application:
    app = queries.get_visible(request.user, case_id)
    if app is None:
        raise HttpError(404, "没有这件申请")
    return app


class Input(BaseInput):
    """Bodies and query strings of the applications API: text cleaned, and as long as the web
    forms (then the models) allow."""

    limits_from = (
        forms.RegisterForm,
        *(
            form
            for form in vars(forms_case).values()
            if isinstance(form, type) and issubclass(form, django_forms.BaseForm)
        ),
        Application,
        Consultation,
        Extension,
        Remedy,
    )


# -- output -----------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str
    organ: str
    organ_code: str
    state: str
    state_label: str
    channel: str
    submitted_at: datetime.datetime
    received_date: datetime.date | None
    applicant_type: str
    applicant_name: str
    description: str
    document_number: str
    provide_form: str
    delivery: str
    department: str | None
    assignee: str | None
    internal_due_date: datetime.date | None
    due_date: datetime.date | None
    due_problem: str  # always empty since due dates are provisional instead (kept for clients)
    due_provisional: bool
    due_earliest: datetime.date | None
    deadline_status: str
    decision: str
    decision_label: str
    legal_basis: str
    reasons: str
    reply_date: datetime.date | None
    concluded_date: datetime.date | None
    url: str


class EventOut(Schema):
    date: datetime.date
    kind: str
    summary: str
    note: str
    actor: str
    public: bool


class LetterOut(Schema):
    id: int
    kind: str
    title: str
    issued_date: datetime.date
    reference: str
    docx_url: str


class ConsultationOut(Schema):
    id: int
    party: str
    party_name: str
    sent_date: datetime.date
    delivery: str
    delivered_date: datetime.date | None
    due_date: datetime.date | None
    reply_date: datetime.date | None
    opinion: str
    closed_date: datetime.date | None


class ExtensionOut(Schema):
    id: int
    days: int
    reason: str
    status: str


class CaseDetailOut(CaseOut):
    phone: str
    email: str
    address: str
    events: list[EventOut]
    letters: list[LetterOut]
    consultations: list[ConsultationOut]
    extensions: list[ExtensionOut]


class CaseList(Schema):
    count: int
    results: list[CaseOut]


def _out(app: Application) -> dict[str, Any]:
    return {
        "id": app.pk,
        "number": app.number,
        "organ": app.organ.name,
        "organ_code": app.organ.code,
        "state": app.state,
        "state_label": str(app.get_state_display()),
        "channel": app.channel,
        "submitted_at": app.submitted_at,
        "received_date": app.received_date,
        "applicant_type": app.applicant_type,
        "applicant_name": app.applicant_name,
        "description": app.description,
        "document_number": app.document_number,
        "provide_form": app.provide_form,
        "delivery": app.delivery,
        "department": app.department.code if app.department else None,
        "assignee": app.assignee.username if app.assignee else None,
        "internal_due_date": app.internal_due_date,
        "due_date": app.due_date,
        "due_problem": "",
        "due_provisional": app.due_provisional,
        "due_earliest": app.due_earliest,
        "deadline_status": deadlines.deadline_status(app),
        "decision": app.decision,
        "decision_label": str(app.get_decision_display()) if app.decision else "",
        "legal_basis": app.legal_basis,
        "reasons": app.reasons,
        "reply_date": app.reply_date,
        "concluded_date": app.concluded_date,
        "url": reverse("applications:detail", args=[app.pk]),
    }


def _detail(app: Application) -> dict[str, Any]:
    app = Application.objects.select_related("organ", "department", "assignee").get(pk=app.pk)
    return {
        **_out(app),
        "phone": app.phone,
        "email": app.email,
        "address": app.address,
        "events": [
            {
                "date": e.date,
                "kind": e.kind,
                "summary": e.text_shown,
                "note": e.note,
                "actor": e.actor_name,
                "public": e.public,
            }
            for e in history.render_events(app.events.all())
        ],
        "letters": [
            {
                "id": letter.pk,
                "kind": letter.kind,
                "title": letter.title or str(letter.get_kind_display()),
                "issued_date": letter.issued_date,
                "reference": letter.reference,
                "docx_url": reverse("api:application_letter_docx", args=[app.pk, letter.pk]),
            }
            for letter in app.letters.all()
        ],
        "consultations": list(
            app.consultations.values(
                "id", "party", "party_name", "sent_date", "delivery", "delivered_date", "due_date",
                "reply_date", "opinion", "closed_date",
            )
        ),
        "extensions": list(app.extensions.values("id", "days", "reason", "status")),
    }  # fmt: skip


# -- reading ----------------------------------------------------------------------------------


class CaseFilter(Input):
    queue: str = ""
    state: str = ""
    q: str = ""
    organ: str = ""
    page: Page = 1
    page_size: int = 20


@router.get("/applications", response=CaseList, summary="工作人员可见的政府信息公开申请")
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    from gongkai.applications.views_staff import queue_queryset

    if filters.queue and filters.queue not in QUEUES:
        raise HttpError(400, "没有这个队列：" + ", ".join(sorted(QUEUES)))
    cases = queue_queryset(request.user, filters.queue)
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.organ:
        cases = cases.filter(organ__code=filters.organ)
    if filters.q:
        cases = cases.filter(
            Q(number__icontains=filters.q) | Q(applicant_name__icontains=filters.q)
        )
    cases = cases.select_related("organ", "department", "assignee").order_by("-submitted_at", "-id")
    size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
    page = max(filters.page, 1)
    rows = cases[(page - 1) * size : page * size]
    return {"count": cases.count(), "results": [_out(a) for a in rows]}


@router.get("/applications/{case_id}", response=CaseDetailOut, summary="一件申请")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _detail(_case(request, case_id))


@router.get(
    "/applications/{case_id}/letters/{letter_id}/docx",
    url_name="application_letter_docx",
    summary="下载一份文书（DOCX）",
)
def letter_docx(request: HttpRequest, case_id: int, letter_id: int) -> FileResponse:
    app = _case(request, case_id)
    letter = get_object_or_404(Letter, pk=letter_id, application=app)
    if not letter.file:
        raise HttpError(404, "该文书没有文件")
    name = letters.docx_name(app, letter.title or str(letter.get_kind_display()))
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=name)


# -- registering --------------------------------------------------------------------------------


class RegisterIn(Input):
    organ: str
    channel: str
    received_date: datetime.date | None = None
    applicant_type: str
    applicant_name: str
    id_doc_type: str = ""
    id_doc_number: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    description: str
    document_number: str = ""
    provide_form: str = "paper"
    delivery: str = "mail"


class RegisteredOut(Schema):
    case: CaseDetailOut
    query_code: str


@router.post("/applications", response={201: RegisteredOut}, summary="登记收到的申请")
def register(request: HttpRequest, body: RegisterIn) -> Status:
    organ = Unit.objects.organs().filter(code=body.organ).first()
    if organ is None:
        raise HttpError(400, "没有这个受理机关")
    data = body.dict()
    fields = {k: data[k] for k in APPLICANT_FIELDS + REQUEST_FIELDS}
    receipt = _run(
        casework.register,
        actor=request.user,
        organ=organ,
        channel=body.channel,
        received_date=body.received_date,
        **fields,
    )
    return Status(201, {"case": _detail(receipt.application), "query_code": receipt.query_code})


# -- steps --------------------------------------------------------------------------------------


class DateIn(Input):
    date: datetime.date | None = None


class CaseReasonIn(Input):
    reason: str


class CorrectionIn(Input):
    items: str
    period_end: datetime.date
    notice_date: datetime.date | None = None


class CorrectionReceivedIn(Input):
    received_date: datetime.date
    corrected_description: str = ""
    late_reason: str = ""


class AssignIn(Input):
    department: str
    assignee: str = ""
    internal_due_date: datetime.date | None = None


class ConsultIn(Input):
    party: str
    party_name: str
    party_contact: str = ""
    question: str = ""
    sent_date: datetime.date | None = None
    delivery: str = "mail"  # in_person, email, fax or mail (条例32: 15 WD from delivery)
    delivered_date: datetime.date | None = None


class ConsultReplyIn(Input):
    reply_date: datetime.date
    opinion: str
    opinion_text: str = ""


class ExtendIn(Input):
    days: int
    reason: str


class DecisionIn(Input):
    approve: bool
    note: str = ""
    reference: str = ""


class ExcessiveNoticeIn(Input):
    notice_date: datetime.date | None = None


class ExcessiveAnswerIn(Input):
    outcome: str  # no_reason | holds
    answer: str = ""
    new_due_date: datetime.date | None = None
    reason: str = ""


class ExcessiveIn(Input):
    new_due_date: datetime.date
    reason: str


class FeeIn(Input):
    method: str
    quantity: int | None = None
    notice_date: datetime.date | None = None
    # Only to depart from the schedule, with override_reason; documented as a number (pydantic
    # would also offer an unbounded string form of a Decimal).
    amount: Annotated[
        Decimal | None,
        Field(ge=0, max_digits=10, decimal_places=2),
        WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]}),
    ] = None
    override_reason: str = ""


class PaidIn(Input):
    paid_date: datetime.date


class ReplyDraftIn(Input):
    decision: str
    legal_basis: str
    reasons: str = ""
    not_held: str = ""
    other_organ: str = ""
    referral: str = ""


class RepliedIn(Input):
    reply_date: datetime.date
    delivery: str
    note: str = ""


class WithdrawIn(Input):
    withdrawal_date: datetime.date
    reason: str = ""


class RemedyIn(Input):
    kind: str
    filed_date: datetime.date
    body: str = ""
    case_number: str = ""
    note: str = ""


def _step(request: HttpRequest, case_id: int, func: Callable[..., Any], **kwargs: Any):
    app = _case(request, case_id)
    _run(func, actor=request.user, application=app, **kwargs)
    return _detail(app)


@router.post("/applications/{case_id}/confirm-receipt", response=CaseDetailOut, summary="确认收到")
def confirm_receipt(request: HttpRequest, case_id: int, body: DateIn) -> dict[str, Any]:
    return _step(request, case_id, casework.confirm_receipt, confirmed_date=body.date)


@router.post("/applications/{case_id}/discard", response=CaseDetailOut, summary="不予登记")
def discard(request: HttpRequest, case_id: int, body: CaseReasonIn) -> dict[str, Any]:
    return _step(request, case_id, actions.application_discard, reason=body.reason)


@router.post("/applications/{case_id}/correction", response=CaseDetailOut, summary="补正通知")
def correction(request: HttpRequest, case_id: int, body: CorrectionIn) -> dict[str, Any]:
    return _step(request, case_id, casework.request_correction, **body.dict())


@router.post(
    "/applications/{case_id}/correction/received", response=CaseDetailOut, summary="收到补正"
)
def correction_received(
    request: HttpRequest, case_id: int, body: CorrectionReceivedIn
) -> dict[str, Any]:
    return _step(request, case_id, actions.application_receive_correction, **body.dict())


@router.post("/applications/{case_id}/assign", response=CaseDetailOut, summary="交办")
def assign(request: HttpRequest, case_id: int, body: AssignIn) -> dict[str, Any]:
    app = _case(request, case_id)
    department = Unit.objects.filter(code=body.department).first()
    if department is None:
        raise HttpError(400, "没有这个承办单位")
    assignee = None
    if body.assignee:
        assignee = User.objects.filter(username=body.assignee, is_active=True).first()
        if assignee is None:
            raise HttpError(400, "没有这个承办人")
    return _step(
        request,
        app.pk,
        actions.application_assign,
        department=department,
        assignee=assignee,
        internal_due_date=body.internal_due_date,
    )


@router.post("/applications/{case_id}/consultations", response=CaseDetailOut, summary="征求意见")
def consult(request: HttpRequest, case_id: int, body: ConsultIn) -> dict[str, Any]:
    return _step(request, case_id, casework.consult, **body.dict())


@router.post(
    "/applications/{case_id}/consultations/{consultation_id}/reply",
    response=CaseDetailOut,
    summary="登记对方意见",
)
def consultation_reply(
    request: HttpRequest, case_id: int, consultation_id: int, body: ConsultReplyIn
) -> dict[str, Any]:
    app, consultation = _consultation(request, case_id, consultation_id)
    _run(
        actions.application_consultation_reply,
        actor=request.user,
        consultation=consultation,
        **body.dict(),
    )
    return _detail(app)


def _consultation(
    request: HttpRequest, case_id: int, consultation_id: int
) -> tuple[Application, Consultation]:
    app = _case(request, case_id)
    consultation = app.consultations.filter(pk=consultation_id).first()
    if consultation is None:
        raise HttpError(404, "没有这次征求意见")
    return app, consultation


class DeliveredIn(Input):
    delivered_date: datetime.date


@router.post(
    "/applications/{case_id}/consultations/{consultation_id}/delivered",
    response=CaseDetailOut,
    summary="登记征求意见函送达日期",
)
def consultation_delivered(
    request: HttpRequest, case_id: int, consultation_id: int, body: DeliveredIn
) -> dict[str, Any]:
    app, consultation = _consultation(request, case_id, consultation_id)
    _run(
        actions.application_consultation_delivered,
        actor=request.user,
        consultation=consultation,
        **body.dict(),
    )
    return _detail(app)


@router.post("/applications/{case_id}/extension", response=CaseDetailOut, summary="申请延期")
def extend(request: HttpRequest, case_id: int, body: ExtendIn) -> dict[str, Any]:
    return _step(request, case_id, actions.application_extend, days=body.days, reason=body.reason)


@router.post(
    "/applications/{case_id}/extension/decision", response=CaseDetailOut, summary="审批延期"
)
def extension_decision(request: HttpRequest, case_id: int, body: DecisionIn) -> dict[str, Any]:
    app = _case(request, case_id)
    extension = app.extensions.filter(status=Extension.Status.REQUESTED).first()
    if extension is None:
        raise HttpError(400, "没有待批准的延期申请")
    _run(
        casework.decide_extension,
        actor=request.user,
        extension=extension,
        approve=body.approve,
        note=body.note,
    )
    return _detail(app)


@router.post(
    "/applications/{case_id}/excessive/notice",
    response=CaseDetailOut,
    summary="要求说明理由（条例第三十五条）",
)
def excessive_notice(request: HttpRequest, case_id: int, body: ExcessiveNoticeIn) -> dict[str, Any]:
    return _step(request, case_id, casework.excessive_notice, **body.dict())


@router.post(
    "/applications/{case_id}/excessive/answer",
    response=CaseDetailOut,
    summary="审查申请理由（条例第三十五条）",
)
def excessive_answer(request: HttpRequest, case_id: int, body: ExcessiveAnswerIn) -> dict[str, Any]:
    return _step(request, case_id, casework.excessive_answer, **body.dict())


@router.post(
    "/applications/{case_id}/excessive",
    response=CaseDetailOut,
    summary="确定延迟答复期限（条例第三十五条）",
)
def excessive(request: HttpRequest, case_id: int, body: ExcessiveIn) -> dict[str, Any]:
    return _step(request, case_id, casework.excessive, **body.dict())


@router.post("/applications/{case_id}/fee", response=CaseDetailOut, summary="收费通知")
def fee(request: HttpRequest, case_id: int, body: FeeIn) -> dict[str, Any]:
    return _step(request, case_id, casework.fee_notice, **body.dict())


@router.post("/applications/{case_id}/fee/paid", response=CaseDetailOut, summary="登记缴费")
def fee_paid(request: HttpRequest, case_id: int, body: PaidIn) -> dict[str, Any]:
    return _step(request, case_id, actions.application_fee_paid, paid_date=body.paid_date)


@router.post("/applications/{case_id}/files", response=CaseDetailOut, summary="添加文件")
def add_file(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    purpose: Form[str] = "provided",
    redacted: Form[bool] = False,
) -> dict[str, Any]:
    try:
        checked = check_upload(file, kinds=CASE_FILE_KINDS, max_mb=case_file_max_mb())
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    return _step(
        request,
        case_id,
        actions.application_add_file,
        file=checked,
        purpose=purpose,
        redacted=redacted,
    )


@router.post("/applications/{case_id}/reply", response=CaseDetailOut, summary="拟定答复")
def draft_reply(request: HttpRequest, case_id: int, body: ReplyDraftIn) -> dict[str, Any]:
    return _step(request, case_id, actions.application_draft_reply, **body.dict())


@router.post("/applications/{case_id}/sign-off", response=CaseDetailOut, summary="领导签发或退回")
def sign_off(request: HttpRequest, case_id: int, body: DecisionIn) -> dict[str, Any]:
    return _step(request, case_id, casework.sign_off, **body.dict())


@router.post("/applications/{case_id}/replied", response=CaseDetailOut, summary="登记答复送达")
def replied(request: HttpRequest, case_id: int, body: RepliedIn) -> dict[str, Any]:
    return _step(request, case_id, actions.application_mark_replied, **body.dict())


@router.post("/applications/{case_id}/withdraw", response=CaseDetailOut, summary="申请人撤回")
def withdraw(request: HttpRequest, case_id: int, body: WithdrawIn) -> dict[str, Any]:
    return _step(request, case_id, actions.application_withdraw, **body.dict())


@router.post("/applications/{case_id}/archive", response=CaseDetailOut, summary="归档")
def archive(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _step(request, case_id, actions.application_archive)


@router.post(
    "/applications/{case_id}/remedies", response=CaseDetailOut, summary="登记行政复议或诉讼"
)
def remedy(request: HttpRequest, case_id: int, body: RemedyIn) -> dict[str, Any]:
    app = _case(request, case_id)
    _run(actions.remedy_record, actor=request.user, organ=app.organ, application=app, **body.dict())
    return _detail(app)
