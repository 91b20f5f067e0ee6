"""What moves the reply deadline: the one-time correction (补正), consultations of a third party
or another organ, the extension, information-processing fees and the 条例35 later deadline."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.applications import deadlines, fees, history
from gongkai.applications.actions import _base as base
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.codes import Decision
from gongkai.applications.models import (
    Application,
    Consultation,
    Correction,
    ExcessiveOutcome,
    Extension,
    Fee,
)
from gongkai.core.mail import enqueue_email


def _tell_applicant(app: Application, subject: str, body: str) -> None:
    enqueue_email(
        to=[app.email],
        subject=f"{subject}（{app.number}）",
        body=f"{app.applicant_name}：\n\n{body}\n\n{app.organ.name}",
    )


# -- correction (补正, 条例30) --------------------------------------------------------------------


@transaction.atomic
def application_request_correction(
    *,
    actor: Any,
    application: Application,
    items: str,
    period_end: datetime.date,
    notice_date: datetime.date | None = None,
) -> Correction:
    """Issue the one-time correction notice: within 7 WD of receipt, stating everything that
    must be corrected, and a reasonable period set by the office (`period_end`, inclusive).
    The reply clock stops; it starts again from the day the corrected application arrives."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    target = base.check_transition(app, "request_correction")
    if Correction.objects.filter(application=app).exists():
        raise ValidationError(_("补正只能一次性告知，本申请已发出过补正通知。"))
    if not items.strip():
        raise ValidationError({"items": _("请写明需要补正的事项。")})
    notice = notice_date or base.today()
    base.check_date(
        notice,
        label=_("补正通知日期"),
        not_before=app.received_date,
        not_before_label=_("收到申请日期"),
        field="notice_date",
    )
    received = app.received_date
    assert received is not None  # every state this action starts from has one
    last_day = deadlines.correction_notice_due(received)
    if notice > last_day:
        raise ValidationError(
            {
                "notice_date": _(
                    "补正通知应在收到申请之日起7个工作日内发出（最迟 %(date)s），已超过期限。"
                )
                % {"date": last_day.isoformat()}
            }
        )
    if period_end <= notice:
        raise ValidationError({"period_end": _("补正期限应晚于补正通知日期。")})
    before = base.before(app)
    correction = Correction.objects.create(
        application=app,
        notice_date=notice,
        items=items.strip(),
        period_end=period_end,
        created_by=actor,
    )
    app.state = target
    app.save(update_fields=["state", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "correction_requested",
        _("发出补正通知，补正期限至 %(date)s") % {"date": period_end.isoformat()},
        actor=actor,
        date=notice,
        note=items.strip(),
        public=True,
    )
    _tell_applicant(
        app,
        _("政府信息公开申请补正通知"),
        _(
            "您的申请需要补正以下内容：\n%(items)s\n\n请于 %(date)s 前（含当日）补正。"
            "最便捷的方式是网上补正：凭申请编号和查询码在网站“依申请公开—查询办理进度”"
            "打开本申请，填写补正内容并上传材料。"
            "无正当理由逾期不补正的，视为放弃申请。"
        )
        % {"items": items.strip(), "date": period_end.isoformat()},
    )
    base.audit(actor, "request_correction", app, before)
    return correction


@transaction.atomic
def application_receive_correction(
    *,
    actor: Any,
    application: Application,
    received_date: datetime.date,
    corrected_description: str = "",
    late_reason: str = "",
) -> Application:
    """The corrected application arrived on `received_date`: the 20 WD start again from that
    day. A correction after the period needs the good reason (`late_reason`) the office
    accepted."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "receive_correction")
    correction = Correction.objects.select_for_update().get(application=app)
    base.check_date(
        received_date,
        label=_("收到补正日期"),
        not_before=correction.notice_date,
        not_before_label=_("补正通知日期"),
        field="received_date",
    )
    if received_date > correction.period_end and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": _("补正期限已于 %(date)s 届满；逾期补正的，请写明申请人的正当理由。")
                % {"date": correction.period_end.isoformat()}
            }
        )
    before = base.before(app)
    correction.received_date = received_date
    # Sent online: what the applicant wrote stands unless staff record the content themselves.
    correction.corrected_description = corrected_description.strip() or correction.online_text
    correction.save(update_fields=["received_date", "corrected_description"])
    app.state = base.back_to_work_state(app)
    app.save(update_fields=["state", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "correction_received",
        _("收到补正材料，答复期限重新计算为 {due}"),
        actor=actor,
        date=received_date,
        note=late_reason.strip(),
        public=True,
        data=base.due_data(app),
    )
    base.audit(actor, "receive_correction", app, before, note=late_reason.strip())
    return app


@transaction.atomic
def application_correction_expired(
    *, application: Application, today: datetime.date | None = None
) -> Application | None:
    """(Job) The correction period ran out without a correction: the case ends as 3.6.1,
    concluded on the last day of the period. None when nothing is due yet."""
    app = base.lock(application)
    correction = Correction.objects.select_for_update().filter(application=app).first()
    today = today or base.today()
    if (
        app.state not in base.TRANSITIONS["correction_expired"][0]
        or correction is None
        or correction.received_date is not None
        or correction.period_end >= today
    ):
        return None
    before = base.before(app)
    correction.expired = True
    correction.save(update_fields=["expired"])
    app.state = base.check_transition(app, "correction_expired")
    app.decision = Decision.NO_CORRECTION
    app.concluded_date = correction.period_end
    app.save(update_fields=["state", "decision", "concluded_date", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "correction_expired",
        _("逾期未补正，不再处理该申请"),
        date=correction.period_end,
        public=True,
    )
    base.audit(None, "correction_expired", app, before)
    return app


# -- consultations (条例32, 34) -------------------------------------------------------------------


@transaction.atomic
def application_consult(
    *,
    actor: Any,
    application: Application,
    party: str,
    party_name: str,
    party_contact: str = "",
    question: str = "",
    sent_date: datetime.date | None = None,
    delivery: str = Consultation.Delivery.MAIL,
    delivered_date: datetime.date | None = None,
) -> Consultation:
    """Record the letter asking a third party or another organ for its opinion. Its 15 WD run
    from delivery (条例32): `delivered_date`, or until it is recorded the channel's default
    assumption (deadlines.assumed_delivery, stated in the letter). The working days from the
    day after `sent_date` until the opinion arrives or the 15 WD run out, whichever is first,
    are excluded from the reply clock."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "consult")
    if party not in Consultation.Party.values:
        raise ValidationError({"party": _("请选择征求对象类型。")})
    if not party_name.strip():
        raise ValidationError({"party_name": _("请填写征求意见对象的名称。")})
    sent = sent_date or base.today()
    base.check_date(
        sent,
        label=_("发函日期"),
        not_before=app.clock_start,
        not_before_label=_("收到申请日期"),
        field="sent_date",
    )
    if delivery not in Consultation.Delivery.values:
        raise ValidationError({"delivery": _("请选择送达方式。")})
    if delivered_date is not None:
        base.check_date(
            delivered_date,
            label=_("送达日期"),
            not_before=sent,
            not_before_label=_("发函日期"),
            field="delivered_date",
        )
    before = base.before(app)
    consultation = Consultation(
        application=app,
        party=party,
        party_name=party_name.strip(),
        party_contact=party_contact.strip(),
        question=question.strip(),
        sent_date=sent,
        delivery=delivery,
        delivered_date=delivered_date,
        created_by=actor,
    )
    due = deadlines.count_workdays(
        deadlines.consultation_delivery(consultation), deadlines.CONSULTATION_WORKDAYS
    )
    consultation.due_date = due.date
    consultation.save()
    base.refresh(app)
    base.event(
        app,
        "consulted",
        _("向%(party)s征求意见，对方提出意见的期限至 {opinion_due}")
        % {"party": consultation.party_name},
        actor=actor,
        date=sent,
        public=True,
        data={"opinion_due": history.fact(due)},
    )
    base.audit(actor, "consult", app, before, note=consultation.party_name)
    return consultation


@transaction.atomic
def application_consultation_reply(
    *,
    actor: Any,
    consultation: Consultation,
    reply_date: datetime.date,
    opinion: str,
    opinion_text: str = "",
) -> Consultation:
    """The consulted party's opinion arrived: the excluded interval ends that day (or on the
    15th WD if it came later)."""
    app = base.lock(consultation.application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "consultation_reply")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_open:
        raise ValidationError(_("该征求意见已经结束。"))
    allowed = {
        Consultation.Opinion.CONSENT,
        Consultation.Opinion.OBJECTION,
        Consultation.Opinion.PARTIAL,
    }
    if opinion not in allowed:
        raise ValidationError({"opinion": _("请选择对方的意见。")})
    base.check_date(
        reply_date,
        label=_("收到意见日期"),
        not_before=consultation.sent_date,
        not_before_label=_("发函日期"),
        field="reply_date",
    )
    before = base.before(app)
    consultation.reply_date = reply_date
    consultation.opinion = opinion
    consultation.opinion_text = opinion_text.strip()
    consultation.due_date = deadlines.consultation_due_of(consultation)
    consultation.closed_date = min(reply_date, consultation.due_date)
    consultation.save(update_fields=["reply_date", "opinion", "opinion_text", "closed_date"])
    base.refresh(app)
    base.event(
        app,
        "consultation_reply",
        _("收到%(party)s的意见：%(opinion)s")
        % {"party": consultation.party_name, "opinion": consultation.get_opinion_display()},
        actor=actor,
        date=reply_date,
    )
    base.audit(actor, "consultation_reply", app, before, note=consultation.party_name)
    return consultation


@transaction.atomic
def application_consultation_delivered(
    *, actor: Any, consultation: Consultation, delivered_date: datetime.date
) -> Consultation:
    """Record the day the letter reached the consulted party: its 15 WD run from there."""
    app = base.lock(consultation.application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "consultation_reply")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_open:
        raise ValidationError(_("该征求意见已经结束。"))
    base.check_date(
        delivered_date,
        label=_("送达日期"),
        not_before=consultation.sent_date,
        not_before_label=_("发函日期"),
        field="delivered_date",
    )
    before = base.before(app)
    consultation.delivered_date = delivered_date
    consultation.due_date = deadlines.consultation_due_of(consultation)
    consultation.save(update_fields=["delivered_date", "due_date"])
    base.refresh(app)
    base.event(
        app,
        "consultation_delivered",
        _("征求意见函已于 %(date)s 送达%(party)s，对方提出意见的期限至 {opinion_due}")
        % {"date": history.format_day(delivered_date), "party": consultation.party_name},
        actor=actor,
        date=delivered_date,
        data={
            "opinion_due": history.fact(
                deadlines.count_workdays(delivered_date, deadlines.CONSULTATION_WORKDAYS)
            )
        },
    )
    base.audit(actor, "consultation_delivered", app, before, note=consultation.party_name)
    return consultation


@transaction.atomic
def consultation_timeout(
    *, consultation: Consultation, today: datetime.date | None = None
) -> Consultation | None:
    """(Job) The 15 WD ran out without an opinion: another organ's silence is consent (条例34);
    a third party's silence leaves the decision to the office (条例32). None when not due."""
    app = base.lock(consultation.application)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    today = today or base.today()
    if not consultation.is_open:
        return None
    due = deadlines.consultation_due_of(consultation)
    if consultation.due_date != due:
        consultation.due_date = due
        consultation.save(update_fields=["due_date"])
    if consultation.due_date >= today:
        return None
    before = base.before(app)
    if consultation.party == Consultation.Party.OTHER_ORGAN:
        consultation.opinion = Consultation.Opinion.DEEMED_CONSENT
    else:
        consultation.opinion = Consultation.Opinion.NO_OPINION
    consultation.closed_date = consultation.due_date
    consultation.save(update_fields=["opinion", "closed_date"])
    if app.is_open:
        base.refresh(app)
    base.event(
        app,
        "consultation_timeout",
        _("%(party)s逾期未答复：%(opinion)s")
        % {"party": consultation.party_name, "opinion": consultation.get_opinion_display()},
        date=consultation.due_date,
    )
    base.audit(None, "consultation_timeout", app, before, note=consultation.party_name)
    return consultation


# -- extension (条例33) ----------------------------------------------------------------------------


@transaction.atomic
def application_extend(
    *, actor: Any, application: Application, days: int, reason: str
) -> Extension:
    """Ask the 公开办负责人 for an extension of at most 20 WD, once per application, before the
    deadline has passed. Takes effect when approved (`application_extend_approve`)."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "extend")
    if not 1 <= int(days) <= deadlines.MAX_EXTENSION_WORKDAYS:
        raise ValidationError({"days": _("延长期限最长不得超过20个工作日。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明需要延长答复期限的理由。")})
    if app.extensions.filter(
        status__in=[Extension.Status.REQUESTED, Extension.Status.APPROVED]
    ).exists():
        raise ValidationError(_("答复期限只能延长一次，本申请已有延期申请或已延期。"))
    _check_not_overdue(app, _("不能再申请延期"))
    before = base.before(app)
    extension = Extension.objects.create(
        application=app, days=int(days), reason=reason.strip(), requested_by=actor
    )
    base.event(
        app,
        "extension_requested",
        _("申请延期答复 %(days)s 个工作日") % {"days": extension.days},
        actor=actor,
        note=extension.reason,
    )
    base.audit(actor, "extend", app, before, note=extension.reason)
    return extension


def _check_not_overdue(app: Application, what: str) -> None:
    """条例33: an extension is decided before the original deadline passes; an overdue case
    stays overdue. While the deadline is provisional the earliest date it could be counts."""
    alarm = app.due_alarm
    if alarm is None or base.today() <= alarm:
        return
    if app.due_provisional and alarm != app.due_date:
        raise ValidationError(
            _(
                "答复期限为暂定的 %(due)s，节假日安排公布后最早可能为 %(alarm)s，该日期已过，"
                "%(what)s。"
            )
            % {
                "due": history.format_day(app.due_date),
                "alarm": history.format_day(alarm),
                "what": what,
            }
        )
    raise ValidationError(
        _("原答复期限（%(date)s）已过，%(what)s；本申请已超期。")
        % {"date": history.format_day(alarm), "what": what}
    )


@transaction.atomic
def application_extend_approve(
    *, actor: Any, extension: Extension, approve: bool = True, note: str = ""
) -> Extension:
    """The 公开办负责人 approves (or refuses) the extension; once approved the deadline moves
    and the applicant is told (the 延期答复告知书 is recorded with `letter_record`)."""
    app = base.lock(extension.application)
    base.require(actor, "applications.approve_extension", app)
    base.check_transition(app, "extend_decide")
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != Extension.Status.REQUESTED:
        raise ValidationError(_("该延期申请已经处理。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准延期的，请写明意见。")})
    if approve:
        _check_not_overdue(app, _("不能再批准延期"))
    before = base.before(app)
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by = actor
    extension.decided_date = base.today()
    extension.decision_note = note.strip()
    extension.save(update_fields=["status", "decided_by", "decided_date", "decision_note"])
    if approve:
        old_due = history.due_fact(app)
        base.refresh(app)
        base.event(
            app,
            "extended",
            _("答复期限由 {old} 延长 %(days)s 个工作日，至 {due}") % {"days": extension.days},
            actor=actor,
            public=True,
            note=extension.reason,
            data={**base.due_data(app), **({"old": old_due} if old_due else {})},
        )
        _tell_applicant(
            app,
            _("延期答复告知"),
            _(
                "因%(reason)s，经本机关政府信息公开工作机构负责人同意，您的申请答复期限延长"
                "%(days)s个工作日（原期限 %(old)s，现期限 %(due)s）。"
            )
            % {
                "reason": extension.reason,
                "days": extension.days,
                "old": history.phrase(old_due) if old_due else "",
                "due": base.due_text(app),
            },
        )
    else:
        base.event(app, "extension_refused", _("延期申请未获批准"), actor=actor, note=note.strip())
    base.audit(
        actor, "extend_approve" if approve else "extend_refuse", app, before, note=note.strip()
    )
    return extension


@transaction.atomic
def application_excessive_notice(
    *, actor: Any, application: Application, notice_date: datetime.date | None = None
) -> Application:
    """条例35, first step: the number or frequency of requests clearly exceeds a reasonable range,
    so the office asks the applicant to state the reason, within the organ's period
    (OrganSettings.excessive_answer_days). The reply clock keeps running: 条例35 excludes no
    time, unlike a correction or a consultation."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "excessive_notice")
    if app.excessive_notice_date is not None:
        raise ValidationError(_("已经要求申请人说明理由，不能重复发出通知。"))
    notice = notice_date or base.today()
    base.check_date(
        notice,
        label=_("通知日期"),
        not_before=app.clock_start,
        not_before_label=_("收到申请日期"),
        field="notice_date",
    )
    days = organ_settings(app.organ).excessive_answer_days
    answer = deadlines.dated(notice, days)
    answer_due = answer.date
    before = base.before(app)
    app.excessive_notice_date = notice
    app.excessive_answer_due = answer_due
    app.save(update_fields=["excessive_notice_date", "excessive_answer_due", "updated_at"])
    base.event(
        app,
        "excessive_notice",
        _("依条例第三十五条要求申请人说明申请理由，期限至 {answer_due}"),
        actor=actor,
        date=notice,
        public=True,
        data={"answer_due": history.fact(answer)},
    )
    base.audit(actor, "excessive_notice", app, before)
    return app


@transaction.atomic
def application_excessive_answer(
    *,
    actor: Any,
    application: Application,
    outcome: str,
    answer: str = "",
    new_due_date: datetime.date | None = None,
    reason: str = "",
) -> Application:
    """条例35, second step: the office head weighs the applicant's answer (or its absence).
    No reason, or one that does not hold: the office answers 3.5.4 不予处理 (drafted and signed
    as any reply). A reason that holds but a volume the office cannot meet within 条例33: a
    reasonable later deadline, told to the applicant (application_excessive)."""
    app = base.lock(application)
    base.require(actor, "applications.approve_extension", app)
    base.check_transition(app, "excessive")
    if app.excessive_notice_date is None:
        raise ValidationError(_("请先依条例第三十五条要求申请人说明理由。"))
    if app.excessive_outcome:
        raise ValidationError(_("已经审查过申请人说明的理由。"))
    if outcome not in ExcessiveOutcome.values:
        raise ValidationError({"outcome": _("请选择审查结果。")})
    if outcome == ExcessiveOutcome.HOLDS:
        if new_due_date is None:
            raise ValidationError({"new_due_date": _("请确定延迟答复的期限。")})
        app.excessive_answer = answer.strip()
        app.save(update_fields=["excessive_answer"])
        return application_excessive(
            actor=actor, application=app, new_due_date=new_due_date, reason=reason
        )
    before = base.before(app)
    app.excessive_outcome = outcome
    app.excessive_answer = answer.strip()
    app.save(update_fields=["excessive_outcome", "excessive_answer", "updated_at"])
    base.event(
        app,
        "excessive_answer",
        _("申请人未说明理由或理由不合理，拟不予处理"),
        actor=actor,
        note=answer.strip(),
    )
    base.audit(actor, "excessive_answer", app, before, note=outcome)
    return app


@transaction.atomic
def application_excessive(
    *, actor: Any, application: Application, new_due_date: datetime.date, reason: str
) -> Application:
    """条例35: the applicant's reason holds but the office cannot answer within 条例33: it sets
    a later, reasonable deadline and tells the applicant (the 延迟答复告知书). Only after the
    applicant was asked for the reason (application_excessive_notice). Approved by the
    公开办负责人 (the same permission as an extension)."""
    app = base.lock(application)
    base.require(actor, "applications.approve_extension", app)
    base.check_transition(app, "excessive")
    if app.excessive_notice_date is None:
        raise ValidationError(_("请先依条例第三十五条要求申请人说明理由。"))
    if app.excessive_outcome == ExcessiveOutcome.NO_REASON:
        raise ValidationError(_("已认定申请理由不合理，应当答复不予处理。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明另行确定答复期限的理由。")})
    if new_due_date <= base.today() or (app.due_date and new_due_date <= app.due_date):
        raise ValidationError({"new_due_date": _("另行确定的答复期限应晚于今天和现有答复期限。")})
    before = base.before(app)
    app.deadline_override = new_due_date
    app.deadline_override_reason = reason.strip()
    app.excessive_outcome = ExcessiveOutcome.HOLDS
    app.save(
        update_fields=[
            "deadline_override",
            "deadline_override_reason",
            "excessive_outcome",
            "updated_at",
        ]
    )
    base.refresh(app)
    base.event(
        app,
        "excessive",
        _("依条例第三十五条确定延迟答复期限至 %(due)s") % {"due": new_due_date.isoformat()},
        actor=actor,
        public=True,
        note=reason.strip(),
    )
    _tell_applicant(
        app,
        _("延迟答复告知"),
        _(
            "您申请公开政府信息的数量、频次明显超过合理范围。依据《中华人民共和国政府信息公开条例》"
            "第三十五条，本机关确定延迟答复的期限为 %(due)s。理由：%(reason)s"
        )
        % {"due": new_due_date.isoformat(), "reason": reason.strip()},
    )
    base.audit(actor, "excessive", app, before, note=reason.strip())
    return app


# -- fees ----------------------------------------------------------------------------------------


@transaction.atomic
def application_fee_notice(
    *,
    actor: Any,
    application: Application,
    method: str,
    quantity: int | None = None,
    amount: Decimal | None = None,
    override_reason: str = "",
    notice_date: datetime.date | None = None,
) -> Fee:
    """Send a fee notice: one method per application (按件 or 按量), the amount from the
    progressive schedule unless given. The reply clock stops from the day after the notice to
    the day of payment; unpaid after 20 WD the case ends as 3.6.2. For 按件 the
    quantity defaults to the applicant's ordinal in the month (fees.monthly_ordinal). The
    amount is computed; a different `amount` needs `override_reason`, printed on the notice."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    target = base.check_transition(app, "fee_notice")
    if Fee.objects.filter(application=app).exists():
        raise ValidationError(_("每件申请只能按一种方式收费一次，本申请已发出过收费通知。"))
    if method not in (Fee.Method.PER_ITEM, Fee.Method.PER_PAGE):
        raise ValidationError({"method": _("请选择按件或按量计收。")})
    if quantity is None:
        if method != Fee.Method.PER_ITEM:
            raise ValidationError({"quantity": _("按量计收，请填写页数。")})
        quantity = fees.monthly_ordinal(app)
    if quantity < 1:
        raise ValidationError({"quantity": _("计费数量应为正整数。")})
    computed = fees.compute_fee(method, quantity)
    amount = computed if amount is None else Decimal(amount)
    if amount != computed and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "按标准计算的金额为 %(computed)s 元；收取其他金额的，"
                    "请写明理由（将写入收费通知书）。"
                )
                % {"computed": f"{computed:.2f}"}
            }
        )
    if amount > computed:
        raise ValidationError({"amount": _("收费金额不能超过按标准计算的金额。")})
    if amount <= 0:
        raise ValidationError({"amount": _("按此数量不应收费（在免费范围内）。")})
    # 109号办法: 20 working days from the day after the notice is received; not a setting.
    payment_days = deadlines.DEFAULT_PAYMENT_WORKDAYS
    notice = notice_date or base.today()
    if app.due_date and notice > app.due_date:
        raise ValidationError(
            {"notice_date": _("收费通知应当在答复期限（%(due)s）内发出。") % {"due": app.due_date}}
        )
    base.check_date(
        notice,
        label=_("收费通知日期"),
        not_before=app.clock_start,
        not_before_label=_("收到申请日期"),
        field="notice_date",
    )
    payment = deadlines.dated(notice, payment_days)
    due = payment.date
    before = base.before(app)
    fee = Fee.objects.create(
        application=app,
        method=method,
        quantity=quantity,
        amount=amount,
        computed_amount=computed,
        override_reason=override_reason.strip() if amount != computed else "",
        notice_date=notice,
        payment_days=payment_days,
        payment_due=due,
        created_by=actor,
    )
    app.state = target
    app.save(update_fields=["state", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "fee_notice",
        _("发出收费通知：%(amount)s 元，缴费期限至 {payment_due}") % {"amount": amount},
        actor=actor,
        date=notice,
        public=True,
        data={"payment_due": history.fact(payment)},
    )
    _tell_applicant(
        app,
        _("信息处理费收费通知"),
        _(
            "您的申请需按%(method)s收取信息处理费 %(amount)s 元。请于 %(due)s 前（含当日）缴纳；"
            "逾期未缴纳的，本机关不再处理该申请。"
        )
        % {
            "method": fee.get_method_display(),
            "amount": amount,
            "due": history.phrase(history.fact(payment), long=True),
        },
    )
    base.audit(actor, "fee_notice", app, before, note=f"{method} {quantity} {amount}")
    return fee


@transaction.atomic
def application_fee_paid(
    *, actor: Any, application: Application, paid_date: datetime.date
) -> Application:
    """The fee was paid on `paid_date` (within the payment period): the clock runs again."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "fee_paid")
    fee = Fee.objects.select_for_update().get(application=app)
    base.check_date(
        paid_date,
        label=_("缴费日期"),
        not_before=fee.notice_date,
        not_before_label=_("收费通知日期"),
        field="paid_date",
    )
    if fee.payment_due and paid_date > fee.payment_due:
        raise ValidationError(
            {
                "paid_date": _("缴费期限已于 %(date)s 届满，逾期缴费的申请按逾期未缴费终止处理。")
                % {"date": fee.payment_due.isoformat()}
            }
        )
    before = base.before(app)
    fee.paid_date = paid_date
    fee.save(update_fields=["paid_date"])
    app.state = base.back_to_work_state(app)
    app.save(update_fields=["state", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "fee_paid",
        _("已缴费，答复期限 {due}"),
        actor=actor,
        date=paid_date,
        public=True,
        data=base.due_data(app),
    )
    base.audit(actor, "fee_paid", app, before)
    return app


@transaction.atomic
def application_fee_expired(
    *, application: Application, today: datetime.date | None = None
) -> Application | None:
    """(Job) The payment period ran out unpaid: the case ends as 3.6.2, concluded on the last
    day of the payment period. None when nothing is due yet."""
    app = base.lock(application)
    fee = Fee.objects.select_for_update().filter(application=app).first()
    today = today or base.today()
    if (
        app.state not in base.TRANSITIONS["fee_expired"][0]
        or fee is None
        or fee.paid_date is not None
        or fee.payment_due is None
        or fee.payment_due >= today
    ):
        return None
    before = base.before(app)
    fee.expired = True
    fee.save(update_fields=["expired"])
    app.state = base.check_transition(app, "fee_expired")
    app.decision = Decision.FEE_UNPAID
    app.concluded_date = fee.payment_due
    app.save(update_fields=["state", "decision", "concluded_date", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "fee_expired",
        _("逾期未缴纳信息处理费，不再处理该申请"),
        date=fee.payment_due,
        public=True,
    )
    base.audit(None, "fee_expired", app, before)
    return app
