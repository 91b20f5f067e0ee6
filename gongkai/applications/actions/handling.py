"""办理 → 答复 → 归档: assignment, the drafted reply, the leader's signature, delivery,
archiving, withdrawal, files and letters, and moving information into proactive disclosure."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications.actions import _base as base
from gongkai.applications.codes import (
    AUTOMATIC_DECISIONS,
    DECISIONS_NEEDING_REASONS,
    Decision,
    Delivery,
)
from gongkai.applications.models import (
    Application,
    CaseFile,
    Consultation,
    ExcessiveOutcome,
    Letter,
    NotHeld,
    State,
)
from gongkai.core.mail import enqueue_email


@transaction.atomic
def application_assign(
    *,
    actor: Any,
    application: Application,
    department: Unit,
    assignee: Any = None,
    internal_due_date: datetime.date | None = None,
) -> Application:
    """The office hands the case to a department (an office or station of the organ, or the
    organ itself), optionally to one member of its staff, with an internal due date."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app)
    target = base.check_transition(app, "assign")
    if not department.is_within(app.organ) or not department.is_active:
        raise ValidationError({"department": _("承办单位应为本机关或其下属单位。")})
    if assignee is not None and not permissions.has_perm(
        assignee, "applications.handle", department
    ):
        raise ValidationError(
            {
                "assignee": _("%(name)s 没有在该单位办理申请的权限。")
                % {"name": assignee.display_name}
            }
        )
    if internal_due_date is not None:
        if internal_due_date < base.today():
            raise ValidationError({"internal_due_date": _("内部办理期限不能早于今天。")})
        if app.due_date and internal_due_date > app.due_date:
            raise ValidationError(
                {
                    "internal_due_date": _("内部办理期限不能晚于答复期限（%(date)s）。")
                    % {"date": app.due_date.isoformat()}
                }
            )
    before = base.before(app)
    app.department = department
    app.assignee = assignee
    app.internal_due_date = internal_due_date
    app.state = target
    app.save(update_fields=["department", "assignee", "internal_due_date", "state", "updated_at"])
    who = department.short_name + (f" · {assignee.display_name}" if assignee else "")
    base.event(
        app,
        "assigned",
        _("交 %(who)s 办理") % {"who": who},
        actor=actor,
        note=_("内部办理期限 %(date)s") % {"date": internal_due_date} if internal_due_date else "",
    )
    if assignee is not None and assignee.email:
        enqueue_email(
            to=[assignee.email],
            subject=_("【依申请公开】请办理申请 %(number)s") % {"number": app.number},
            body=_(
                "申请 %(number)s 已交您办理。内部办理期限：%(internal)s；法定答复期限：%(due)s。"
            )
            % {
                "number": app.number,
                "internal": internal_due_date or _("未设定"),
                "due": base.due_text(app),
            },
        )
    base.audit(actor, "assign", app, before)
    return app


def _add_file(
    app: Application,
    actor: Any,
    file: Any,
    *,
    name: str = "",
    redacted: bool = False,
    purpose: str = CaseFile.Purpose.PROVIDED,
) -> CaseFile:
    if purpose not in CaseFile.Purpose.values:
        raise ValidationError({"purpose": _("文件用途无效。")})
    display = (name or getattr(file, "name", "") or _("文件")).rsplit("/", 1)[-1][:200]
    return CaseFile.objects.create(
        application=app,
        file=file,
        name=display,
        redacted=redacted,
        purpose=purpose,
        uploaded_by=actor,
    )


@transaction.atomic
def application_add_file(
    *,
    actor: Any,
    application: Application,
    file: Any,
    name: str = "",
    redacted: bool = False,
    purpose: str = CaseFile.Purpose.PROVIDED,
) -> CaseFile:
    """Attach a file to the case: information to provide (`redacted` when the parts that must
    not be disclosed have been removed, as a 部分公开 requires) or working material."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    base.check_transition(app, "add_file")
    case_file = _add_file(app, actor, file, name=name, redacted=redacted, purpose=purpose)
    base.event(app, "file_added", _("添加文件：%(name)s") % {"name": case_file.name}, actor=actor)
    base.audit(actor, "add_file", app, None, note=case_file.name)
    return case_file


@transaction.atomic
def application_draft_reply(
    *,
    actor: Any,
    application: Application,
    decision: str,
    legal_basis: str,
    reasons: str = "",
    files: Iterable[tuple[Any, bool]] = (),
    not_held: str = "",
    other_organ: str = "",
    referral: str = "",
) -> Application:
    """Draft the reply: exactly one decision (a report row 3.1 … 3.6.3), its legal basis and
    reasons, and the files to provide as (file, redacted) pairs. Goes to the leader for
    signature. A 部分公开 must carry at least one redacted file; 3.4.3 needs a correction that
    was received; 3.6.1 and 3.6.2 are set by the system, never drafted. A 3.4.1 says which
    letter it is (`not_held`: the information does not exist, the default, or it is another
    organ's, named with its contact in `other_organ` when known)."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    target = base.check_transition(app, "draft_reply")
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("请选择答复类型。")
    elif decision in AUTOMATIC_DECISIONS:
        errors["decision"] = _("逾期不补正、逾期未缴费由系统在期限届满时自动办结，不能手工选择。")
    if not legal_basis.strip():
        errors["legal_basis"] = _("请写明答复的法律依据。")
    referred = decision in (Decision.INQUIRY, Decision.PUBLICATION) and referral.strip()
    if decision in DECISIONS_NEEDING_REASONS and not reasons.strip() and not referred:
        errors["reasons"] = _("该答复类型需要写明理由。")
    if decision == Decision.STILL_UNCLEAR:
        correction = getattr(app, "correction", None)
        if correction is None or correction.received_date is None:
            errors["decision"] = _("只有经补正后内容仍不明确的申请才能选择此项。")
    if decision == Decision.NOT_HELD:
        not_held = not_held or NotHeld.NONEXISTENT
        if not_held not in NotHeld.values:
            errors["not_held"] = _("请选择是“政府信息不存在”还是“非本机关负责公开”。")
    else:
        not_held, other_organ = "", ""
    if not_held != NotHeld.NOT_THIS_ORGAN:
        other_organ = ""
    if decision in (Decision.INQUIRY, Decision.PUBLICATION):
        if not referral.strip():
            errors["referral"] = (
                _("请写明办理查询的机关、地点和方式（条例第三十六条第（七）项）。")
                if decision == Decision.INQUIRY
                else _("请写明获取该出版物的途径（条例第三十九条第二款）。")
            )
    else:
        referral = ""
    if decision == Decision.EXCESSIVE and app.excessive_outcome != ExcessiveOutcome.NO_REASON:
        errors["decision"] = _(
            "依条例第三十五条，须先要求申请人说明理由，并认定其未说明理由或理由不合理，"
            "才能答复不予处理。"
        )
    if app.consultations.filter(closed_date__isnull=True).exists():
        errors["decision"] = _("仍有征求意见尚未答复或届满，请等待意见后再拟定答复。")
    if errors:
        raise ValidationError(errors)
    new_files = list(files)
    has_redacted = (
        any(redacted for _file, redacted in new_files)
        or app.files.filter(purpose=CaseFile.Purpose.PROVIDED, redacted=True).exists()
    )
    if decision == Decision.PARTLY and not has_redacted:
        raise ValidationError({"files": _("部分公开须附上经区分处理（删去不应公开内容）的文件。")})
    before = base.before(app)
    for file, redacted in new_files:
        _add_file(app, actor, file, redacted=redacted)
    app.decision = decision
    app.legal_basis = legal_basis.strip()
    app.reasons = reasons.strip()
    app.not_held = not_held
    app.other_organ = other_organ.strip()[:200]
    app.referral = " ".join(referral.split())[:300]
    app.drafted_by = actor
    app.signed_by = None
    app.signed_at = None
    app.state = target
    app.save(
        update_fields=[
            "decision",
            "legal_basis",
            "reasons",
            "not_held",
            "other_organ",
            "referral",
            "drafted_by",
            "signed_by",
            "signed_at",
            "state",
            "updated_at",
        ]
    )
    base.event(
        app,
        "reply_drafted",
        _("拟定答复：%(decision)s，送领导签发") % {"decision": app.get_decision_display()},
        actor=actor,
    )
    base.audit(actor, "draft_reply", app, before)
    return app


@transaction.atomic
def application_sign_off(
    *, actor: Any, application: Application, approve: bool = True, note: str = ""
) -> Application:
    """The leader signs the drafted reply (→ signed, ready to send) or returns it with a
    reason (→ processing)."""
    app = base.lock(application)
    base.require(actor, "applications.sign_off", app)
    target = base.check_transition(app, "sign_off" if approve else "return_draft")
    if not approve and not note.strip():
        raise ValidationError({"note": _("退回时请写明意见。")})
    before = base.before(app)
    app.state = target
    if approve:
        app.signed_by = actor
        app.signed_at = timezone.now()
    app.save(update_fields=["state", "signed_by", "signed_at", "updated_at"])
    if approve:
        base.event(app, "signed", _("领导已签发答复"), actor=actor, note=note.strip())
    else:
        base.event(app, "returned", _("答复稿被退回修改"), actor=actor, note=note.strip())
        drafter = app.drafted_by
        if drafter is not None and drafter.email:
            enqueue_email(
                to=[drafter.email],
                subject=_("【依申请公开】答复稿被退回：%(number)s") % {"number": app.number},
                body=note.strip(),
            )
    base.audit(actor, "sign_off" if approve else "return_draft", app, before, note=note.strip())
    return app


@transaction.atomic
def application_mark_replied(
    *,
    actor: Any,
    application: Application,
    reply_date: datetime.date,
    delivery: str,
    proof: Any = None,
    note: str = "",
) -> Application:
    """The signed reply was delivered on `reply_date` by `delivery`; `proof` is the receipt or
    tracking record. The case is concluded on the reply date."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    target = base.check_transition(app, "mark_replied")
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("请选择送达方式。")})
    base.check_date(
        reply_date,
        label=_("答复日期"),
        not_before=app.received_date,
        not_before_label=_("收到申请日期"),
        field="reply_date",
    )
    before = base.before(app)
    late = app.due_date is not None and reply_date > app.due_date
    app.reply_date = reply_date
    app.reply_delivery = delivery
    if proof:
        app.reply_proof = proof
    app.reply_note = note.strip()
    app.concluded_date = reply_date
    app.state = target
    app.save(
        update_fields=[
            "reply_date",
            "reply_delivery",
            "reply_proof",
            "reply_note",
            "concluded_date",
            "state",
            "updated_at",
        ]
    )
    base.refresh(app)
    base.event(
        app,
        "replied",
        _("已答复（%(delivery)s）") % {"delivery": app.get_reply_delivery_display()},
        actor=actor,
        date=reply_date,
        public=True,
        note=_("超过答复期限 %(due)s") % {"due": before["due_date"]} if late else "",
    )
    enqueue_email(
        to=[app.email],
        subject=_("您的政府信息公开申请 %(number)s 已答复") % {"number": app.number},
        body=_(
            "%(name)s：\n\n%(organ)s已于 %(date)s 以%(delivery)s方式答复您的申请"
            "（编号 %(number)s），请注意查收。\n\n告知书和公开的信息文件已放在网站"
            "“依申请公开—查询办理进度”页面，凭申请编号和查询码即可查看和下载；"
            "纸质材料或现场查阅的，领取地点和时间也在该页面列明。您还可以在该页面评价这份答复。\n"
        )
        % {
            "name": app.applicant_name,
            "organ": app.organ.name,
            "date": reply_date.isoformat(),
            "delivery": app.get_reply_delivery_display(),
            "number": app.number,
        },
    )
    base.audit(actor, "mark_replied", app, before)
    return app


@transaction.atomic
def application_archive(*, actor: Any, application: Application) -> Application:
    """归档: a concluded case is filed; nothing changes it any more."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    target = base.check_transition(app, "archive")
    before = base.before(app)
    app.state = target
    app.archived_at = timezone.now()
    app.save(update_fields=["state", "archived_at", "updated_at"])
    base.event(app, "archived", _("已归档"), actor=actor)
    base.audit(actor, "archive", app, before)
    return app


@transaction.atomic
def application_withdraw(
    *, actor: Any, application: Application, withdrawal_date: datetime.date, reason: str = ""
) -> Application:
    """The applicant withdrew the application: it ends as 3.6.3 (其他), concluded on the day
    the withdrawal was received. (An unconfirmed online submission is discarded instead.)"""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    target = base.check_transition(app, "withdraw")
    base.check_date(
        withdrawal_date,
        label=_("收到撤回申请日期"),
        not_before=app.received_date,
        not_before_label=_("收到申请日期"),
        field="withdrawal_date",
    )
    before = base.before(app)
    app.state = target
    app.decision = Decision.OTHER
    app.reasons = reason.strip() or _("申请人撤回申请")
    app.concluded_date = withdrawal_date
    app.save(update_fields=["state", "decision", "reasons", "concluded_date", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "withdrawn",
        _("申请人撤回申请"),
        actor=actor,
        date=withdrawal_date,
        note=reason.strip(),
        public=True,
    )
    base.audit(actor, "withdraw", app, before, note=reason.strip())
    return app


@transaction.atomic
def letter_record(
    *,
    actor: Any,
    application: Application,
    kind: str,
    issued_date: datetime.date | None = None,
    file: Any = None,
    reference: str = "",
    consultation: Consultation | None = None,
    title: str = "",
) -> Letter:
    """Record a letter issued in the case (the DOCX generated by the letters module, or a scan
    of a letter written by hand). `title` names it in the case history (kinds such as 其他告知书
    cover several letters)."""
    app = base.lock(application)
    base.require(actor, "applications.handle", app, department_ok=True)
    if app.state in (State.ARCHIVED, State.DISCARDED):
        raise ValidationError(_("已归档或无效的申请不能再出具文书。"))
    if kind not in Letter.Kind.values:
        raise ValidationError({"kind": _("文书类型无效。")})
    if consultation is not None and consultation.application_id != app.pk:
        raise ValidationError({"consultation": _("征求意见不属于本申请。")})
    issued = issued_date or base.today()
    base.check_date(issued, label=_("出具日期"), field="issued_date")
    letter = Letter(
        application=app,
        kind=kind,
        issued_date=issued,
        reference=reference.strip(),
        consultation=consultation,
        created_by=actor,
    )
    if file:
        letter.file = file
    letter.save()
    base.event(
        app,
        "letter",
        _("出具%(kind)s") % {"kind": title.strip() or letter.get_kind_display()},
        actor=actor,
        date=issued,
    )
    base.audit(actor, "letter_record", app, None, note=letter.get_kind_display())
    return letter


@transaction.atomic
def application_promote_to_proactive(
    *,
    actor: Any,
    application: Application,
    title: str,
    formed_date: datetime.date,
    summary: str = "",
    unit: Unit | None = None,
) -> Any:
    """条例44: information several applicants asked for may become proactive disclosure. Creates
    a draft catalog item (which then goes through the normal review) and notes it on the case.
    The actor needs catalog.draft on the drafting unit (default: the assigned department, else
    the organ) and may see the application."""
    from gongkai.catalog.actions import item_create

    app = base.lock(application)
    base.require(actor, "unit.view", app, department_ok=True)
    if app.state in (State.PENDING_CONFIRMATION, State.DISCARDED):
        raise ValidationError(_("尚未受理的申请不能转为主动公开。"))
    drafting_unit = unit or (
        Unit.objects.get(pk=app.department_id) if app.department_id else app.organ
    )
    if not drafting_unit.is_within(app.organ):
        raise ValidationError({"unit": _("起草单位应为本机关或其下属单位。")})
    item = item_create(
        actor=actor, unit=drafting_unit, title=title, formed_date=formed_date, summary=summary
    )
    base.event(
        app,
        "promoted",
        _("相关信息已转为主动公开草稿：%(title)s") % {"title": title},
        actor=actor,
        note=f"catalog item {item.pk}",
    )
    base.audit(actor, "promote_to_proactive", app, None, note=f"catalog item {item.pk}")
    return item
