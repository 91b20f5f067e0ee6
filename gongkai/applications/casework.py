"""One staff step as the pages and the API take it: the action, then the letter the step issues,
in one transaction (so a step never happens without its letter, nor a letter without its step).

Steps that issue no letter are called straight from `gongkai.applications.actions`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from gongkai.applications import actions, letters
from gongkai.applications.actions.intake import Receipt
from gongkai.applications.models import Application, Consultation, Correction, Extension, Fee


@transaction.atomic
def register(*, actor: Any, **kwargs: Any) -> Receipt:
    """Register an application received at the office; a received date issues the 登记回执."""
    receipt = actions.application_register(actor=actor, **kwargs)
    if receipt.application.received_date is not None:
        letters.issue(actor=actor, application=receipt.application, key="receipt")
    return receipt


@transaction.atomic
def confirm_receipt(
    *, actor: Any, application: Application, confirmed_date: datetime.date | None = None
) -> Application:
    app = actions.application_confirm_receipt(
        actor=actor, application=application, confirmed_date=confirmed_date
    )
    letters.issue(actor=actor, application=app, key="receipt", issued_date=app.received_date)
    return app


@transaction.atomic
def request_correction(*, actor: Any, application: Application, **kwargs: Any) -> Correction:
    correction = actions.application_request_correction(
        actor=actor, application=application, **kwargs
    )
    letters.issue(
        actor=actor, application=application, key="correction", issued_date=correction.notice_date
    )
    return correction


@transaction.atomic
def consult(*, actor: Any, application: Application, **kwargs: Any) -> Consultation:
    consultation = actions.application_consult(actor=actor, application=application, **kwargs)
    letters.issue(
        actor=actor,
        application=application,
        key=letters.consultation_key(consultation),
        issued_date=consultation.sent_date,
        consultation=consultation,
    )
    return consultation


@transaction.atomic
def decide_extension(
    *, actor: Any, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    extension = actions.application_extend_approve(
        actor=actor, extension=extension, approve=approve, note=note
    )
    if approve:
        letters.issue(actor=actor, application=extension.application, key="extension")
    return extension


@transaction.atomic
def fee_notice(*, actor: Any, application: Application, **kwargs: Any) -> Fee:
    fee = actions.application_fee_notice(actor=actor, application=application, **kwargs)
    letters.issue(actor=actor, application=application, key="fee", issued_date=fee.notice_date)
    return fee


@transaction.atomic
def excessive_notice(*, actor: Any, application: Application, **kwargs: Any) -> Application:
    """条例35: ask the applicant for the reason, with the notice."""
    app = actions.application_excessive_notice(actor=actor, application=application, **kwargs)
    letters.issue(
        actor=actor, application=app, key="excessive_notice", issued_date=app.excessive_notice_date
    )
    return app


@transaction.atomic
def excessive_answer(*, actor: Any, application: Application, **kwargs: Any) -> Application:
    """条例35: the answer weighed; a reason that holds sets a later deadline, with its letter."""
    app = actions.application_excessive_answer(actor=actor, application=application, **kwargs)
    if app.deadline_override is not None:
        letters.issue(actor=actor, application=app, key="excessive_delay")
    return app


@transaction.atomic
def excessive(*, actor: Any, application: Application, **kwargs: Any) -> Application:
    """条例35: a later deadline set directly (the API), with the 延迟答复告知书."""
    app = actions.application_excessive(actor=actor, application=application, **kwargs)
    letters.issue(actor=actor, application=app, key="excessive_delay")
    return app


@transaction.atomic
def sign_off(
    *, actor: Any, application: Application, approve: bool, note: str = "", reference: str = ""
) -> Application:
    """The leader signs (the reply letter is issued that day) or returns the draft."""
    app = actions.application_sign_off(
        actor=actor, application=application, approve=approve, note=note
    )
    key = letters.reply_key(app) if approve else None
    if key is not None:
        letters.issue(actor=actor, application=app, key=key, reference=reference)
    return app
