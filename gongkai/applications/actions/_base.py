"""What every application action shares: the transition table, permission checks, the timeline
and the audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications import deadlines
from gongkai.applications.models import Application, CaseEvent, State
from gongkai.audit.log import record, snapshot
from gongkai.lib.scan import masked_text

S = State

# action name -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "confirm_receipt": (frozenset({S.PENDING_CONFIRMATION}), S.REGISTERED),
    "discard": (frozenset({S.PENDING_CONFIRMATION}), S.DISCARDED),
    "request_correction": (frozenset({S.REGISTERED, S.PROCESSING}), S.CORRECTION),
    "receive_correction": (frozenset({S.CORRECTION}), None),  # back to registered/processing
    "correction_expired": (frozenset({S.CORRECTION}), S.CLOSED),
    "assign": (frozenset({S.REGISTERED, S.PROCESSING}), S.PROCESSING),
    "consult": (frozenset({S.REGISTERED, S.PROCESSING}), None),
    "consultation_reply": (frozenset({S.REGISTERED, S.PROCESSING, S.FEE_PENDING}), None),
    "extend": (frozenset({S.REGISTERED, S.PROCESSING, S.FEE_PENDING, S.AWAITING_SIGN_OFF}), None),
    "extend_decide": (
        frozenset({S.REGISTERED, S.PROCESSING, S.FEE_PENDING, S.AWAITING_SIGN_OFF}),
        None,
    ),
    "excessive_notice": (frozenset({S.REGISTERED, S.PROCESSING}), None),
    "excessive": (
        frozenset({S.REGISTERED, S.PROCESSING, S.FEE_PENDING, S.AWAITING_SIGN_OFF}),
        None,
    ),
    "fee_notice": (frozenset({S.REGISTERED, S.PROCESSING}), S.FEE_PENDING),
    "fee_paid": (frozenset({S.FEE_PENDING}), None),  # back to registered/processing
    "fee_expired": (frozenset({S.FEE_PENDING}), S.CLOSED),
    "draft_reply": (
        frozenset({S.REGISTERED, S.PROCESSING, S.AWAITING_SIGN_OFF}),
        S.AWAITING_SIGN_OFF,
    ),
    "sign_off": (frozenset({S.AWAITING_SIGN_OFF}), S.SIGNED),
    "return_draft": (frozenset({S.AWAITING_SIGN_OFF}), S.PROCESSING),
    "mark_replied": (frozenset({S.SIGNED}), S.REPLIED),
    "archive": (frozenset({S.REPLIED, S.CLOSED}), S.ARCHIVED),
    "withdraw": (
        frozenset(
            {
                S.REGISTERED,
                S.CORRECTION,
                S.PROCESSING,
                S.FEE_PENDING,
                S.AWAITING_SIGN_OFF,
                S.SIGNED,
            }
        ),
        S.CLOSED,
    ),
    "add_file": (
        frozenset({S.REGISTERED, S.PROCESSING, S.FEE_PENDING, S.AWAITING_SIGN_OFF}),
        None,
    ),
}

# The fields an audit row shows; applicant identity is left out on purpose (the log outlives
# the case), and the masking in audit.log covers what remains.
AUDIT_FIELDS = [
    "number",
    "organ",
    "channel",
    "received_date",
    "state",
    "applicant_type",
    "department",
    "assignee",
    "internal_due_date",
    "due_date",
    "due_provisional",
    "due_earliest",
    "deadline_override",
    "decision",
    "reply_date",
    "reply_delivery",
    "concluded_date",
    "archived_at",
]


def today() -> datetime.date:
    return timezone.localdate()


def lock(application: Application) -> Application:
    """The application's row, locked for the rest of the transaction."""
    return Application.objects.select_for_update().select_related("organ").get(pk=application.pk)


def check_transition(application: Application, action: str) -> str:
    """Raise ValidationError unless `action` may start from the application's state; return the
    state it leads to (the current one when the action keeps it)."""
    sources, target = TRANSITIONS[action]
    if application.state not in sources:
        raise ValidationError(
            _("申请 %(number)s 当前状态为“%(state)s”，不能进行此操作。")
            % {"number": application.number, "state": application.get_state_display()},
            code="invalid_transition",
        )
    return target or application.state


def require(
    actor: Any, perm: str, application: Application, *, department_ok: bool = False
) -> None:
    """Actor None is the system (jobs, imports run by the operator); views always pass a user.
    With `department_ok`, holding the permission on the assigned department is enough."""
    if actor is None:
        return
    if permissions.has_perm(actor, perm, application.organ):
        return
    if department_ok and application.department_id is not None:
        department = Unit.objects.get(pk=application.department_id)
        if permissions.has_perm(actor, perm, department):
            return
    raise PermissionDenied(
        f"{getattr(actor, 'username', 'anonymous')} lacks {perm} on application {application.pk}"
    )


def check_date(
    value: datetime.date,
    *,
    label: str,
    not_before: datetime.date | None = None,
    not_before_label: str = "",
    field: str = "date",
) -> datetime.date:
    """A business date may not be in the future nor before the event it follows."""
    if value > today():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: _("%(label)s不能早于%(other)s（%(date)s）。")
                % {"label": label, "other": not_before_label, "date": not_before.isoformat()}
            }
        )
    return value


def actor_name(actor: Any) -> str:
    if actor is None:
        return _("系统")
    return getattr(actor, "display_name", "") or getattr(actor, "username", "")


def event(
    application: Application,
    kind: str,
    summary: str,
    *,
    actor: Any = None,
    date: datetime.date | None = None,
    note: str = "",
    public: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """A history entry. `summary` may hold {name} slots for the date facts in `data`
    (gongkai.applications.history), written out when the entry is shown."""
    if public:
        # The case history the applicant sees runs the same personal-data checks as every
        # published text: a third party's number in a summary is masked.
        summary = masked_text(summary)
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        date=date or today(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name(actor),
        summary=summary[:300],
        data=data or {},
        note=note,
        public=public,
    )


def audit(
    actor: Any, action: str, application: Application, before: dict[str, Any] | None, note: str = ""
) -> None:
    record(
        actor=actor,
        action=f"applications.{action}",
        obj=application,
        unit=application.organ_id,
        before=before,
        after=snapshot(application, AUDIT_FIELDS),
        note=note,
    )


def before(application: Application) -> dict[str, Any]:
    return snapshot(application, AUDIT_FIELDS)


def refresh(application: Application) -> deadlines.DueResult:
    """Recompute the due date after an event changed it (drops cached related rows first)."""
    application._state.fields_cache.pop("fee", None)
    application._state.fields_cache.pop("correction", None)
    return deadlines.refresh_due(application)


def back_to_work_state(application: Application) -> str:
    """Where a case returns after a correction or a payment: assigned cases go on being
    processed, others wait for assignment."""
    return S.PROCESSING if application.department_id else S.REGISTERED


def due_data(application: Application) -> dict[str, Any]:
    """The {due} fact of a history entry (empty while no clock runs)."""
    from gongkai.applications.history import due_fact

    found = due_fact(application)
    return {"due": found} if found else {}


def due_text(application: Application, *, long: bool = True) -> str:
    """The reply due date in words for an e-mail: dated, and marked 暂定 with the reason while
    provisional. Only called where a clock runs, so there always is a date."""
    from gongkai.applications.history import due_fact, phrase

    found = due_fact(application)
    if found is None:
        return _("法定期限届满之日")
    return phrase(found, long=long)
