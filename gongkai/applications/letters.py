"""Letters of 依申请公开: the organ's template filled in from the case, stored when issued.

- `check_template(key, title, body)` validates an office's own wording (placeholders known and
  required ones present) and `template_save` / `template_reset` keep it per organ.
- `render(application, key, ...)` fills a template in: the title and the body, ready for the
  printable page and the DOCX (gongkai.applications.letter_docx).
- `remedy_text(organ, key)` is the remedy paragraph: for refusals (3.3.1–3.3.7) and the
  withheld part of a 部分公开 行政复议 first (行政复议法 2023 第二十三条第一款第（四）项), for
  3.3.8, 3.4.x and 3.5.x as the organ's setting reads that article (narrow by default: either
  remedy), otherwise 行政复议 within 60 days or 行政诉讼 within 6 months; after 复议 the court
  "having jurisdiction" unless the organ names its own; none on a procedural notice.
- `issue(...)` renders, builds the DOCX and records the Letter (actions.letter_record) in one
  transaction; the Letter keeps the text exactly as issued.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications import actions, deadlines, fees, history, letter_docx
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.codes import Decision
from gongkai.applications.letter_texts import (
    DECISION_PHRASES,
    DEFAULT_BASIS,
    SPECS,
    LetterSpec,
    format_date,
)
from gongkai.applications.models import (
    Application,
    CaseFile,
    Consultation,
    Extension,
    Fee,
    Letter,
    LetterTemplate,
    OrganSettings,
)
from gongkai.audit.log import record
from gongkai.workdays.calendar import WorkCalendar

MAX_BODY = 10_000
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


# -- templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    body: str
    customised: bool


def template_for(organ: Unit, key: str) -> Template:
    """The organ's wording of letter `key`, or the built-in one."""
    spec = SPECS[key]
    row = LetterTemplate.objects.filter(organ=organ, key=key).first()
    if row is not None:
        return Template(key, row.title, row.body, True)
    return Template(key, spec.title, spec.body, False)


def placeholders_in(text: str) -> tuple[list[str], list[str]]:
    """The placeholder names used in `text`, and any stray single braces found."""
    names, stray = [], []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            stray.append(token)
        else:
            names.append((match.group(1) or "").strip())
    return names, stray


def check_template(key: str, title: str, body: str) -> tuple[str, str]:
    """Validate an office's wording of letter `key`; return it trimmed or raise ValidationError
    by field (title, body) with a message a clerk can act on."""
    spec = SPECS[key]
    title, body = title.strip(), body.strip().replace("\r\n", "\n")
    errors: dict[str, list[str]] = {"title": [], "body": []}
    if not title:
        errors["title"].append(_("请填写文书标题。"))
    if "{" in title or "}" in title:
        errors["title"].append(_("标题中不能使用占位符。"))
    if not body:
        errors["body"].append(_("请填写文书正文。"))
    if len(body) > MAX_BODY:
        errors["body"].append(_("正文不能超过 %(n)s 字。") % {"n": MAX_BODY})
    names, stray = placeholders_in(body)
    if stray:
        errors["body"].append(_("正文中有不成对的大括号；要写大括号本身，请连写两个（{{ 或 }}）。"))
    unknown = sorted({n for n in names if n not in spec.placeholders})
    if unknown:
        errors["body"].append(
            _("这些占位符不认识：%(names)s。可用的占位符见右侧列表。")
            % {"names": "、".join("{" + n + "}" for n in unknown)}
        )
    missing = sorted(spec.required - set(names))
    if missing:
        errors["body"].append(
            _("正文必须包含这些占位符：%(names)s。")
            % {"names": "、".join("{" + n + "}" for n in missing)}
        )
    problems = {field: msgs for field, msgs in errors.items() if msgs}
    if problems:
        raise ValidationError(problems)
    return title, body


@transaction.atomic
def template_save(*, actor: Any, organ: Unit, key: str, title: str, body: str) -> LetterTemplate:
    """Store the organ's own wording of letter `key` (validated first)."""
    permissions.require(actor, "applications.configure", organ)
    if key not in SPECS:
        raise ValidationError(_("没有这种文书。"))
    title, body = check_template(key, title, body)
    row = LetterTemplate.objects.select_for_update().filter(organ=organ, key=key).first()
    before = {"title": row.title, "body": row.body} if row else None
    if row is None:
        row = LetterTemplate(organ=organ, key=key)
    row.title, row.body, row.updated_by = title, body, actor
    row.save()
    record(
        actor=actor,
        action="applications.template_save",
        obj=row,
        unit=organ,
        before=before,
        after={"title": title, "body": body},
        note=key,
    )
    return row


@transaction.atomic
def template_reset(*, actor: Any, organ: Unit, key: str) -> None:
    """Go back to the built-in wording of letter `key`."""
    permissions.require(actor, "applications.configure", organ)
    row = LetterTemplate.objects.filter(organ=organ, key=key).first()
    if row is None:
        return
    record(
        actor=actor,
        action="applications.template_reset",
        obj=row,
        unit=organ,
        before={"title": row.title, "body": row.body},
        note=key,
    )
    row.delete()


SETTING_FIELDS = (
    "number_prefix",
    "reconsideration_body",
    "court",
    "reconsideration_first_broad",
    "name_court_after_reconsideration",
    "confirm_obtained_text",
    "fee_payment_method",
    "fee_account",
    "excessive_answer_days",
)


@transaction.atomic
def organ_settings_save(
    *,
    actor: Any,
    organ: Unit,
    number_prefix: str,
    reconsideration_body: str,
    court: str,
    **options: Any,
) -> OrganSettings:
    """The organ's number prefix, the 复议机关 and court its letters name, and the options of its
    letters (`options`: the other SETTING_FIELDS; those not given keep their value)."""
    permissions.require(actor, "applications.configure", organ)
    unknown = set(options) - set(SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings {sorted(unknown)}")
    row = organ_settings(organ)
    row = OrganSettings.objects.select_for_update().get(pk=row.pk)
    prefix = number_prefix.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{1,12}", prefix):
        raise ValidationError({"number_prefix": _("编号前缀只能由1至12位大写字母或数字组成。")})
    if OrganSettings.objects.filter(number_prefix=prefix).exclude(pk=row.pk).exists():
        raise ValidationError({"number_prefix": _("这个编号前缀已被其他机关使用。")})
    days = options.get("excessive_answer_days", row.excessive_answer_days)
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationError({"excessive_answer_days": _("说明理由期限应为1至30个工作日。")})
    if options.get("name_court_after_reconsideration") and not court.strip():
        raise ValidationError({"court": _("要在复议后诉讼中写明法院，请先填写管辖人民法院。")})
    before = {name: getattr(row, name) for name in SETTING_FIELDS}
    row.number_prefix = prefix
    row.reconsideration_body = reconsideration_body.strip()
    row.court = court.strip()
    for name, value in options.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.save()
    record(
        actor=actor,
        action="applications.settings_save",
        obj=row,
        unit=organ,
        before=before,
        after={name: getattr(row, name) for name in SETTING_FIELDS},
    )
    return row


# -- the remedy paragraph --------------------------------------------------------------------


def remedy_bodies(organ: Unit) -> tuple[str, str]:
    """The 复议机关 and the court named in the organ's letters. Unset, the 复议机关 is the
    government one level up (行政复议法 2023 第二十四条) and the court is named generically."""
    row = OrganSettings.objects.filter(organ=organ).first()
    body = row.reconsideration_body if row else ""
    court = row.court if row else ""
    if not body:
        parent = next((u for u in reversed(organ.ancestors()) if u.is_organ), None)
        body = parent.name if parent is not None else _("上一级人民政府")
    return body, court or GENERIC_COURT


GENERIC_COURT = "有管辖权的人民法院"


def missing_settings(organ: Unit) -> list[str]:
    """What the organ has not set that its letters print (shown to staff before issuing)."""
    row = OrganSettings.objects.filter(organ=organ).first()
    missing = []
    if not (row and row.reconsideration_body):
        missing.append(_("行政复议机关"))
    if not (row and row.court):
        missing.append(_("管辖人民法院"))
    if not organ.phone:
        missing.append(_("联系电话"))
    if not organ.address:
        missing.append(_("办公地址"))
    return missing


# Letters that carry no remedy sentence: procedural steps, not decisions on the request.
NO_REMEDY_KEYS = frozenset(
    {"receipt", "correction", "extension", "consultation", "consultation_organ"}
    | {"excessive_notice", "excessive_delay"}
)
# Answers whose route to 复议 first depends on the organ's reading of 行政复议法 第二十三条
# 第一款第（四）项 (OrganSettings.reconsideration_first_broad).
ARGUABLE_KEYS = frozenset(
    {"inquiry", "nonexistent", "not_this_organ", "unavailable"}
    | {"not_processed", "repeat", "publication", "excessive", "confirm_obtained"}
)
REVIEW_FIRST_CITATION = "《中华人民共和国行政复议法》第二十三条第一款第（四）项"


def reconsideration_first(organ: Unit, key: str) -> bool:
    """Whether letter `key` tells the applicant to apply for 行政复议 before suing."""
    if key in ("refusal", "partial"):
        return True
    if key in ARGUABLE_KEYS:
        row = OrganSettings.objects.filter(organ=organ).first()
        return bool(row and row.reconsideration_first_broad)
    return False


def remedy_text(organ: Unit, key: str) -> str:
    """The remedy paragraph of letter `key` (empty for a procedural notice)."""
    if key in NO_REMEDY_KEYS:
        return ""
    row = OrganSettings.objects.filter(organ=organ).first()
    body, court = remedy_bodies(organ)
    after = court if (row and row.name_court_after_reconsideration and row.court) else GENERIC_COURT
    paper = "本通知书" if key == "fee" else "本告知书"
    both = {"body": body, "court": court, "after": after, "paper": paper}
    either = (
        "可以自收到{paper}之日起六十日内向{body}申请行政复议，"
        "或者自收到{paper}之日起六个月内向{court}提起行政诉讼。"
    ).format(**both)
    first = (
        "根据" + REVIEW_FIRST_CITATION + "的规定，应当先自收到%(paper)s之日起六十日内"
        "向%(body)s申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内"
        "依法向%(after)s提起行政诉讼。"
    ) % both
    if key == "partial":
        return "对本告知书中不予公开的部分不服的，" + first + "对本告知书其他内容不服的，" + either
    lead = "如对本通知不服，" if key == "fee" else "如对本告知不服，"
    return lead + (first if reconsideration_first(organ, key) else either)


# -- filling a template in -------------------------------------------------------------------


def _due_text(app: Application) -> str:
    """The reply date, dated and, while provisional, marked 暂定 with the reason."""
    found = history.due_fact(app)
    if found is None:
        return _("法定期限届满之日")
    return history.phrase(found, long=True)


def _dated_text(value: Any) -> str:
    return history.phrase(history.fact(value), long=True)


def _opinion_due_text(consultation: Consultation) -> str:
    """The consulted party's last day, and how delivery is counted when it is not recorded."""
    delivered = deadlines.consultation_delivery(consultation)
    due = deadlines.count_workdays(delivered, deadlines.CONSULTATION_WORKDAYS)
    text = _dated_text(due)
    if consultation.delivered_date is None:
        days = deadlines.ASSUMED_DELIVERY_WORKDAYS.get(consultation.delivery, 3)
        if days:
            assumption = _("本函以%(channel)s方式送达，按发函之日后第%(n)s个工作日送达计算") % {
                "channel": consultation.get_delivery_display(),
                "n": days,
            }
        else:
            assumption = _("本函以%(channel)s方式送达，按发函当日送达计算") % {
                "channel": consultation.get_delivery_display()
            }
        text += _("；%(assumption)s，实际送达日期不同的，以实际送达之日起计算") % {
            "assumption": assumption
        }
    return text


def _provided(app: Application) -> str:
    names = [
        f.name + (_("（已作区分处理）") if f.redacted else "")
        for f in app.files.filter(purpose=CaseFile.Purpose.PROVIDED)
    ]
    return "、".join(names) if names else _("见随附材料")


def _responsible(app: Application) -> str:
    if app.other_organ:
        return _("负责公开该政府信息的行政机关为%(organ)s，请您向该机关提出申请。") % {
            "organ": app.other_organ
        }
    return _("本机关无法确定负责公开该政府信息的行政机关。")


_CLOSING = "。！？；…"
_TRAILING = "。．.，,；;：:！!？? \u3000"


def quoted(text: str) -> str:
    """Text set inside “…” mid-sentence: one line, without its own closing punctuation (the
    letter's sentence supplies it; "…。”。" is doubled punctuation)."""
    return " ".join((text or "").split()).rstrip(_TRAILING)


def sentence(text: str) -> str:
    """Free text that stands as one or more sentences: ends with exactly one full stop (empty
    stays empty)."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    return text if text[-1] in _CLOSING else text.rstrip(_TRAILING) + "。"


def _rate_text(fee: Fee) -> str:
    return fees.describe(fee.method, fee.quantity)


def _override_text(fee: Fee) -> str:
    if fee.computed_amount is None or fee.computed_amount == fee.amount:
        return ""
    return (
        f"按上述标准计算的金额为{fee.computed_amount:.2f}元，本机关调整为{fee.amount:.2f}元，"
        f"理由：{sentence(fee.override_reason)}"
    )


def values_for(
    app: Application,
    key: str,
    *,
    issued: datetime.date,
    consultation: Consultation | None = None,
) -> dict[str, str]:
    organ = app.organ
    body, court = remedy_bodies(organ)
    values = {
        "机关名称": organ.name,
        "申请人": app.applicant_name,
        "申请编号": app.number,
        "提交日期": format_date(timezone.localtime(app.submitted_at).date()),
        "收到日期": format_date(app.received_date),
        "申请内容": quoted(app.description),
        "所需信息文号": app.document_number,
        "提供形式": app.get_provide_form_display(),
        "获取方式": app.get_delivery_display(),
        "答复期限": _due_text(app),
        "出具日期": format_date(issued),
        # Never a blank to fill in by hand: a missing setting reads as a pointer to the 指南.
        "联系电话": organ.phone or _("本机关政府信息公开指南公布的联系电话"),
        "办公地址": organ.address or _("本机关政府信息公开指南公布的地址"),
        "复议机关": body,
        "人民法院": court,
        "救济途径": remedy_text(organ, key),
        "答复情形": DECISION_PHRASES.get(app.decision, ""),
        "法律依据": _basis(app),
        "理由": sentence(app.reasons),
        "查询途径": sentence(app.referral),
        "提供的信息": _provided(app),
        "负责机关": _responsible(app),
    }
    correction = getattr(app, "correction", None)
    if correction is not None:
        values["补正事项"] = correction.items
        values["补正期限"] = format_date(correction.period_end)
    extension = app.extensions.filter(status=Extension.Status.APPROVED).first()
    if extension is not None:
        values["延长天数"] = str(extension.days)
        values["延期理由"] = extension.reason.rstrip("。")
        values["原答复期限"] = _original_due(app, extension)
    if consultation is not None:
        values["征求对象"] = consultation.party_name
        values["征求事项"] = consultation.question or _(
            "是否同意公开上述政府信息；不同意公开的，请说明理由。"
        )
        values["意见期限"] = _opinion_due_text(consultation)
    fee = getattr(app, "fee", None)
    if fee is not None:
        values["收费方式"] = fee.get_method_display()
        values["收费标准"] = _rate_text(fee)
        values["收费数量"] = str(fee.quantity) + ("页" if fee.method == "per_page" else "件")
        values["收费金额"] = f"{fee.amount:.2f}"
        if fee.notice_date is not None:
            values["缴费期限"] = _dated_text(deadlines.dated(fee.notice_date, fee.payment_days))
        else:
            values["缴费期限"] = format_date(fee.payment_due)
        values["金额调整"] = _override_text(fee)
    row = OrganSettings.objects.filter(organ=organ).first()
    values["缴费方式"] = sentence(row.fee_payment_method if row else "") or _(
        "按本机关政府信息公开指南公布的方式缴纳。"
    )
    values["收款账户"] = sentence(row.fee_account if row else "") or _(
        "本机关政府信息公开指南公布的收款账户。"
    )
    days = row.excessive_answer_days if row else 10
    values["说明理由期限"] = str(days)
    values["说明理由截止日"] = (
        _dated_text(deadlines.dated(app.excessive_notice_date, days))
        if app.excessive_notice_date
        else format_date(app.excessive_answer_due)
    )
    values["延迟答复期限"] = format_date(app.deadline_override)
    values["延迟答复理由"] = sentence(app.deadline_override_reason)
    return values


def _basis(app: Application) -> str:
    """The legal basis as drafted; a 3.5.5 answer (no article names it) states the organ's
    reviewed text as a sentence of its own."""
    basis = app.legal_basis.strip()
    if app.decision == Decision.CONFIRM_OBTAINED:
        return sentence(basis)
    return basis.rstrip(_TRAILING) or DEFAULT_BASIS.get(
        app.decision, _("《中华人民共和国政府信息公开条例》")
    )


def _original_due(app: Application, extension: Extension) -> str:
    """The due date before the extension: counted from the same rows without its days."""
    start = app.clock_start
    if start is None:
        return _("法定期限届满之日")
    cal = WorkCalendar()
    due = deadlines.reply_due(
        start, excluded=deadlines.case_intervals(app, cal), extension_days=0, calendar=cal
    )
    return history.phrase(history.fact(due, cal.provisional_years(start, due)), cal, long=True)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each {name} by its value ({{ and }} are literal braces); unknown names stay
    visible (check_template keeps them out of saved templates)."""

    def sub(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in ("{{", "}}"):
            return found[0]
        if match.group(1) is None:
            return found
        return values.get(match.group(1).strip(), found)

    return _TOKEN.sub(sub, text)


@dataclass(frozen=True)
class Rendered:
    spec: LetterSpec
    title: str
    body: str
    issued: datetime.date
    organ_name: str
    reference: str = ""

    @property
    def paragraphs(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.body.split("\n")]
        return [line for line in lines if line]


def render(
    application: Application,
    key: str,
    *,
    issued: datetime.date | None = None,
    consultation: Consultation | None = None,
    reference: str = "",
) -> Rendered:
    template = template_for(application.organ, key)
    issued = issued or timezone.localdate()
    values = values_for(application, key, issued=issued, consultation=consultation)
    return Rendered(
        spec=SPECS[key],
        title=template.title,
        body=fill(template.body, values).strip(),
        issued=issued,
        organ_name=application.organ.name,
        reference=reference.strip(),
    )


def rendered_from(letter: Letter) -> Rendered:
    """An issued letter as it was issued (for the printable page)."""
    spec = next((s for s in SPECS.values() if s.kind == letter.kind), SPECS["other"])
    return Rendered(
        spec=spec,
        title=letter.title or letter.get_kind_display(),
        body=letter.body,
        issued=letter.issued_date,
        organ_name=letter.application.organ.name,
        reference=letter.reference,
    )


def reply_key(application: Application) -> str | None:
    from gongkai.applications.letter_texts import key_for_decision

    if not application.decision:
        return None
    return key_for_decision(application.decision, application.not_held)


def consultation_key(consultation: Consultation) -> str:
    if consultation.party == Consultation.Party.OTHER_ORGAN:
        return "consultation_organ"
    return "consultation"


def docx_name(application: Application, title: str) -> str:
    return f"{application.number}-{title}.docx"


@transaction.atomic
def issue(
    *,
    actor: Any,
    application: Application,
    key: str,
    issued_date: datetime.date | None = None,
    consultation: Consultation | None = None,
    reference: str = "",
) -> Letter:
    """Render letter `key` for the case, build its DOCX and record it as issued. A leader who
    signs a reply has no handling permission; the letter is then recorded by the system on
    their behalf (created_by stays the leader)."""
    app = Application.objects.select_related("organ").get(pk=application.pk)
    rendered = render(app, key, issued=issued_date, consultation=consultation, reference=reference)
    data = letter_docx.build(rendered)
    recorder = actor
    if actor is not None and not (
        permissions.has_perm(actor, "applications.handle", app.organ)
        or (
            app.department is not None
            and permissions.has_perm(actor, "applications.handle", app.department)
        )
    ):
        recorder = None
    letter = actions.letter_record(
        actor=recorder,
        application=app,
        kind=rendered.spec.kind,
        issued_date=rendered.issued,
        file=ContentFile(data, name=docx_name(app, rendered.title)),
        reference=rendered.reference,
        consultation=consultation,
        title=rendered.title,
    )
    letter.title, letter.body, letter.created_by = rendered.title, rendered.body, actor
    due = history.due_fact(app)
    letter.facts = {"due": due} if due and rendered.spec.to_applicant else {}
    letter.save(update_fields=["title", "body", "created_by", "facts"])
    return letter


def moved_since(letter: Letter, application: Application) -> str:
    """A neutral line for a letter whose promised reply date has since moved (empty if not)."""
    promised = (letter.facts or {}).get("due")
    current = history.due_fact(application)
    if not promised or not current or not application.is_open:
        return ""
    if promised["date"] == current["date"]:
        return ""
    return _("本文书所载答复期限 %(old)s 已调整为 %(new)s，请以调整后的期限为准。") % {
        "old": history.phrase(promised),
        "new": history.phrase(current),
    }


def applicant_letters(application: Application):
    """The letters the applicant may download on the status page: everything sent to them;
    the reply itself once it has been delivered."""
    hidden = [Letter.Kind.CONSULTATION]
    if application.reply_date is None:
        hidden += [
            Letter.Kind.DISCLOSURE,
            Letter.Kind.PARTIAL,
            Letter.Kind.REFUSAL,
            Letter.Kind.NONEXISTENT,
            Letter.Kind.NOT_THIS_ORGAN,
            Letter.Kind.OTHER,
        ]
    return application.letters.exclude(kind__in=hidden).exclude(file="")


def is_refusal(decision: str) -> bool:
    return decision == Decision.PARTLY or decision.startswith("3.3.")
