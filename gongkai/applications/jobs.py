"""Background jobs of 依申请公开. Each derives its work from the database, so a worker that was
stopped catches up on its first run, and each is idempotent.

- `applications.expire`: corrections and fee notices whose period ran out close the case
  (3.6.1 / 3.6.2); consultations whose 15 WD ran out end (another organ's silence is consent).
- `applications.reminders`: due-soon and overdue reminders by e-mail to the assignee and the
  office, once per case, threshold and due date (the `Reminder` rows remember what was sent).
  While a due date is provisional they fire on the earliest date the holiday notice could make
  it (conservative), and say so.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role, RoleAssignment
from gongkai.applications import deadlines
from gongkai.applications.actions import (
    application_correction_expired,
    application_fee_expired,
    consultation_timeout,
)
from gongkai.applications.models import (
    Application,
    Consultation,
    Correction,
    Fee,
    Reminder,
    State,
)
from gongkai.core.jobs import job
from gongkai.core.mail import enqueue_email
from gongkai.workdays.calendar import WorkCalendar

logger = logging.getLogger(__name__)

# Who hears about a case besides its assignee: the organ's disclosure office.
OFFICE_ROLES = (Role.OFFICE_REVIEWER, Role.OFFICE_HEAD)


@job("applications.expire", every_seconds=600)
def expire(today: datetime.date | None = None) -> int:
    """Close what ran out. Returns how many cases or consultations changed."""
    today = today or timezone.localdate()
    changed = 0
    corrections = Correction.objects.filter(
        application__state=State.CORRECTION, received_date__isnull=True, period_end__lt=today
    ).select_related("application")
    for correction in corrections:
        changed += (
            application_correction_expired(application=correction.application, today=today)
            is not None
        )
    fees = Fee.objects.filter(
        application__state=State.FEE_PENDING, paid_date__isnull=True, payment_due__lt=today
    ).select_related("application")
    for fee in fees:
        changed += application_fee_expired(application=fee.application, today=today) is not None
    consultations = Consultation.objects.filter(closed_date__isnull=True)
    for consultation in consultations.select_related("application"):
        if consultation.due_date is not None and consultation.due_date >= today:
            continue
        changed += consultation_timeout(consultation=consultation, today=today) is not None
    return changed


def office_emails(application: Application) -> list[str]:
    """E-mail addresses of the organ's disclosure office (reviewers and the office head)."""
    return list(
        RoleAssignment.objects.filter(
            unit_id=application.organ_id, role__in=OFFICE_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


def _remind(app: Application, kind: str, key_date: datetime.date, subject: str, body: str) -> bool:
    """Send one reminder unless it was sent before; the Reminder row and the e-mail are written
    in one transaction, so a crash loses or repeats nothing."""
    assignee = app.assignee
    recipients = sorted(
        set(office_emails(app)) | ({assignee.email} if assignee and assignee.email else set())
    )
    try:
        with transaction.atomic():
            Reminder.objects.create(
                application=app, kind=kind, due_date=key_date, recipients=recipients
            )
            enqueue_email(to=recipients, subject=subject, body=body)
    except IntegrityError:
        return False
    return True


@job("applications.reminders", every_seconds=900)
def reminders(today: datetime.date | None = None) -> int:
    """Due-soon / overdue reminders. Returns how many were sent."""
    today = today or timezone.localdate()
    cal = WorkCalendar()
    sent = 0
    # Rows left without a date (written before provisional dates existed): compute them now.
    for app in Application.objects.with_clock().filter(due_date__isnull=True):
        deadlines.refresh_due(app, cal)
    cases = Application.objects.with_clock().select_related("organ", "assignee")
    for app in cases.filter(due_date__isnull=False):
        due = app.due_alarm
        if due is None:
            continue
        status = deadlines.status_for(due, today=today, calendar=cal)
        if status not in ("due_soon", "overdue"):
            continue
        kind = Reminder.Kind.OVERDUE if status == "overdue" else Reminder.Kind.DUE_SOON
        if kind == Reminder.Kind.DUE_SOON:
            subject = _("【即将到期】政府信息公开申请 %(number)s 应于 %(due)s 前答复")
        else:
            subject = _("【已超期】政府信息公开申请 %(number)s 答复期限 %(due)s 已过")
        params = {"number": app.number, "due": due.isoformat()}
        body = _(
            "申请编号：%(number)s\n受理机关：%(organ)s\n状态：%(state)s\n答复期限：%(due)s\n"
            "承办：%(who)s\n\n请及时办理。"
        ) % {
            **params,
            "organ": app.organ.name,
            "state": app.get_state_display(),
            "who": app.assignee.display_name if app.assignee else _("尚未指定"),
        }
        if app.due_provisional and app.due_date != due:
            body += _(
                "\n\n答复期限暂定为 %(provisional)s（该年节假日安排尚未公布）；"
                "本提醒从严按安排公布后最早可能的期限 %(due)s 发出。"
            ) % {"provisional": app.due_date.isoformat(), "due": due.isoformat()}
        sent += _remind(app, kind, due, subject % params, body)
    return sent
