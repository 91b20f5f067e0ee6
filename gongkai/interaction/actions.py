"""State changes of letters, hotline calls and reading-point visits.

Each action is one transaction with a permission check first, an explicit transition table for
letters, one audit row, and e-mail queued in the outbox inside the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts import permissions
from gongkai.accounts.models import RoleAssignment, Unit, User
from gongkai.audit.log import record, snapshot
from gongkai.core.mail import enqueue_email
from gongkai.core.ratings import Rating
from gongkai.interaction.models import (
    HotlineCall,
    Letter,
    LetterCounter,
    LetterStatus,
    MailboxSettings,
    ReadingVisit,
)
from gongkai.interaction.publication import check_public_attachment, check_public_texts
from gongkai.interaction.uploads import CheckedUpload
from gongkai.workdays.calendar import count_workdays

S = LetterStatus

# action -> (the statuses it may start from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "forward": (frozenset({S.RECEIVED, S.FORWARDED}), S.FORWARDED),
    "answer": (frozenset({S.RECEIVED, S.FORWARDED}), S.ANSWERED),
    "mark_spam": (frozenset({S.RECEIVED, S.FORWARDED}), S.SPAM),
    "unmark_spam": (frozenset({S.SPAM}), S.RECEIVED),
    "request_publication": (frozenset({S.ANSWERED, S.PUBLICATION_PENDING}), S.PUBLICATION_PENDING),
    "publish": (frozenset({S.ANSWERED, S.PUBLICATION_PENDING}), S.PUBLISHED),
    "return_publication": (frozenset({S.PUBLICATION_PENDING}), S.ANSWERED),
    "unpublish": (frozenset({S.PUBLISHED}), S.ANSWERED),
}

ACTION_LABELS = {
    "forward": gettext_lazy("转办"),
    "answer": gettext_lazy("答复"),
    "mark_spam": gettext_lazy("标记为垃圾信件"),
    "unmark_spam": gettext_lazy("恢复为正常信件"),
    "request_publication": gettext_lazy("提交公开审核"),
    "publish": gettext_lazy("批准公开"),
    "return_publication": gettext_lazy("退回公开申请"),
    "unpublish": gettext_lazy("撤销公开"),
}

# Query codes avoid characters people confuse when reading them aloud (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8

MAX_CONTENT = 5000
MAX_REPLY = 10000


class TransitionError(ValidationError):
    """The letter is not in a status that allows this action."""


def allowed(action: str, letter: Letter) -> bool:
    return letter.status in TRANSITIONS[action][0]


def _transition(letter: Letter, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if letter.status not in sources:
        raise TransitionError(
            _("信件 %(number)s 当前状态为「%(status)s」，不能%(action)s。")
            % {
                "number": letter.number,
                "status": letter.get_status_display(),
                "action": ACTION_LABELS[action],
            }
        )
    return target


def _locked(letter: Letter) -> Letter:
    # Lock the letter row only: the forwarded-to unit may be null (an outer join).
    letters = Letter.objects.select_for_update(of=("self",))
    return letters.select_related("unit", "forwarded_to").get(pk=letter.pk)


def _site_link(url_name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def emails_of_role_holders(unit: Unit, roles: list[str], *, exact: bool = False) -> list[str]:
    """E-mail addresses of users holding one of `roles` on `unit` (or, unless exact, above it)."""
    unit_ids = [unit.pk] if exact else [int(p) for p in unit.path.strip("/").split("/") if p]
    return list(
        RoleAssignment.objects.filter(unit_id__in=unit_ids, role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


# --- the public side ----------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class Submitted:
    letter: Letter
    query_code: str | None  # shown once; None when this was a repeat of an earlier submission
    created: bool


def mailbox_accepts(unit: Unit) -> bool:
    return unit.is_organ and unit.is_active and MailboxSettings.for_unit(unit).is_open


@transaction.atomic
def letter_submit(
    *,
    unit: Unit,
    writer_name: str,
    subject: str,
    content: str,
    idempotency_key: str,
    writer_phone: str = "",
    writer_email: str = "",
    consent_publish: bool = False,
    attachment: CheckedUpload | None = None,
) -> Submitted:
    """A citizen's letter arrives. The same form sent twice yields the first letter again."""
    existing = Letter.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return Submitted(existing, None, False)
    if not mailbox_accepts(unit):
        raise ValidationError(_("该单位的信箱暂不接收网上来信。"))
    if not (writer_phone.strip() or writer_email.strip()):
        raise ValidationError(_("请至少留下一种联系方式（电话或电子邮箱）。"))
    mailbox = MailboxSettings.for_unit(unit)
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    now = timezone.now()
    year = timezone.localtime(now).year
    # The year's counter row, locked: submissions take numbers one at a time, and a second
    # copy of the same form, waiting here, finds the first one's letter once it is committed.
    counter, _created = LetterCounter.objects.select_for_update().get_or_create(
        year=year,
        defaults={"last": Letter.objects.filter(year=year).aggregate(m=Max("serial"))["m"] or 0},
    )
    existing = Letter.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return Submitted(existing, None, False)
    counter.last += 1
    counter.save(update_fields=["last"])
    letter = Letter(
        unit=unit,
        number=f"{year}{counter.last:06d}",
        year=year,
        serial=counter.last,
        idempotency_key=idempotency_key,
        query_code_hash=make_password(code),
        handler_role=mailbox.handler_role,
        writer_name=writer_name.strip(),
        writer_phone=writer_phone.strip(),
        writer_email=writer_email.strip(),
        subject=subject.strip(),
        content=content.strip(),
        consent_publish=consent_publish,
        received_at=now,
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        # Only a copy sent across midnight on 31 December escapes the counter's lock.
        existing = Letter.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return Submitted(existing, None, False)
    if attachment is not None:
        letter.attachment.save(f"upload.{attachment.extension}", attachment.file, save=False)
        letter.attachment_name = attachment.name
        letter.attachment_type = attachment.content_type
        letter.attachment_size = attachment.size
        letter.save(
            update_fields=["attachment", "attachment_name", "attachment_type", "attachment_size"]
        )
    record(
        actor=None,
        actor_name=_("公众来信"),
        action="interaction.letter_submit",
        obj=letter,
        unit=unit,
        after={
            "number": letter.number,
            "subject": letter.subject,
            "consent_publish": consent_publish,
            "attachment": bool(attachment),
            "handler_role": mailbox.handler_role,
        },
    )
    enqueue_email(
        to=emails_of_role_holders(unit, [mailbox.handler_role]),
        subject=_("%(box)s收到新来信：%(number)s")
        % {"box": mailbox.title, "number": letter.number},
        body=_(
            "%(unit)s%(box)s收到一封新来信。\n编号：%(number)s\n标题：%(subject)s\n"
            "请登录工作台办理：%(link)s\n"
        )
        % {
            "unit": unit.short_name,
            "box": mailbox.title,
            "number": letter.number,
            "subject": letter.subject,
            "link": _site_link("interaction:staff_letter", letter.pk),
        },
    )
    return Submitted(letter, format_code(code), True)


# --- handling -----------------------------------------------------------------------------------


def can_handle(user: User, letter: Letter) -> bool:
    """The organ's staff, or the department the letter was forwarded to."""
    if permissions.has_perm(user, "interaction.handle", letter.unit):
        return True
    return bool(
        letter.status == S.FORWARDED
        and letter.forwarded_to is not None
        and permissions.has_perm(user, "interaction.handle", letter.forwarded_to)
    )


def _require_handle(actor: User, letter: Letter) -> None:
    if not can_handle(actor, letter):
        raise permissions.PermissionDenied(f"{actor} may not handle letter {letter.number}")


@transaction.atomic
def letter_forward(
    *, actor: User, letter: Letter, to_unit: Unit, workdays: int | None = None, note: str = ""
) -> Letter:
    """Send the letter to a department of the organ, due in N working days."""
    letter = _locked(letter)
    permissions.require(actor, "interaction.handle", letter.unit)
    target = _transition(letter, "forward")
    if to_unit.pk == letter.unit_id or not to_unit.is_within(letter.unit) or not to_unit.is_active:
        raise ValidationError({"to_unit": _("只能转给本机关下属的科室、站所。")})
    workdays = settings.MAILBOX_FORWARD_WORKDAYS if workdays is None else workdays
    if not 1 <= workdays <= 60:
        raise ValidationError({"workdays": _("办理期限应为 1 到 60 个工作日。")})
    today = timezone.localdate()
    # Through a year without a holiday notice the due date is provisional (counted by the
    # statutory holidays); the department is told so, and the earliest possible date.
    dated = count_workdays(today, workdays)
    due = dated.date
    # The letter is due (and reminded) on the earliest date: conservative, as alarms are.
    before = snapshot(letter, ["status", "forwarded_to", "due_date"])
    letter.status = target
    letter.forwarded_to = to_unit
    letter.forwarded_at = timezone.now()
    letter.forward_note = note.strip()
    letter.due_date = dated.alarm
    letter.due_reminded_for = None
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_forward",
        obj=letter,
        unit=letter.unit,
        before=before,
        after=snapshot(letter, ["status", "forwarded_to", "due_date"]),
        note=letter.forward_note,
    )
    enqueue_email(
        to=emails_of_role_holders(
            to_unit, list(permissions.PERMISSIONS["interaction.handle"]), exact=True
        ),
        subject=_("转办来信 %(number)s，请于 %(due)s 前办理")
        % {"number": letter.number, "due": dated.alarm.isoformat()},
        body=_(
            "%(unit)s转来一封来信，请于 %(due)s 前答复。\n编号：%(number)s\n标题：%(subject)s\n"
            "转办意见：%(note)s\n办理：%(link)s\n"
        )
        % {
            "unit": letter.unit.short_name,
            "due": due.isoformat()
            + (
                _("（暂定：%(why)s；从严请于 %(early)s 前办理）")
                % {"why": dated.reason, "early": dated.alarm.isoformat()}
                if dated.provisional
                else ""
            ),
            "number": letter.number,
            "subject": letter.subject,
            "note": letter.forward_note or "—",
            "link": _site_link("interaction:staff_letter", letter.pk),
        },
    )
    return letter


@transaction.atomic
def letter_answer(*, actor: User, letter: Letter, reply: str) -> Letter:
    """Answer the writer. They get an e-mail if they left an address."""
    letter = _locked(letter)
    _require_handle(actor, letter)
    target = _transition(letter, "answer")
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("请填写答复内容。")})
    if len(reply) > MAX_REPLY:
        raise ValidationError({"reply": _("答复内容不能超过 %(n)s 字。") % {"n": MAX_REPLY}})
    before = snapshot(letter, ["status"])
    letter.status = target
    letter.reply = reply
    letter.answered_at = timezone.now()
    letter.answered_by = actor
    # A department answers in its own name; the organ's staff answer in the organ's.
    organ_staff = permissions.has_perm(actor, "interaction.handle", letter.unit)
    answered_unit = (
        letter.unit if organ_staff or letter.forwarded_to is None else letter.forwarded_to
    )
    letter.answered_unit = answered_unit
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_answer",
        obj=letter,
        unit=letter.unit,
        before=before,
        after={"status": letter.status, "answered_unit": answered_unit.pk},
    )
    if letter.writer_email:
        enqueue_email(
            to=[letter.writer_email],
            subject=_("您的来信（编号 %(number)s）已答复") % {"number": letter.number},
            body=_(
                "您好！\n\n您于 %(date)s 写给%(unit)s的来信《%(subject)s》已经答复：\n\n"
                "%(reply)s\n\n答复单位：%(by)s\n"
                "您也可以凭信件编号和查询码在网站上查看：%(link)s\n"
            )
            % {
                "date": timezone.localtime(letter.received_at).strftime("%Y-%m-%d"),
                "unit": letter.unit.name,
                "subject": letter.subject,
                "reply": reply,
                "by": answered_unit.name,
                "link": _site_link("interaction:mailbox_status"),
            },
        )
    return letter


@transaction.atomic
def letter_mark_spam(*, actor: User, letter: Letter, note: str = "") -> Letter:
    letter = _locked(letter)
    permissions.require(actor, "interaction.handle", letter.unit)
    target = _transition(letter, "mark_spam")
    before = snapshot(letter, ["status"])
    letter.status = target
    letter.spam_at = timezone.now()
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_mark_spam",
        obj=letter,
        unit=letter.unit,
        before=before,
        after={"status": target},
        note=note,
    )
    return letter


@transaction.atomic
def letter_unmark_spam(*, actor: User, letter: Letter) -> Letter:
    letter = _locked(letter)
    permissions.require(actor, "interaction.handle", letter.unit)
    target = _transition(letter, "unmark_spam")
    letter.status = target
    letter.spam_at = None
    letter.forwarded_to = None
    letter.due_date = None
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_unmark_spam",
        obj=letter,
        unit=letter.unit,
        before={"status": S.SPAM},
        after={"status": target},
    )
    return letter


# --- publication --------------------------------------------------------------------------------


@transaction.atomic
def letter_request_publication(
    *, actor: User, letter: Letter, texts: dict[str, str], publish_attachment: bool = False
) -> Letter:
    """The clerk prepares the public version and asks a leader to approve publishing it."""
    letter = _locked(letter)
    permissions.require(actor, "interaction.handle", letter.unit)
    target = _transition(letter, "request_publication")
    if not letter.consent_publish:
        raise ValidationError(_("来信人未同意公开，这封信不能公开。"))
    cleaned = check_public_texts(letter, texts)
    if publish_attachment and not letter.attachment:
        raise ValidationError({"publish_attachment": _("这封信没有附件。")})
    before = snapshot(letter, ["status"])
    for key, value in cleaned.items():
        setattr(letter, key, value)
    letter.publish_attachment = publish_attachment
    letter.status = target
    letter.publication_requested_at = timezone.now()
    letter.publication_requested_by = actor
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_request_publication",
        obj=letter,
        unit=letter.unit,
        before=before,
        after={"status": target, "publish_attachment": publish_attachment, **cleaned},
    )
    enqueue_email(
        to=emails_of_role_holders(
            letter.unit, list(permissions.PERMISSIONS["interaction.approve_publication"])
        ),
        subject=_("来信 %(number)s 的答复待审核公开") % {"number": letter.number},
        body=_("请审核来信答复的公开版本：%(link)s\n")
        % {"link": _site_link("interaction:staff_letter_publication", letter.pk)},
    )
    return letter


@transaction.atomic
def letter_publish(
    *,
    actor: User,
    letter: Letter,
    texts: dict[str, str] | None = None,
    publish_attachment: bool | None = None,
    attachment_checked: bool = False,
) -> Letter:
    """A leader approves the public version (edited here or by the clerk); it goes public."""
    letter = _locked(letter)
    permissions.require(actor, "interaction.approve_publication", letter.unit)
    target = _transition(letter, "publish")
    if not letter.consent_publish:
        raise ValidationError(_("来信人未同意公开，这封信不能公开。"))
    if texts is None:
        texts = {
            key: getattr(letter, key)
            for key in ("public_subject", "public_content", "public_reply")
        }
    cleaned = check_public_texts(letter, texts)
    if publish_attachment is None:
        publish_attachment = letter.publish_attachment
    if publish_attachment:
        check_public_attachment(letter, attachment_checked)
    before = snapshot(letter, ["status", "public_subject", "public_content", "public_reply"])
    for key, value in cleaned.items():
        setattr(letter, key, value)
    letter.publish_attachment = publish_attachment
    letter.status = target
    letter.published_at = timezone.now()
    letter.published_by = actor
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_publish",
        obj=letter,
        unit=letter.unit,
        before=before,
        after={"status": target, "publish_attachment": publish_attachment, **cleaned},
    )
    return letter


@transaction.atomic
def letter_return_publication(*, actor: User, letter: Letter, note: str) -> Letter:
    letter = _locked(letter)
    permissions.require(actor, "interaction.approve_publication", letter.unit)
    target = _transition(letter, "return_publication")
    if not note.strip():
        raise ValidationError({"note": _("请写明退回理由，方便经办人修改。")})
    letter.status = target
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_return_publication",
        obj=letter,
        unit=letter.unit,
        before={"status": S.PUBLICATION_PENDING},
        after={"status": target},
        note=note.strip(),
    )
    return letter


@transaction.atomic
def letter_unpublish(*, actor: User, letter: Letter, reason: str) -> Letter:
    """Take an exchange off the public list (it stays answered)."""
    letter = _locked(letter)
    permissions.require(actor, "interaction.approve_publication", letter.unit)
    target = _transition(letter, "unpublish")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销公开的理由。")})
    letter.status = target
    letter.published_at = None
    letter.save()
    record(
        actor=actor,
        action="interaction.letter_unpublish",
        obj=letter,
        unit=letter.unit,
        before={"status": S.PUBLISHED},
        after={"status": target},
        note=reason.strip(),
    )
    return letter


@transaction.atomic
def mailbox_configure(*, actor: User | None, unit: Unit, **fields: Any) -> MailboxSettings:
    """Change an organ's mailbox settings; actor None is a system run (the demo, a command)."""
    if actor is not None:
        permissions.require(actor, "interaction.configure", unit)
    if not unit.is_organ:
        raise ValidationError(_("只有行政机关设有信箱。"))
    allowed_fields = {"is_open", "title", "handler_role", "intro"}
    unknown = set(fields) - allowed_fields
    if unknown:
        raise TypeError(f"unknown mailbox fields: {sorted(unknown)}")
    mailbox = MailboxSettings.objects.select_for_update().filter(unit=unit).first()
    mailbox = mailbox or MailboxSettings(unit=unit)
    before = snapshot(mailbox, sorted(allowed_fields)) if mailbox.pk else None
    for name, value in fields.items():
        setattr(mailbox, name, value)
    mailbox.full_clean()
    mailbox.save()
    record(
        actor=actor,
        action="interaction.mailbox_configure",
        obj=mailbox,
        unit=unit,
        before=before,
        after=snapshot(mailbox, sorted(allowed_fields)),
    )
    return mailbox


# --- hotline and reading point ------------------------------------------------------------------

CALL_FIELDS = {
    "called_at",
    "caller_type",
    "caller_name",
    "caller_contact",
    "topic",
    "summary",
    "answer",
    "follow_up_needed",
    "follow_up_done",
    "follow_up_note",
    "application",
    "letter",
}
VISIT_FIELDS = {
    "visited_on",
    "visitor_name",
    "visitor_contact",
    "sought",
    "other_material",
    "copies_pages",
    "staff",
    "note",
}


def _apply(obj: Any, fields: dict[str, Any], allowed_fields: set[str]) -> None:
    unknown = set(fields) - allowed_fields
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _check_call(actor: User, call: HotlineCall) -> None:
    if call.follow_up_done and not call.follow_up_needed:
        raise ValidationError({"follow_up_done": _("只有标记为需要回访的来电才能标记已回访。")})
    if call.follow_up_done and call.follow_up_done_at is None:
        call.follow_up_done_at = timezone.now()
    if not call.follow_up_done:
        call.follow_up_done_at = None
    if call.application is not None and not permissions.has_perm(
        actor, "unit.view", call.application.organ
    ):
        raise ValidationError({"application": _("只能关联本单位的政府信息公开申请。")})
    if call.letter is not None and not can_handle(actor, call.letter):
        raise ValidationError({"letter": _("只能关联本单位的来信。")})
    call.full_clean()


@transaction.atomic
def hotline_record(*, actor: User, unit: Unit, **fields: Any) -> HotlineCall:
    permissions.require(actor, "interaction.handle", unit)
    call = HotlineCall(unit=unit, recorded_by=actor)
    _apply(call, fields, CALL_FIELDS)
    _check_call(actor, call)
    call.save()
    record(
        actor=actor,
        action="interaction.hotline_record",
        obj=call,
        unit=unit,
        after=snapshot(call, ["called_at", "caller_type", "topic", "follow_up_needed"]),
    )
    return call


@transaction.atomic
def hotline_update(
    *, actor: User, call: HotlineCall, unit: Unit | None = None, **fields: Any
) -> HotlineCall:
    call = HotlineCall.objects.select_for_update().get(pk=call.pk)
    permissions.require(actor, "interaction.handle", call.unit)
    if unit is not None and unit.pk != call.unit_id:
        permissions.require(actor, "interaction.handle", unit)
        call.unit = unit
    before = snapshot(call)
    _apply(call, fields, CALL_FIELDS)
    _check_call(actor, call)
    call.save()
    record(
        actor=actor,
        action="interaction.hotline_update",
        obj=call,
        unit=call.unit,
        before=before,
        after=snapshot(call),
    )
    return call


def _check_items(unit: Unit, items: list[Any]) -> list[Any]:
    from gongkai.catalog.models import Item

    ids = [getattr(item, "pk", item) for item in items]
    found = list(Item.objects.published().filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"items": _("只能选择已公开的目录信息。")})
    return found


@transaction.atomic
def visit_record(
    *, actor: User, unit: Unit, items: list[Any] | None = None, **fields: Any
) -> ReadingVisit:
    permissions.require(actor, "interaction.handle", unit)
    visit = ReadingVisit(unit=unit)
    fields.setdefault("staff", actor)
    _apply(visit, fields, VISIT_FIELDS)
    visit.full_clean()
    chosen = _check_items(unit, items or [])
    visit.save()
    visit.items.set(chosen)
    record(
        actor=actor,
        action="interaction.visit_record",
        obj=visit,
        unit=unit,
        after={
            **snapshot(visit, ["visited_on", "sought", "copies_pages", "staff"]),
            "items": [item.pk for item in chosen],
        },
    )
    return visit


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: ReadingVisit,
    items: list[Any] | None = None,
    unit: Unit | None = None,
    **fields: Any,
) -> ReadingVisit:
    visit = ReadingVisit.objects.select_for_update().get(pk=visit.pk)
    permissions.require(actor, "interaction.handle", visit.unit)
    if unit is not None and unit.pk != visit.unit_id:
        permissions.require(actor, "interaction.handle", unit)
        visit.unit = unit
    before = {**snapshot(visit), "items": sorted(visit.items.values_list("pk", flat=True))}
    _apply(visit, fields, VISIT_FIELDS)
    visit.full_clean()
    if items is not None:
        visit.items.set(_check_items(visit.unit, items))
    visit.save()
    record(
        actor=actor,
        action="interaction.visit_update",
        obj=visit,
        unit=visit.unit,
        before=before,
        after={**snapshot(visit), "items": sorted(visit.items.values_list("pk", flat=True))},
    )
    return visit


@transaction.atomic
def letter_rate(*, letter: Letter, rating: str, comment: str = "") -> Letter:
    """The writer rates the answer (满意 / 基本满意 / 不满意), once; no actor: the writer is
    authenticated by the letter number and query code."""
    letter = _locked(letter)
    if not letter.is_answered:
        raise ValidationError(_("来信答复后才能评价。"))
    if letter.rating:
        raise ValidationError(_("您已经评价过这份答复。"))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意。")})
    letter.rating = rating
    letter.rating_comment = comment.strip()[:1000]
    letter.rated_at = timezone.now()
    letter.save(update_fields=["rating", "rating_comment", "rated_at"])
    record(
        actor=None,
        action="interaction.letter_rate",
        obj=letter,
        unit=letter.unit,
        after={"rating": rating},
        note=letter.rating_comment,
        actor_name=_("来信人"),
    )
    return letter
