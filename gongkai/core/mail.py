"""The e-mail outbox (see OutgoingEmail).

Actions queue a message with `enqueue_email` inside their own transaction, so a rolled-back
change sends nothing. The worker's `core.send_email` job calls `send_queued`, which claims each
row with a conditional UPDATE (pending → sending) so two workers never send the same message,
retries failures with a growing pause, gives up after MAX_ATTEMPTS, and puts rows left in
"sending" by a crashed worker back in the queue: at once when the job runs under the worker's
claim (only one worker holds it, so a row claimed before that claim belongs to a run that is
over), otherwise after SENDING_TIMEOUT.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone

from gongkai.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Pause before attempt n+1 after n failed attempts: 1 min, 5 min, 30 min, 2 h.
RETRY_AFTER = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
]
# A row still "sending" this long after its claim belongs to a worker that died mid-send.
SENDING_TIMEOUT = datetime.timedelta(minutes=15)
BATCH_SIZE = 100

Status = OutgoingEmail.Status


def enqueue_email(*, to: Iterable[str], subject: str, body: str) -> OutgoingEmail | None:
    """Queue one message; None when there is nobody to send it to."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    # Header injection: a subject is one line.
    subject = " ".join(subject.split())
    return OutgoingEmail.objects.create(to=recipients, subject=subject[:200], body=body)


def _due_condition(now: datetime.datetime) -> Q:
    """Pending rows whose pause after their last failed attempt is over, and rows put back after
    an interrupted attempt (no claim time: nothing to wait for, the mail server did not refuse)."""
    condition = Q(attempts=0) | Q(claimed_at__isnull=True)
    for failed, pause in enumerate(RETRY_AFTER, start=1):
        condition |= Q(attempts=failed, claimed_at__lte=now - pause)
    return Q(status=Status.PENDING, attempts__lt=MAX_ATTEMPTS) & condition


def recover_stuck(
    now: datetime.datetime | None = None, *, abandoned_before: datetime.datetime | None = None
) -> int:
    """Put rows abandoned in "sending" back in the queue (the attempt counts as failed): rows
    claimed before `abandoned_before`, or by default more than SENDING_TIMEOUT ago."""
    now = now or timezone.now()
    cutoff = max(now - SENDING_TIMEOUT, abandoned_before or now - SENDING_TIMEOUT)
    stuck = OutgoingEmail.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    error = "发送过程中断（工作进程退出）"
    stuck.filter(attempts__gte=MAX_ATTEMPTS).update(status=Status.FAILED, last_error=error)
    return stuck.update(status=Status.PENDING, claimed_at=None, last_error=error + "，将重试")


def claim(message: OutgoingEmail, now: datetime.datetime) -> bool:
    """Take `message` for sending. False when another worker got there first."""
    won = OutgoingEmail.objects.filter(
        pk=message.pk, status=Status.PENDING, attempts=message.attempts
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if won:
        message.status = Status.SENDING
        message.claimed_at = now
        message.attempts += 1
    return bool(won)


def _send_one(message: OutgoingEmail, connection) -> bool:
    try:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(message.to),
            connection=connection,
        ).send()
    except Exception as exc:
        gave_up = message.attempts >= MAX_ATTEMPTS
        logger.warning(
            "e-mail %s to %s failed (attempt %s%s): %s",
            message.pk,
            ", ".join(message.to),
            message.attempts,
            ", giving up" if gave_up else "",
            exc,
        )
        OutgoingEmail.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.FAILED if gave_up else Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    OutgoingEmail.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def send_queued(
    *, limit: int = BATCH_SIZE, abandoned_before: datetime.datetime | None = None
) -> int:
    """Send up to `limit` due messages; returns how many were sent. `abandoned_before`: the
    start of the caller's exclusive claim on sending (see recover_stuck)."""
    now = timezone.now()
    recover_stuck(now, abandoned_before=abandoned_before)
    candidates = list(OutgoingEmail.objects.filter(_due_condition(now)).order_by("pk")[:limit])
    if not candidates:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        for message in candidates:
            if not claim(message, timezone.now()):
                continue
            sent += _send_one(message, connection)
    finally:
        try:
            connection.close()
        except Exception:  # a broken SMTP session at the end changes nothing already recorded
            logger.debug("closing the mail connection failed", exc_info=True)
    return sent
