"""Demo step 310: the letters of the demo cases (step 300 builds the cases through the actions;
this one issues, for each case still on file, the letters its history calls for, dated as the
events were). Cases that already have letters are left alone, so running twice adds nothing."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications import letters
from gongkai.applications.models import Application, Extension, State
from gongkai.core.demo import DemoContext, step

logger = logging.getLogger(__name__)

# An archived or discarded case takes no more letters; one awaiting confirmation has none yet.
_SKIP = [State.ARCHIVED, State.DISCARDED, State.PENDING_CONFIRMATION]


def _issue_history(app: Application, actor) -> int:
    issued = 0

    def issue(key: str, day, **kwargs) -> None:
        nonlocal issued
        letters.issue(actor=actor, application=app, key=key, issued_date=day, **kwargs)
        issued += 1

    issue("receipt", app.received_date)
    correction = getattr(app, "correction", None)
    if correction is not None:
        issue("correction", correction.notice_date)
    for consultation in app.consultations.all():
        issue(
            letters.consultation_key(consultation),
            consultation.sent_date,
            consultation=consultation,
        )
    extension = app.extensions.filter(status=Extension.Status.APPROVED).first()
    if extension is not None:
        issue("extension", extension.decided_date)
    fee = getattr(app, "fee", None)
    if fee is not None and fee.notice_date:
        issue("fee", fee.notice_date)
    key = letters.reply_key(app)
    if key is not None and app.signed_at is not None:
        issue(key, timezone.localtime(app.signed_at).date())
    return issued


@step(310, name="applications.letters")
def demo_letters(ctx: DemoContext) -> None:
    drafter = ctx.user("drafter")
    cases = Application.objects.filter(organ=ctx.unit("zhuwang"), imported=False).exclude(
        state__in=_SKIP
    )
    for app in cases.filter(letters__isnull=True).order_by("pk"):
        try:
            with transaction.atomic():
                ctx.count("依申请公开文书", _issue_history(app, drafter))
        except ValidationError as exc:
            logger.warning("demo letters of %s skipped: %s", app.number, exc.messages)
