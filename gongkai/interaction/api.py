"""API of interaction. Public: the published exchanges (their public versions only, never the
writer's name or contacts). Staff (bearer token): the same actions as the web pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from gongkai.accounts.models import Unit, User
from gongkai.api.auth import token_auth
from gongkai.api.schema import Input as BaseInput
from gongkai.api.schema import Page, PageSize, Year
from gongkai.interaction import actions, forms, publication, queries
from gongkai.interaction.models import CallerType, HotlineCall, Letter, LetterStatus

router = Router(tags=["interaction"])

MAX_PAGE_SIZE = 100


def _local_date(moment: datetime.datetime | None) -> str | None:
    return timezone.localdate(moment).isoformat() if moment else None


def _page(items, page: int, page_size: int) -> tuple[int, list]:
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    page = max(page, 1)
    count = items.count()
    return count, list(items[(page - 1) * page_size : page * page_size])


def _user(request: HttpRequest) -> User:
    """The member of staff the bearer token belongs to (set by TokenAuth)."""
    return request.auth  # type: ignore[attr-defined]


def _run(func: Callable[..., Any], **kwargs: Any) -> Any:
    """Call an action; its refusals become 400 and 403 answers with the message."""
    try:
        return func(**kwargs)
    except DataError as exc:  # e.g. a NUL character, which PostgreSQL text cannot hold
        raise HttpError(400, "输入含有不允许的字符") from exc
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "没有权限进行这项操作") from exc


class Input(BaseInput):
    """Bodies and query strings of the interaction API: text cleaned, and as long as the web
    forms allow."""

    limits_from = (
        forms.LetterForm,
        forms.AnswerForm,
        forms.ForwardForm,
        forms.NoteForm,
        forms.PublicationForm,
        forms.HotlineCallForm,
        forms.ReadingVisitForm,
        forms.MailboxSettingsForm,
        forms.PublicListFilter,
        Letter,
        HotlineCall,
    )


# --- public ---------------------------------------------------------------------------------


class PublicLetterOut(Schema):
    id: int
    unit: str
    unit_code: str
    subject: str
    content: str
    reply: str
    reply_unit: str
    received_date: str
    answered_date: str | None
    published_date: str | None
    attachment_url: str | None
    url: str


class PublicLetterList(Schema):
    count: int
    results: list[PublicLetterOut]


def _public(letter: Letter) -> PublicLetterOut:
    return PublicLetterOut(
        id=letter.pk,
        unit=letter.unit.name,
        unit_code=letter.unit.code,
        subject=letter.public_subject,
        content=letter.public_content,
        reply=letter.public_reply,
        reply_unit=(letter.answered_unit or letter.unit).name,
        received_date=_local_date(letter.received_at) or "",
        answered_date=_local_date(letter.answered_at),
        published_date=_local_date(letter.published_at),
        attachment_url=(
            reverse("interaction:letter_public_attachment", args=[letter.pk])
            if letter.publish_attachment
            else None
        ),
        url=reverse("interaction:letter_public", args=[letter.pk]),
    )


class PublicFilter(Input):
    unit: str = ""
    q: str = ""
    year: Year | None = None
    page: Page = 1
    page_size: PageSize = 20


@router.get(
    "/mailbox/letters", response=PublicLetterList, summary="已公开的来信及答复（不含来信人信息）"
)
def public_letters(request: HttpRequest, filters: Query[PublicFilter]) -> PublicLetterList:
    unit = None
    if filters.unit:
        unit = (
            Unit.objects.organs().filter(code=filters.unit).first()
            or Unit.objects.organs().filter(name=filters.unit).first()
        )
        if unit is None:
            raise HttpError(400, "没有这个单位")
    letters = queries.published_letters(unit=unit, year=filters.year, q=filters.q)
    count, rows = _page(letters, filters.page, filters.page_size)
    return PublicLetterList(count=count, results=[_public(letter) for letter in rows])


@router.get("/mailbox/letters/{letter_id}", response=PublicLetterOut, summary="一封已公开的来信")
def public_letter(request: HttpRequest, letter_id: int) -> PublicLetterOut:
    letter = get_object_or_404(
        Letter.objects.published().select_related("unit", "answered_unit"), pk=letter_id
    )
    return _public(letter)


# --- staff: letters -------------------------------------------------------------------------


class StaffLetterOut(Schema):
    id: int
    number: str
    unit_code: str
    status: str
    status_name: str
    writer_name: str
    writer_phone: str
    writer_email: str
    subject: str
    content: str
    has_attachment: bool
    consent_publish: bool
    received_at: datetime.datetime
    forwarded_to: str | None
    due_date: datetime.date | None
    reply: str
    answered_at: datetime.datetime | None
    public_subject: str
    public_content: str
    public_reply: str
    published_at: datetime.datetime | None


class StaffLetterList(Schema):
    count: int
    results: list[StaffLetterOut]


def _staff(letter: Letter) -> StaffLetterOut:
    return StaffLetterOut(
        id=letter.pk,
        number=letter.number,
        unit_code=letter.unit.code,
        status=letter.status,
        status_name=str(letter.get_status_display()),
        writer_name=letter.writer_name,
        writer_phone=letter.writer_phone,
        writer_email=letter.writer_email,
        subject=letter.subject,
        content=letter.content,
        has_attachment=bool(letter.attachment),
        consent_publish=letter.consent_publish,
        received_at=letter.received_at,
        forwarded_to=letter.forwarded_to.code if letter.forwarded_to else None,
        due_date=letter.due_date,
        reply=letter.reply,
        answered_at=letter.answered_at,
        public_subject=letter.public_subject,
        public_content=letter.public_content,
        public_reply=letter.public_reply,
        published_at=letter.published_at,
    )


def _staff_letter(request: HttpRequest, letter_id: int) -> Letter:
    return get_object_or_404(queries.letters_for_staff(_user(request)), pk=letter_id)


class StaffFilter(Input):
    status: str = ""
    page: Page = 1
    page_size: PageSize = 20


@router.get(
    "/mailbox/staff/letters",
    response=StaffLetterList,
    auth=token_auth,
    summary="本单位的来信（工作人员）",
)
def staff_letters(request: HttpRequest, filters: Query[StaffFilter]) -> StaffLetterList:
    letters = queries.letters_for_staff(_user(request))
    if filters.status:
        if filters.status not in LetterStatus.values:
            raise HttpError(400, f"未知状态：{filters.status}")
        letters = letters.filter(status=filters.status)
    count, rows = _page(letters, filters.page, filters.page_size)
    return StaffLetterList(count=count, results=[_staff(letter) for letter in rows])


@router.get(
    "/mailbox/staff/letters/{letter_id}",
    response=StaffLetterOut,
    auth=token_auth,
    summary="一封来信（工作人员）",
)
def staff_letter(request: HttpRequest, letter_id: int) -> StaffLetterOut:
    return _staff(_staff_letter(request, letter_id))


class ForwardIn(Input):
    unit_code: str
    workdays: int | None = None
    note: str = ""


@router.post(
    "/mailbox/staff/letters/{letter_id}/forward",
    response=StaffLetterOut,
    auth=token_auth,
    summary="转办给下属科室、站所",
)
def staff_forward(request: HttpRequest, letter_id: int, body: ForwardIn) -> StaffLetterOut:
    letter = _staff_letter(request, letter_id)
    target = Unit.objects.filter(code=body.unit_code).first()
    if target is None:
        raise HttpError(400, f"没有这个单位：{body.unit_code}")
    return _staff(
        _run(
            actions.letter_forward,
            actor=_user(request),
            letter=letter,
            to_unit=target,
            workdays=body.workdays,
            note=body.note,
        )
    )


class ReplyIn(Input):
    reply: str


@router.post(
    "/mailbox/staff/letters/{letter_id}/answer",
    response=StaffLetterOut,
    auth=token_auth,
    summary="答复来信",
)
def staff_answer(request: HttpRequest, letter_id: int, body: ReplyIn) -> StaffLetterOut:
    return _staff(
        _run(
            actions.letter_answer,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
            reply=body.reply,
        )
    )


class LetterNoteIn(Input):
    note: str = ""


@router.post(
    "/mailbox/staff/letters/{letter_id}/spam",
    response=StaffLetterOut,
    auth=token_auth,
    summary="标记为垃圾信件",
)
def staff_spam(request: HttpRequest, letter_id: int, body: LetterNoteIn) -> StaffLetterOut:
    return _staff(
        _run(
            actions.letter_mark_spam,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
            note=body.note,
        )
    )


@router.post(
    "/mailbox/staff/letters/{letter_id}/unspam",
    response=StaffLetterOut,
    auth=token_auth,
    summary="恢复为正常信件",
)
def staff_unspam(request: HttpRequest, letter_id: int) -> StaffLetterOut:
    return _staff(
        _run(
            actions.letter_unmark_spam,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
        )
    )


class RedactionFindingOut(Schema):
    kind: str
    label: str
    text: str
    severity: str


class PublicVersionOut(Schema):
    public_subject: str
    public_content: str
    public_reply: str
    findings: list[RedactionFindingOut]


@router.get(
    "/mailbox/staff/letters/{letter_id}/public-version",
    response=PublicVersionOut,
    auth=token_auth,
    summary="公开版本（已保存的或自动隐去个人信息后的建议稿）及检查结果",
)
def staff_public_version(request: HttpRequest, letter_id: int) -> PublicVersionOut:
    letter = _staff_letter(request, letter_id)
    texts = publication.proposed_public_version(letter)
    found = publication.publication_findings(letter, texts)
    return PublicVersionOut(
        **texts,
        findings=[
            RedactionFindingOut(kind=f.kind, label=f.label, text=f.text, severity=f.severity)
            for f in found
        ],
    )


class PublicationIn(Input):
    public_subject: str
    public_content: str
    public_reply: str
    publish_attachment: bool = False
    attachment_checked: bool = False


@router.post(
    "/mailbox/staff/letters/{letter_id}/request-publication",
    response=StaffLetterOut,
    auth=token_auth,
    summary="提交公开版本供领导审核",
)
def staff_request_publication(
    request: HttpRequest, letter_id: int, body: PublicationIn
) -> StaffLetterOut:
    texts = body.dict(include={"public_subject", "public_content", "public_reply"})
    return _staff(
        _run(
            actions.letter_request_publication,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
            texts=texts,
            publish_attachment=body.publish_attachment,
        )
    )


@router.post(
    "/mailbox/staff/letters/{letter_id}/publish",
    response=StaffLetterOut,
    auth=token_auth,
    summary="批准公开（领导）",
)
def staff_publish(request: HttpRequest, letter_id: int, body: PublicationIn) -> StaffLetterOut:
    texts = body.dict(include={"public_subject", "public_content", "public_reply"})
    return _staff(
        _run(
            actions.letter_publish,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
            texts=texts,
            publish_attachment=body.publish_attachment,
            attachment_checked=body.attachment_checked,
        )
    )


@router.post(
    "/mailbox/staff/letters/{letter_id}/return-publication",
    response=StaffLetterOut,
    auth=token_auth,
    summary="退回公开申请（领导）",
)
def staff_return(request: HttpRequest, letter_id: int, body: LetterNoteIn) -> StaffLetterOut:
    return _staff(
        _run(
            actions.letter_return_publication,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
            note=body.note,
        )
    )


@router.post(
    "/mailbox/staff/letters/{letter_id}/unpublish",
    response=StaffLetterOut,
    auth=token_auth,
    summary="撤销公开（领导）",
)
def staff_unpublish(request: HttpRequest, letter_id: int, body: LetterNoteIn) -> StaffLetterOut:
    return _staff(
        _run(
            actions.letter_unpublish,
            actor=_user(request),
            letter=_staff_letter(request, letter_id),
            reason=body.note,
        )
    )


# --- staff: hotline -------------------------------------------------------------------------


class CallIn(Input):
    unit_code: str
    called_at: datetime.datetime | None = None
    caller_type: str = ""
    caller_name: str = ""
    caller_contact: str = ""
    topic: str
    summary: str
    answer: str = ""
    follow_up_needed: bool = False
    follow_up_done: bool = False
    follow_up_note: str = ""
    application_number: str = ""
    letter_number: str = ""


class CallOut(Schema):
    id: int
    unit_code: str
    called_at: datetime.datetime
    caller_type: str
    topic: str
    summary: str
    answer: str
    follow_up_needed: bool
    follow_up_done: bool
    follow_up_note: str
    application_number: str
    letter_number: str | None


def _call_out(call: HotlineCall) -> CallOut:
    return CallOut(
        id=call.pk,
        unit_code=call.unit.code,
        called_at=call.called_at,
        caller_type=call.caller_type,
        topic=call.topic,
        summary=call.summary,
        answer=call.answer,
        follow_up_needed=call.follow_up_needed,
        follow_up_done=call.follow_up_done,
        follow_up_note=call.follow_up_note,
        application_number=call.application.number if call.application else "",
        letter_number=call.letter.number if call.letter else None,
    )


def _call_fields(request: HttpRequest, body: CallIn) -> tuple[Unit, dict[str, Any]]:
    unit = Unit.objects.filter(code=body.unit_code).first()
    if unit is None:
        raise HttpError(400, f"没有这个单位：{body.unit_code}")
    if body.caller_type and body.caller_type not in CallerType.values:
        raise HttpError(400, f"未知的来电人类型：{body.caller_type}")
    letter = None
    if body.letter_number:
        letter = queries.letters_for_staff(_user(request)).filter(number=body.letter_number).first()
        if letter is None:
            raise HttpError(400, f"找不到来信 {body.letter_number}")
    application = None
    if body.application_number:
        application = (
            queries.applications_for_staff(_user(request))
            .filter(number=body.application_number)
            .first()
        )
        if application is None:
            raise HttpError(400, f"找不到申请 {body.application_number}")
    fields = body.dict(exclude={"unit_code", "letter_number", "application_number", "called_at"})
    fields["called_at"] = body.called_at or timezone.now()
    fields["letter"] = letter
    fields["application"] = application
    return unit, fields


@router.get("/hotline/calls", response=list[CallOut], auth=token_auth, summary="热线来电记录")
def calls(request: HttpRequest, page: Page = 1, page_size: PageSize = 50) -> list[CallOut]:
    _count, rows = _page(queries.calls_for_staff(_user(request)), page, page_size)
    return [_call_out(call) for call in rows]


@router.post("/hotline/calls", response={201: CallOut}, auth=token_auth, summary="登记热线来电")
def call_record(request: HttpRequest, body: CallIn) -> Status:
    unit, fields = _call_fields(request, body)
    call = _run(actions.hotline_record, actor=_user(request), unit=unit, **fields)
    return Status(201, _call_out(call))


@router.put("/hotline/calls/{call_id}", response=CallOut, auth=token_auth, summary="修改来电记录")
def call_update(request: HttpRequest, call_id: int, body: CallIn) -> CallOut:
    call = get_object_or_404(queries.calls_for_staff(_user(request)), pk=call_id)
    unit, fields = _call_fields(request, body)
    return _call_out(
        _run(actions.hotline_update, actor=_user(request), call=call, unit=unit, **fields)
    )


# --- staff: reading point -------------------------------------------------------------------


class VisitIn(Input):
    unit_code: str
    visited_on: datetime.date | None = None
    visitor_name: str = ""
    visitor_contact: str = ""
    sought: str
    item_ids: list[int] = []
    other_material: str = ""
    copies_pages: int = 0
    note: str = ""


class VisitOut(Schema):
    id: int
    unit_code: str
    visited_on: datetime.date
    sought: str
    item_ids: list[int]
    other_material: str
    copies_pages: int
    staff: str | None
    note: str


def _visit_out(visit) -> VisitOut:
    return VisitOut(
        id=visit.pk,
        unit_code=visit.unit.code,
        visited_on=visit.visited_on,
        sought=visit.sought,
        item_ids=[i.pk for i in visit.items.all()],
        other_material=visit.other_material,
        copies_pages=visit.copies_pages,
        staff=visit.staff.username if visit.staff else None,
        note=visit.note,
    )


@router.get("/reading-point/visits", response=list[VisitOut], auth=token_auth, summary="查阅点登记")
def visits(request: HttpRequest, page: Page = 1, page_size: PageSize = 50) -> list[VisitOut]:
    _count, rows = _page(
        queries.visits_for_staff(_user(request)).prefetch_related("items"), page, page_size
    )
    return [_visit_out(visit) for visit in rows]


def _visit_fields(body: VisitIn) -> tuple[Unit, dict[str, Any]]:
    unit = Unit.objects.filter(code=body.unit_code).first()
    if unit is None:
        raise HttpError(400, f"没有这个单位：{body.unit_code}")
    if body.copies_pages < 0:
        raise HttpError(400, "复印页数不能为负数")
    fields = body.dict(exclude={"unit_code", "item_ids", "visited_on"})
    fields["visited_on"] = body.visited_on or timezone.localdate()
    return unit, fields


@router.post(
    "/reading-point/visits", response={201: VisitOut}, auth=token_auth, summary="登记一次查阅"
)
def visit_record(request: HttpRequest, body: VisitIn) -> Status:
    unit, fields = _visit_fields(body)
    visit = _run(
        actions.visit_record, actor=_user(request), unit=unit, items=body.item_ids, **fields
    )
    return Status(201, _visit_out(visit))


@router.put(
    "/reading-point/visits/{visit_id}", response=VisitOut, auth=token_auth, summary="修改查阅登记"
)
def visit_update(request: HttpRequest, visit_id: int, body: VisitIn) -> VisitOut:
    visit = get_object_or_404(queries.visits_for_staff(_user(request)), pk=visit_id)
    unit, fields = _visit_fields(body)
    return _visit_out(
        _run(
            actions.visit_update,
            actor=_user(request),
            visit=visit,
            unit=unit,
            items=body.item_ids,
            **fields,
        )
    )


# --- staff: mailbox settings ----------------------------------------------------------------


class MailboxSettingsIn(Input):
    is_open: bool = True
    title: str = "镇长信箱"
    handler_role: str = "leader"
    intro: str = ""


class MailboxSettingsOut(MailboxSettingsIn):
    unit_code: str


@router.put(
    "/mailbox/settings/{unit_code}",
    response=MailboxSettingsOut,
    auth=token_auth,
    summary="信箱设置（来信首先交由 leader 签发领导或 office_reviewer 公开办审核）",
)
def mailbox_settings(
    request: HttpRequest, unit_code: str, body: MailboxSettingsIn
) -> MailboxSettingsOut:
    unit = get_object_or_404(Unit.objects.organs(), code=unit_code)
    mailbox = _run(actions.mailbox_configure, actor=_user(request), unit=unit, **body.dict())
    return MailboxSettingsOut(
        unit_code=unit.code,
        is_open=mailbox.is_open,
        title=mailbox.title,
        handler_role=mailbox.handler_role,
        intro=mailbox.intro,
    )
