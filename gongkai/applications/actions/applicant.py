"""What the applicant does online after submitting: recover a lost query code, send the
correction (补正) on the status page, and rate the reply. No actor: the applicant is
authenticated by the application number and query code (or, to recover the code, by the
contact given in the request)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.applications.actions import _base as base
from gongkai.applications.models import Application, CaseFile, Correction, State
from gongkai.core.mail import enqueue_email
from gongkai.core.ratings import Rating
from gongkai.core.sms import mobile_number, send_sms

RATABLE_STATES = {State.REPLIED, State.ARCHIVED, State.CLOSED}


def send_code(app: Application, code: str, *, recovered: bool = False) -> None:
    """E-mail (and text) the number and query code to the contacts given in the request."""
    if recovered:
        subject = _("您的政府信息公开申请 %(number)s 的新查询码") % {"number": app.number}
        lead = _("您申请找回查询码。原查询码已停用，新的查询码如下。")
    else:
        subject = _("您的政府信息公开申请 %(number)s 已提交") % {"number": app.number}
        lead = _(
            "%(organ)s已收到您在网上提交的政府信息公开申请。网上申请以本机关与您确认收到之日"
            "为收到申请之日，确认后将另行通知您答复期限。"
        ) % {"organ": app.organ.name}
    enqueue_email(
        to=[app.email],
        subject=subject,
        body=_(
            "%(name)s：\n\n%(lead)s\n\n申请编号：%(number)s\n查询码：%(code)s\n\n"
            "凭申请编号和查询码可在网站“依申请公开—查询办理进度”查看进度、网上补正、"
            "下载告知书和公开的信息。请妥善保管查询码，不要转告他人。\n"
        )
        % {"name": app.applicant_name, "lead": lead, "number": app.number, "code": code},
    )
    send_sms(
        phone=app.phone,
        text=_("【%(organ)s】您的政府信息公开申请编号 %(number)s，查询码 %(code)s，请妥善保管。")
        % {"organ": app.organ.name, "number": app.number, "code": code},
    )


def _contact_matches(app: Application, contact: str) -> bool:
    given = contact.strip().lower()
    if not given:
        return False
    if app.email and given == app.email.strip().lower():
        return True
    mobile = mobile_number(given)
    return mobile is not None and mobile == mobile_number(app.phone)


@transaction.atomic
def application_resend_code(*, number: str, contact: str) -> bool:
    """ "Forgot my code": when `number` exists and `contact` is the e-mail or mobile number given
    in the request, a new query code replaces the old one (only its digest is stored, so the old
    one cannot be sent again) and goes to that request's e-mail and phone. The caller answers
    the same whatever this returns, so nobody learns whether a request exists."""
    app = Application.objects.select_for_update().filter(number=number.strip().upper()).first()
    if app is None or not _contact_matches(app, contact):
        return False
    before = base.before(app)
    code = Application.new_query_code()
    app.set_query_code(code)
    app.save(update_fields=["query_code_digest", "updated_at"])
    send_code(app, code, recovered=True)
    base.event(app, "code_recovered", _("申请人找回查询码，新查询码已发送"), public=True)
    base.audit(None, "resend_code", app, before)
    return True


@transaction.atomic
def application_correct_online(
    *, application: Application, text: str, files: list[Any] | None = None
) -> Correction:
    """The applicant sends the correction on the status page, with files checked as the form
    checks them (forms.CorrectionForm). It waits for staff: the day they confirm receipt
    (application_receive_correction) is the received date from which the clock restarts, as for
    an online application (条例31(三)); staff are told by e-mail."""
    from gongkai.applications.jobs import office_emails

    app = base.lock(application)
    if app.state != State.CORRECTION:
        raise ValidationError(_("本申请当前不需要补正。"))
    correction = Correction.objects.select_for_update().get(application=app)
    if correction.online_submitted_at is not None or correction.received_date is not None:
        raise ValidationError(_("补正材料已经提交过，请等待工作人员确认收到。"))
    if not text.strip() and not files:
        raise ValidationError({"text": _("请填写补正后的内容或上传补正材料。")})
    before = base.before(app)
    correction.online_text = text.strip()
    correction.online_submitted_at = timezone.now()
    correction.save(update_fields=["online_text", "online_submitted_at"])
    for upload in files or []:
        CaseFile.objects.create(
            application=app,
            purpose=CaseFile.Purpose.CORRECTION,
            file=upload,
            name=upload.name[:200],
        )
    count = len(files or [])
    base.event(
        app,
        "correction_submitted",
        _("申请人网上提交补正材料（附件 %(count)s 个），等待工作人员确认收到") % {"count": count},
        public=True,
    )
    assignee = app.assignee
    recipients = set(office_emails(app)) | (
        {assignee.email} if assignee and assignee.email else set()
    )
    enqueue_email(
        to=recipients,
        subject=_("申请 %(number)s 的申请人已网上提交补正") % {"number": app.number},
        body=_(
            "申请人 %(name)s 已在网上提交申请 %(number)s 的补正材料。请在办理页面核对后"
            "登记“收到补正”：确认之日为收到补正之日，答复期限自该日重新计算。\n"
        )
        % {"name": app.applicant_name, "number": app.number},
    )
    base.audit(None, "correct_online", app, before)
    return correction


@transaction.atomic
def application_rate(*, application: Application, rating: str, comment: str = "") -> Application:
    """The applicant rates the reply, once."""
    app = base.lock(application)
    if app.state not in RATABLE_STATES or app.reply_date is None:
        raise ValidationError(_("答复作出后才能评价。"))
    if app.rating:
        raise ValidationError(_("您已经评价过这份答复。"))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意。")})
    before = base.before(app)
    app.rating = rating
    app.rating_comment = comment.strip()[:1000]
    app.rated_at = timezone.now()
    app.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    base.event(
        app,
        "rated",
        _("申请人评价答复：%(rating)s") % {"rating": Rating(rating).label},
        public=True,
    )
    base.audit(None, "rate", app, before, note=app.rating_comment)
    return app
