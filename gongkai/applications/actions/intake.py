"""登记: an application comes in (online from the portal, or registered by staff), gets its
number and query code, and is confirmed as received."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Unit
from gongkai.applications import history
from gongkai.applications.actions import _base as base
from gongkai.applications.codes import (
    CONFIRMATION_CHANNELS,
    ORGANISATION_TYPES,
    ApplicantType,
    Channel,
    Delivery,
    IdDocType,
    ProvideForm,
)
from gongkai.applications.models import Application, NumberCounter, OrganSettings, State
from gongkai.audit.log import record
from gongkai.core.mail import enqueue_email
from gongkai.lib.codes import is_valid_uscc, normalise
from gongkai.lib.idcard import validate_id_card

APPLICANT_FIELDS = [
    "applicant_type",
    "applicant_name",
    "id_doc_type",
    "id_doc_number",
    "credit_code",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postcode",
]
REQUEST_FIELDS = ["description", "document_number", "provide_form", "delivery"]


@dataclass(frozen=True)
class Receipt:
    """What the applicant takes away: the number and the query code. The code is not stored
    (only its digest): show it once, on the receipt page or the printed 回执."""

    application: Application
    query_code: str


# -- numbering ---------------------------------------------------------------------------------


def default_prefix(organ: Unit) -> str:
    return re.sub(r"[^A-Z0-9]", "", organ.code.upper())[:10] or f"U{organ.pk}"


def organ_settings(organ: Unit) -> OrganSettings:
    """The organ's application settings, created with a prefix derived from its code."""
    found = OrganSettings.objects.filter(organ=organ).first()
    if found is not None:
        return found
    prefix = default_prefix(organ)
    n = 1
    while True:
        candidate = prefix if n == 1 else f"{prefix}{n}"
        n += 1
        if OrganSettings.objects.filter(number_prefix=candidate).exists():
            continue
        try:
            with transaction.atomic():
                return OrganSettings.objects.create(organ=organ, number_prefix=candidate)
        except IntegrityError:
            # The organ's first applications arrived together (through several servers): another
            # request created its settings, or took the prefix, meanwhile.
            found = OrganSettings.objects.filter(organ=organ).first()
            if found is not None:
                return found


def allocate_number(organ: Unit, year: int) -> str:
    """The next free number of `organ` for `year`, like ZW-2026-0001. Serials continue after the
    highest one handed out (imported numbers are skipped)."""
    prefix = organ_settings(organ).number_prefix
    counter = NumberCounter.objects.select_for_update().filter(organ=organ, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = NumberCounter.objects.create(organ=organ, year=year)
        except IntegrityError:
            counter = NumberCounter.objects.select_for_update().get(organ=organ, year=year)
        counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    while True:
        counter.last += 1
        number = f"{prefix}-{year}-{counter.last:04d}"
        if not Application.objects.filter(number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


def note_imported_number(organ: Unit, number: str) -> None:
    """Advance the organ's counter past an imported number of its own pattern."""
    prefix = organ_settings(organ).number_prefix
    match = re.fullmatch(rf"{re.escape(prefix)}-(\d{{4}})-(\d+)", number)
    if not match:
        return
    year, serial = int(match.group(1)), int(match.group(2))
    counter, _created = NumberCounter.objects.select_for_update().get_or_create(
        organ=organ, year=year
    )
    if serial > counter.last:
        counter.last = serial
        counter.save(update_fields=["last"])


# -- validation ----------------------------------------------------------------------------------


def clean_applicant(data: dict[str, Any], *, strict: bool = True) -> dict[str, Any]:
    """Validate and normalise the applicant and request fields (条例29). `strict` (applications
    through the portal or the counter) also demands identity and a way to reach the applicant;
    a ledger import only needs type, name and description. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    out = {k: (data.get(k) or "") for k in APPLICANT_FIELDS + REQUEST_FIELDS}
    for key, value in out.items():
        if isinstance(value, str):
            out[key] = value.strip()
    if out["applicant_type"] not in ApplicantType.values:
        errors["applicant_type"] = _("请选择申请人类型。")
    if not out["applicant_name"]:
        errors["applicant_name"] = _("请填写申请人姓名或单位名称。")
    if not out["description"]:
        errors["description"] = _("请描述所需政府信息（名称、文号或便于查询的其他特征）。")
    out["provide_form"] = out["provide_form"] or ProvideForm.PAPER
    out["delivery"] = out["delivery"] or Delivery.MAIL
    if out["provide_form"] not in ProvideForm.values:
        errors["provide_form"] = _("提供形式无效。")
    if out["delivery"] not in Delivery.values:
        errors["delivery"] = _("获取方式无效。")
    organisation = out["applicant_type"] in ORGANISATION_TYPES
    if out["id_doc_type"] and out["id_doc_type"] not in IdDocType.values:
        errors["id_doc_type"] = _("证件类型无效。")
    if out["id_doc_number"] and not out["id_doc_type"]:
        out["id_doc_type"] = IdDocType.ID_CARD
    if out["id_doc_type"] == IdDocType.ID_CARD and out["id_doc_number"]:
        try:
            out["id_doc_number"] = validate_id_card(out["id_doc_number"])
        except ValidationError as exc:
            errors["id_doc_number"] = exc.messages[0]
    if out["credit_code"]:
        code = normalise(out["credit_code"])
        if not is_valid_uscc(code):
            errors["credit_code"] = _("统一社会信用代码应为18位且校验位正确，请核对。")
        out["credit_code"] = code
    if out["email"]:
        try:
            validate_email(out["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    if out["postcode"] and not re.fullmatch(r"\d{6}", out["postcode"]):
        errors["postcode"] = _("邮政编码应为6位数字。")
    if strict:
        if organisation:
            if not out["credit_code"] and "credit_code" not in errors:
                errors["credit_code"] = _("法人或其他组织申请，请填写统一社会信用代码。")
        elif not out["id_doc_number"] and "id_doc_number" not in errors:
            errors["id_doc_number"] = _("请填写申请人的身份证件号码。")
        if not (out["phone"] or out["email"] or out["address"]):
            errors["phone"] = _("请至少留下一种联系方式（电话、电子邮箱或通信地址）。")
        if out["delivery"] == Delivery.EMAIL and not out["email"]:
            errors["email"] = _("选择通过电子邮件获取，请填写电子邮箱。")
        if out["delivery"] == Delivery.MAIL and not out["address"]:
            errors["address"] = _("选择邮寄，请填写通信地址。")
    if errors:
        raise ValidationError(errors)
    return out


def _check_organ(organ: Unit) -> None:
    if not organ.is_organ or not organ.is_active:
        raise ValidationError(
            {"organ": _("%(name)s 不是受理政府信息公开申请的行政机关。") % {"name": organ.name}}
        )


def _create(
    *,
    organ: Unit,
    channel: str,
    received_date: datetime.date | None,
    actor: Any,
    fields: dict[str, Any],
    identity_proof: Any,
    submitted_at: datetime.datetime,
) -> Receipt:
    code = Application.new_query_code()
    year = (received_date or timezone.localtime(submitted_at).date()).year
    app = Application(
        number=allocate_number(organ, year),
        organ=organ,
        channel=channel,
        submitted_at=submitted_at,
        received_date=received_date,
        state=State.REGISTERED if received_date else State.PENDING_CONFIRMATION,
        created_by=actor,
        **fields,
    )
    app.set_query_code(code)
    if identity_proof:
        app.identity_proof = identity_proof
    app.save()
    base.refresh(app)
    return Receipt(application=app, query_code=code)


# -- actions -------------------------------------------------------------------------------------


@transaction.atomic
def application_submit_online(*, organ: Unit, identity_proof: Any = None, **fields: Any) -> Receipt:
    """A citizen applies through the portal (no actor). The application waits in "pending
    confirmation" until staff confirm receipt: its received date is that day (条例31(三)).

    `fields`: the applicant fields (APPLICANT_FIELDS) and the request fields (REQUEST_FIELDS)."""
    unknown = set(fields) - set(APPLICANT_FIELDS + REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    _check_organ(organ)
    clean = clean_applicant(fields)
    receipt = _create(
        organ=organ,
        channel=Channel.ONLINE,
        received_date=None,
        actor=None,
        fields=clean,
        identity_proof=identity_proof,
        submitted_at=timezone.now(),
    )
    app = receipt.application
    base.event(app, "submitted", _("网上提交申请，等待工作人员确认收到"), public=True)
    base.audit(None, "submit_online", app, None)
    from gongkai.applications.actions.applicant import send_code

    send_code(app, receipt.query_code)
    return receipt


@transaction.atomic
def application_register(
    *,
    actor: Any,
    organ: Unit,
    channel: str,
    received_date: datetime.date | None,
    identity_proof: Any = None,
    **fields: Any,
) -> Receipt:
    """Staff register an application received in person, by registered mail, by letter, by fax
    or orally (written down by the office). `received_date` per channel: in person or oral the
    day submitted; registered mail the day signed for; letter the day the office confirmed
    with the applicant. A fax with `received_date=None` waits for confirmation like an online
    application; a fax with a date was confirmed with the sender that day."""
    if actor is not None:
        from gongkai.accounts import permissions

        permissions.require(actor, "applications.register", organ)
    unknown = set(fields) - set(APPLICANT_FIELDS + REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    _check_organ(organ)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": _("请选择申请方式（网上申请由申请人在网站提交）。")})
    if received_date is None and channel not in CONFIRMATION_CHANNELS:
        raise ValidationError({"received_date": _("请填写收到申请日期。")})
    if received_date is not None:
        base.check_date(received_date, label=_("收到申请日期"), field="received_date")
    clean = clean_applicant(fields)
    receipt = _create(
        organ=organ,
        channel=channel,
        received_date=received_date,
        actor=actor,
        fields=clean,
        identity_proof=identity_proof,
        submitted_at=timezone.now(),
    )
    app = receipt.application
    if received_date:
        summary = _("登记收到申请（%(channel)s），答复期限 {due}") % {
            "channel": app.get_channel_display()
        }
    else:
        summary = _("登记传真申请，等待与申请人确认收到")
    base.event(
        app,
        "registered",
        summary,
        actor=actor,
        date=received_date,
        public=True,
        data=base.due_data(app),
    )
    base.audit(actor, "register", app, None)
    return receipt


@transaction.atomic
def application_confirm_receipt(
    *, actor: Any, application: Application, confirmed_date: datetime.date | None = None
) -> Application:
    """Staff confirm an online or fax application and tell the applicant: that day is the
    received date and the reply clock starts (条例31(三))."""
    app = base.lock(application)
    base.require(actor, "applications.register", app)
    target = base.check_transition(app, "confirm_receipt")
    before = base.before(app)
    confirmed = confirmed_date or base.today()
    base.check_date(
        confirmed,
        label=_("确认收到日期"),
        not_before=timezone.localtime(app.submitted_at).date(),
        not_before_label=_("提交日期"),
        field="confirmed_date",
    )
    app.received_date = confirmed
    app.state = target
    app.save(update_fields=["received_date", "state", "updated_at"])
    base.refresh(app)
    base.event(
        app,
        "confirmed",
        _("已确认收到申请，答复期限 {due}"),
        actor=actor,
        date=confirmed,
        public=True,
        data=base.due_data(app),
    )
    enqueue_email(
        to=[app.email],
        subject=_("您的政府信息公开申请 %(number)s 已收到") % {"number": app.number},
        body=_(
            "%(name)s：\n\n%(organ)s已于 %(date)s 收到您的政府信息公开申请（编号 %(number)s），"
            "将依法在 %(due)s 前答复。您可凭申请编号和查询码在网站查询办理进度。\n"
        )
        % {
            "name": app.applicant_name,
            "organ": app.organ.name,
            "date": history.format_day(confirmed),
            "number": app.number,
            "due": base.due_text(app),
        },
    )
    base.audit(actor, "confirm_receipt", app, before)
    return app


@transaction.atomic
def application_discard(*, actor: Any, application: Application, reason: str) -> Application:
    """Set aside an online or fax submission that was never confirmed as an application (a
    duplicate, a test, unreadable). It is not counted anywhere; the reason is kept."""
    app = base.lock(application)
    base.require(actor, "applications.register", app)
    target = base.check_transition(app, "discard")
    if not reason.strip():
        raise ValidationError({"reason": _("请说明不予登记的原因。")})
    before = base.before(app)
    app.state = target
    app.save(update_fields=["state", "updated_at"])
    base.event(app, "discarded", _("未作为申请登记"), actor=actor, note=reason.strip(), public=True)
    base.audit(actor, "discard", app, before, note=reason.strip())
    return app


@transaction.atomic
def application_reveal_identity(*, actor: Any, application: Application) -> str:
    """The applicant's full identity number, for a member of staff who holds
    applications.reveal_identity; every look is written to the audit log."""
    app = Application.objects.get(pk=application.pk)
    base.require(actor, "applications.reveal_identity", app)
    record(
        actor=actor,
        action="applications.reveal_identity",
        obj=app,
        unit=app.organ_id,
        note=f"{app.get_id_doc_type_display()} {app.id_doc_number_masked}",
    )
    return app.id_doc_number


def identities_reencrypt(*, batch: int = 500) -> int:
    """Encrypt every stored identity number again under the current key (the first of
    FIELD_ENCRYPTION_KEYS) and recompute its keyed hash: the second half of a key rotation.
    Runs in batches, each its own transaction, so a large table is never locked whole; running
    it twice is harmless. Returns how many rows were rewritten."""
    from gongkai.lib import crypto

    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Application.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(id_doc_number="")
                .order_by("pk")
                .values_list("pk", "id_doc_number")[:batch]
            )
            for pk, plain in rows:
                # update() skips auto_now: the case was not edited, only its storage was.
                Application.objects.filter(pk=pk).update(
                    id_doc_number=plain, id_doc_number_hash=crypto.blind_index(plain)
                )
            if rows:
                last_pk = rows[-1][0]
                done += len(rows)
        if len(rows) < batch:
            break
    with transaction.atomic():
        record(actor=None, action="applications.reencrypt", note=f"{done} identity numbers")
    return done
