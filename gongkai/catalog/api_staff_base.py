"""Shared parts of the catalog's staff API (gongkai.catalog.api_staff): refusals as answers,
input checks, and the item as every endpoint returns it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError

from gongkai.accounts import permissions
from gongkai.api.schema import Input as BaseInput
from gongkai.catalog import forms as catalog_forms
from gongkai.catalog import queries, timeliness
from gongkai.catalog.models import Attachment, Item, ItemVersion, VersionState
from gongkai.catalog.publishing import PublishBlocked
from gongkai.catalog.views import capabilities, due_status, timeline
from gongkai.catalog.views_review import STEP_OF_STATE, blockers
from gongkai.catalog.workflow import TRANSITIONS, InvalidTransition

S = VersionState
P = "/staff/catalog"
MAX_ID = 2**63 - 1


# -- refusals ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    code: str
    message: str
    overridable: bool


class BlockedOut(ErrorOut):
    problems: list[ProblemOut]


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}


class Blocked(HttpError):
    """Publication refused (409), with the guard's problems."""

    def __init__(self, exc: PublishBlocked) -> None:
        super().__init__(409, "；".join(p.message for p in exc.problems))
        self.problems = exc.problems


def run_action(func: Callable[..., Any], **kwargs: Any) -> Any:
    """Call an action; its refusals become answers with the action's own message."""
    try:
        return func(**kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, _("没有权限进行这项操作。")) from exc
    except PublishBlocked as exc:
        raise Blocked(exc) from exc
    except InvalidTransition as exc:
        raise HttpError(409, "；".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    except Attachment.DoesNotExist as exc:
        raise HttpError(404, _("没有这个附件。")) from exc
    except DataError as exc:  # e.g. a value PostgreSQL cannot hold
        raise HttpError(400, _("输入含有不允许的字符或超出范围的数值。")) from exc


def valid(form: forms.Form, only: Collection[str] | None = None) -> dict[str, Any]:
    """The form's cleaned data, or a 400 naming each field in trouble. With `only`, errors of
    other fields are let pass (a partial update is not refused for a field it does not touch:
    those fields are not saved)."""
    if form.is_valid():
        return form.cleaned_data
    parts: list[str] = []
    for name, errors in form.errors.items():
        if only is not None and name != NON_FIELD_ERRORS and name not in only:
            continue
        field = form.fields.get(name)
        label = f"{field.label}：" if field is not None and field.label else ""
        parts.extend(f"{label}{message}" for message in errors)
    if not parts:
        return form.cleaned_data
    raise HttpError(400, "；".join(parts))


def require(request: HttpRequest, perm: str, item: Item) -> None:
    """Checked before the body is validated, so without the permission the answer is a 403
    whatever was sent (the action checks again)."""
    if not permissions.has_perm(request.user, perm, item.unit):
        raise HttpError(403, _("没有权限进行这项操作。"))


def get_item(request: HttpRequest, item_id: int) -> Item:
    item = queries.visible_item(request.user, item_id) if 0 < item_id <= MAX_ID else None
    if item is None:
        raise HttpError(404, _("没有这条信息。"))
    return item


def wrong_state(item: Item) -> HttpError:
    """409 for a step the item's current state does not allow (the actions' own wording)."""
    current = item.current_version()
    label = current.get_state_display() if current else _("无版本")
    return HttpError(409, _("该信息当前状态为“%(state)s”，不能进行此操作。") % {"state": label})


def expect(item: Item, action: str) -> None:
    """409 unless the item has a version from which `action` may start (workflow.TRANSITIONS),
    checked before the body so that a step at the wrong time is not answered "bad input"."""
    if not item.versions.filter(state__in=TRANSITIONS[action][0]).exists():
        raise wrong_state(item)


def choice(value: str, choices: list[tuple[str, Any]]) -> str:
    """A choice by its code or its Chinese label (涉密, 主动公开, 有效 …); unknown values pass
    through for the form to refuse."""
    value = value.strip()
    with translation.override(settings.LANGUAGE_CODE):
        for code, label in choices:
            if value in (code, str(label)):
                return code
    return value


class Input(BaseInput):
    """Bodies and query strings of the catalog API: text cleaned, and as long as the web forms
    allow (the API runs the same forms)."""

    limits_from = (
        catalog_forms.ItemForm,
        catalog_forms.ReasonForm,
        catalog_forms.SecrecyForm,
        catalog_forms.NoteForm,
        catalog_forms.SignOffForm,
        catalog_forms.ValidityForm,
        catalog_forms.ReassessForm,
        catalog_forms.CategoryForm,
        catalog_forms.ItemFilterForm,
        ItemVersion,
        Item,
        Attachment,
    )


# -- output -----------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    index_number: str | None
    title: str
    version: int
    state: str
    state_label: str
    unit: str
    unit_code: str
    organ: str
    organ_code: str
    formed_date: datetime.date | None
    document_number: str
    due_date: datetime.date | None
    due_status: str
    secrecy: str
    disclosure: str
    validity: str
    reassess_due: datetime.date | None
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    url: str


class ItemList(Schema):
    count: int
    results: list[ItemOut]


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    sha256: str
    readable: bool
    unreadable_reason: str
    needs_confirmation: bool
    confirmed_at: datetime.datetime | None
    confirm_note: str
    url: str | None


class FindingOut(Schema):
    source: str
    attachment: str | None
    kind: str
    kind_label: str
    severity: str
    text: str
    context_before: str
    context_after: str


class LinkOut(Schema):
    id: int
    index_number: str | None
    title: str


class VersionOut(Schema):
    number: int
    state: str
    state_label: str
    title: str
    summary: str
    formed_date: datetime.date | None
    document_number: str
    category: str | None
    genre: str | None
    topic: str | None
    scope: str
    keywords: str
    body: str
    legal_period_days: int | None
    legal_period_basis: str
    due_date: datetime.date | None
    due_date_problem: str
    go_live_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    secrecy_verdict: str
    secrecy_note: str
    office_note: str
    rejection_reason: str
    rejected_from: str
    checks_override_reason: str
    published_at: datetime.datetime | None
    fingerprint: str
    content_purged: bool


class HistoryOut(Schema):
    at: datetime.datetime
    who: str
    action: str
    label: str
    detail: str
    note: str


class ItemDetailOut(ItemOut):
    secrecy_label: str
    disclosure_label: str
    disclosure_reason: str
    disclosure_basis: str
    validity_label: str
    validity_date: datetime.date | None
    validity_note: str
    replaced_by: str | None
    first_published_at: datetime.datetime | None
    published_version: int | None
    withdrawn_at: datetime.datetime | None
    withdrawn_reason: str
    secret_handled_at: datetime.datetime | None
    current: VersionOut | None
    attachments: list[AttachmentOut]
    findings: list[FindingOut]
    interpretations: list[LinkOut]
    problems: list[ProblemOut]
    can: dict[str, bool]
    versions: list[VersionOut]
    history: list[HistoryOut]


def due_dates() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today, timeliness.soon_limit(today)


def row_of(
    item: Item, version: ItemVersion | None, dates: tuple[datetime.date, datetime.date]
) -> dict[str, Any]:
    """One item in a list; `dates` is (today, the last day counted as due soon)."""
    published = item.published_version
    return {
        "id": item.pk,
        "index_number": item.index_number,
        "title": version.title if version else "",
        "version": version.number if version else 0,
        "state": version.state if version else "",
        "state_label": str(version.get_state_display()) if version else "",
        "unit": item.unit.name,
        "unit_code": item.unit.code,
        "organ": item.organ.name,
        "organ_code": item.organ.code,
        "formed_date": version.formed_date if version else None,
        "document_number": version.document_number if version else "",
        "due_date": version.due_date if version else None,
        "due_status": due_status(version, *dates) if version else "",
        "secrecy": item.secrecy,
        "disclosure": item.disclosure,
        "validity": item.validity,
        "reassess_due": item.reassess_due,
        "published_at": published.published_at if published else None,
        "updated_at": version.updated_at if version else item.created_at,
        "url": reverse("catalog:item_detail", args=[item.pk]),
    }


def version_out(v: ItemVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "state": v.state,
        "state_label": str(v.get_state_display()),
        "title": v.title,
        "summary": v.summary,
        "formed_date": v.formed_date,
        "document_number": v.document_number,
        "category": v.category.code if v.category else None,
        "genre": v.genre.code if v.genre else None,
        "topic": v.topic.code if v.topic else None,
        "scope": v.scope,
        "keywords": v.keywords,
        "body": v.body,
        "legal_period_days": v.legal_period_days,
        "legal_period_basis": v.legal_period_basis,
        "due_date": v.due_date,
        "due_date_problem": v.due_date_problem,
        "go_live_at": v.go_live_at,
        "submitted_at": v.submitted_at,
        "secrecy_verdict": v.secrecy_verdict,
        "secrecy_note": v.secrecy_note,
        "office_note": v.office_note,
        "rejection_reason": v.rejection_reason,
        "rejected_from": v.rejected_from,
        "checks_override_reason": v.checks_override_reason,
        "published_at": v.published_at,
        "fingerprint": v.fingerprint,
        "content_purged": v.content_purged_at is not None,
    }


def attachment_out(item: Item, a: Attachment) -> dict[str, Any]:
    stored = bool(a.file) and a.purged_at is None
    return {
        "id": a.pk,
        "name": a.name,
        "kind": a.kind,
        "size": a.size,
        "sha256": a.sha256,
        "readable": a.readable,
        "unreadable_reason": a.unreadable_reason,
        "needs_confirmation": a.needs_confirmation,
        "confirmed_at": a.readable_confirmed_at,
        "confirm_note": a.readable_confirm_note,
        "url": reverse("api:catalog_attachment", args=[item.pk, a.pk]) if stored else None,
    }


def _link(item: Item) -> dict[str, Any]:
    version = item.published_version or item.current_version()
    return {
        "id": item.pk,
        "index_number": item.index_number,
        "title": version.title if version else "",
    }


def detail_of(request: HttpRequest, item: Item) -> dict[str, Any]:
    item = Item.objects.select_related("organ", "unit", "published_version", "replaced_by").get(
        pk=item.pk
    )
    versions = queries.versions_of(item)
    current = versions[0] if versions else None
    problems = []
    if current is not None and current.state in STEP_OF_STATE:
        problems = [
            {"code": p.code, "message": p.message, "overridable": p.overridable}
            for p in blockers(current, STEP_OF_STATE[current.state])
        ]
    findings = list(current.findings.select_related("attachment")) if current else []
    return {
        **row_of(item, current, due_dates()),
        "secrecy_label": str(item.get_secrecy_display()),
        "disclosure_label": str(item.get_disclosure_display()),
        "disclosure_reason": item.disclosure_reason,
        "disclosure_basis": item.disclosure_basis,
        "validity_label": str(item.get_validity_display()),
        "validity_date": item.validity_date,
        "validity_note": item.validity_note,
        "replaced_by": item.replaced_by.index_number if item.replaced_by else None,
        "first_published_at": item.first_published_at,
        "published_version": item.published_version.number if item.published_version else None,
        "withdrawn_at": item.withdrawn_at,
        "withdrawn_reason": item.withdrawn_reason,
        "secret_handled_at": item.secret_handled_at,
        "current": version_out(current) if current else None,
        "attachments": [attachment_out(item, a) for a in current.attachments.all()]
        if current
        else [],
        "findings": [
            {
                "source": f.source,
                "attachment": f.attachment.name if f.attachment else None,
                "kind": f.kind,
                "kind_label": f.get_kind_display(),
                "severity": f.severity,
                "text": f.text,
                "context_before": f.context_before,
                "context_after": f.context_after,
            }
            for f in findings
        ],
        "interpretations": [_link(i) for i in current.interpretations.all()] if current else [],
        "problems": problems,
        "can": capabilities(request.user, item, current),
        "versions": [version_out(v) for v in versions],
        "history": [
            {
                "at": e["at"],
                "who": e["who"] or "",
                "action": e["action"],
                "label": str(e["label"]),
                "detail": str(e["detail"]),
                "note": e["note"],
            }
            for e in timeline(item)
        ],
    }
