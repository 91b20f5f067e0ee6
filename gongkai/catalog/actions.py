"""State changes of catalog items: the review workflow (拟文 → 保密审查 → 公开办审核 → 领导签发 →
发布), versions, validity, withdrawal, the withheld register and attachments.

Each function runs in one transaction, checks the actor's permission on the item's unit first,
moves the version along `TRANSITIONS`, writes one audit row and queues e-mail for the next
people (their workbench queue follows from the new state, see queries.queue_for). Pages, the API,
commands and jobs all call these functions. Publishing itself goes through
`gongkai.catalog.publishing.publish`, the single publishing guard.

Audit rows carry metadata and the SHA-256 of the body, never the body itself: a text later found
to be 涉密 must not survive in the append-only log.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.audit.log import record
from gongkai.catalog import attachments as files
from gongkai.catalog import checks, notify, publishing, timeliness
from gongkai.catalog.models import (
    Attachment,
    Category,
    Disclosure,
    Genre,
    Item,
    ItemVersion,
    Secrecy,
    Topic,
    Validity,
    VersionState,
)
from gongkai.catalog.richtext import sanitize

S = VersionState

# action -> (states it starts from, permission the actor needs on the item's unit). The state it
# leads to is in each function's docstring; `item_reject` takes its permission from REJECT_PERMS.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "update": (frozenset({S.DRAFT}), "catalog.draft"),
    "submit": (frozenset({S.DRAFT}), "catalog.draft"),  # → secrecy_review
    "secrecy_verdict": (frozenset({S.SECRECY_REVIEW}), "catalog.secrecy_review"),
    # → office_review (非涉密, 主动公开) | on_request | withheld | secret
    "office_approve": (frozenset({S.OFFICE_REVIEW}), "catalog.office_review"),  # → sign_off
    "sign_off": (frozenset({S.SIGN_OFF}), "catalog.sign_off"),  # → published | scheduled
    "publish_due": (frozenset({S.SCHEDULED}), None),  # → published (or back to sign_off)
    "reject": (frozenset({S.SECRECY_REVIEW, S.OFFICE_REVIEW, S.SIGN_OFF, S.SCHEDULED}), None),
    "withdraw": (frozenset({S.PUBLISHED}), "catalog.sign_off"),  # → withdrawn
    "reassess": (frozenset({S.WITHHELD, S.ON_REQUEST}), "catalog.secrecy_review"),
    # → withheld again (new reason) | office_review (released to 主动公开)
    "attach": (frozenset({S.DRAFT}), "catalog.draft"),
    "confirm_unreadable": (frozenset({S.SECRECY_REVIEW, S.OFFICE_REVIEW, S.SIGN_OFF}), None),
}
REJECT_PERMS = {
    S.SECRECY_REVIEW: "catalog.secrecy_review",
    S.OFFICE_REVIEW: "catalog.office_review",
    S.SIGN_OFF: "catalog.sign_off",
    S.SCHEDULED: "catalog.sign_off",
}
# Metadata a drafter edits on a version.
VERSION_FIELDS = (
    "title",
    "summary",
    "formed_date",
    "document_number",
    "topic",
    "genre",
    "category",
    "scope",
    "keywords",
    "body",
    "legal_period_days",
    "legal_period_basis",
)


class InvalidTransition(ValidationError):
    """The item is not in a state where this action is possible."""


# ------------------------------------------------------------------ helpers


def _now() -> datetime.datetime:
    return timezone.now()


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("organ", "unit").get(pk=item.pk)


def _version_in(item: Item, action: str) -> ItemVersion:
    states, _perm = TRANSITIONS[action]
    version = item.versions.filter(state__in=states).order_by("-number").first()
    if version is None:
        current = item.current_version()
        label = current.get_state_display() if current else _("无版本")
        raise InvalidTransition(
            _("该信息当前状态为“%(state)s”，不能进行此操作。") % {"state": label}
        )
    version.item = item
    return version


def _require(actor: Any, perm: str, item: Item) -> None:
    if actor is None:  # a system run (command, job) acts for the organ
        return
    permissions.require(actor, perm, item.unit)


def _require_any(actor: Any, perms: tuple[str, ...], item: Item) -> None:
    if actor is None:
        return
    if not any(permissions.has_perm(actor, p, item.unit) for p in perms):
        raise permissions.PermissionDenied(
            f"{actor} lacks {' or '.join(perms)} on {item.unit.code}"
        )


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def version_snapshot(version: ItemVersion) -> dict[str, Any]:
    """What the audit log keeps of a version: metadata and the body's hash, never the body."""
    return {
        "version": version.number,
        "state": version.state,
        "title": version.title,
        "summary": version.summary,
        "formed_date": version.formed_date,
        "document_number": version.document_number,
        "topic": version.topic_id,
        "genre": version.genre_id,
        "category": version.category_id,
        "scope": version.scope,
        "keywords": version.keywords,
        "legal_period_days": version.legal_period_days,
        "body_sha256": hashlib.sha256(version.body.encode()).hexdigest() if version.body else "",
        "attachments": [a.sha256 for a in version.attachments.all()],
    }


def _audit(
    actor: Any,
    action: str,
    item: Item,
    version: ItemVersion | None = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    actor_name: str = "",
) -> None:
    title = version.title if version else ""
    record(
        actor=actor,
        action=f"catalog.{action}",
        obj=item,
        unit=item.organ,
        before=before,
        after=after,
        note=note,
        actor_name=actor_name,
        object_repr=f"{item.index_number or '#' + str(item.pk)} {title}".strip(),
    )


def _mail(perm: str, item: Item, version: ItemVersion, subject: str, lines: list[str]) -> None:
    link = notify.item_link(item.pk)
    body = "\n".join([*lines, "", link] if link else lines)
    notify.email_perm(perm, item.unit, subject=f"{subject}：{version.title}", body=body)


def _mail_drafter(version: ItemVersion, subject: str, lines: list[str]) -> None:
    users = [u for u in (version.submitted_by, version.created_by) if u is not None]
    link = notify.item_link(version.item_id)
    notify.email_users(
        users,
        subject=f"{subject}：{version.title}",
        body="\n".join([*lines, "", link] if link else lines),
    )


_BRACKETED_YEAR = re.compile(r"[\[［【(（〔]\s*((?:19|20)\d{2})\s*[\]］】)）〕]")


def normalise_document_number(value: str) -> str:
    """诸政发[2017]12号 → 诸政发〔2017〕12号 (the year goes in 六角括号, GB/T 9704)."""
    return _BRACKETED_YEAR.sub(r"〔\1〕", (value or "").strip())


def _clean_fields(item: Item, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    cleaned = dict(fields)
    errors: dict[str, str] = {}
    if "title" in cleaned:
        cleaned["title"] = " ".join((cleaned["title"] or "").split())
        if not cleaned["title"]:
            errors["title"] = _("请填写名称。")
    if "summary" in cleaned:
        cleaned["summary"] = (cleaned["summary"] or "").strip()
        if len(cleaned["summary"]) > 300:
            errors["summary"] = _("内容概述不能超过 300 字（现有 %(n)s 字）。") % {
                "n": len(cleaned["summary"])
            }
    if "formed_date" in cleaned:
        formed = cleaned["formed_date"]
        if not isinstance(formed, datetime.date):
            errors["formed_date"] = _("请填写成文日期。")
        elif formed > timezone.localdate():
            errors["formed_date"] = _("成文日期不能晚于今天。")
    if "document_number" in cleaned:
        cleaned["document_number"] = normalise_document_number(cleaned["document_number"])
    if "body" in cleaned:
        cleaned["body"] = sanitize(cleaned["body"] or "")
    if "keywords" in cleaned:
        cleaned["keywords"] = " ".join(
            (cleaned["keywords"] or "")
            .replace("，", " ")
            .replace(",", " ")
            .replace("；", " ")
            .split()
        )[:200]
    for name, model in (("topic", Topic), ("genre", Genre)):
        value = cleaned.get(name)
        if value is not None and (not isinstance(value, model) or not value.is_active):
            errors[name] = _("分类不存在或已停用。")
    category = cleaned.get("category")
    if category is not None and (
        not isinstance(category, Category)
        or not category.is_active
        or (category.unit_id is not None and not item.unit.is_within(category.unit))
    ):
        errors["category"] = _("该目录分类不存在、已停用或不属于本单位。")
    period = cleaned.get("legal_period_days")
    if period is not None and not (1 <= int(period) <= 365):
        errors["legal_period_days"] = _("法定期限应在 1 至 365 个工作日之间。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _set_interpretations(version: ItemVersion, interpretations: list[Item] | None) -> None:
    if interpretations is None:
        return
    bad = [i for i in interpretations if i.pk == version.item_id or i.secrecy == Secrecy.SECRET]
    if bad:
        raise ValidationError({"interpretations": _("政策解读不能链接到自身或涉密信息。")})
    version.interpretations.set(interpretations)


def _reset_review(version: ItemVersion) -> None:
    for name in (
        "secrecy_reviewed_by",
        "office_approved_by",
        "signed_off_by",
        "checks_override_by",
    ):
        setattr(version, name, None)
    for name in ("secrecy_reviewed_at", "office_approved_at", "signed_off_at", "go_live_at"):
        setattr(version, name, None)
    version.secrecy_verdict = Secrecy.UNREVIEWED
    version.checks_override_reason = ""


# ------------------------------------------------------------------ drafting


@transaction.atomic
def item_create(
    *, actor: Any, unit: Unit, interpretations: list[Item] | None = None, **fields: Any
) -> Item:
    """A new item with its first version, in draft. `unit` is the drafting unit; the organ that
    publishes it (发布机构) is that unit's organ."""
    if actor is not None:
        permissions.require(actor, "catalog.draft", unit)
    organ = unit.organ()
    if organ is None:
        raise ValidationError(
            {"unit": _("该单位不属于任何信息公开主体（行政机关），不能发布信息。")}
        )
    item = Item(organ=organ, unit=unit, created_by=_user(actor))
    for required in ("title", "formed_date"):
        fields.setdefault(required, None)
    cleaned = _clean_fields(item, fields)
    item.save()
    version = ItemVersion(item=item, number=1, created_by=_user(actor), **cleaned)
    timeliness.compute_due(version)
    version.save()
    _set_interpretations(version, interpretations)
    _audit(actor, "item_create", item, version, after=version_snapshot(version))
    return item


@transaction.atomic
def item_update(
    *, actor: Any, item: Item, interpretations: list[Item] | None = None, **fields: Any
) -> ItemVersion:
    """Edit the draft version (only a draft can change; a published text never does)."""
    item = _lock(item)
    _require(actor, "catalog.draft", item)
    version = _version_in(item, "update")
    before = version_snapshot(version)
    for name, value in _clean_fields(item, fields).items():
        setattr(version, name, value)
    if "formed_date" in fields or "legal_period_days" in fields:
        timeliness.compute_due(version)
    version.updated_at = _now()
    version.save()
    _set_interpretations(version, interpretations)
    _audit(actor, "item_update", item, version, before=before, after=version_snapshot(version))
    return version


@transaction.atomic
def item_submit(*, actor: Any, item: Item) -> ItemVersion:
    """Draft → 待保密审查. Runs the automatic checks so the reviewers see their findings."""
    item = _lock(item)
    _require(actor, "catalog.draft", item)
    version = _version_in(item, "submit")
    if not version.title or not version.formed_date:
        raise ValidationError(_("请先填写名称和成文日期。"))
    new = checks.run_checks(version)
    version.state = S.SECRECY_REVIEW
    version.submitted_by, version.submitted_at = _user(actor), _now()
    version.rejection_reason = ""
    version.save()
    _audit(
        actor,
        "item_submit",
        item,
        version,
        after={"state": version.state, "findings": version.findings.count()},
    )
    lines = [_("有一条信息提交保密审查，请处理。")]
    if new:
        lines.append(_("自动检查发现：%(what)s。") % {"what": checks.summary_line(new)})
    _mail("catalog.secrecy_review", item, version, _("【待保密审查】"), lines)
    return version


# ------------------------------------------------------------------ review


def _purge_secret(item: Item, actor: Any, reason: str) -> None:
    """涉密: remove every body and file of every version from this system, keep the metadata and
    the audit trail, and take the item off the public site for good."""
    now = _now()
    names = set()
    for version in item.versions.all():
        for attachment in version.attachments.all():
            names.add(attachment.file.name)
        version.attachments.update(file="", text="", purged_at=now)
        version.findings.all().delete()
        version.body = ""
        version.state = S.SECRET
        version.content_purged_at = now
        version.save(update_fields=["body", "state", "content_purged_at"])
    item.secrecy = Secrecy.SECRET
    item.secret_at = now
    item.published_version = None
    item.save()
    # Deleted now, not after commit: should the transaction fail, a missing file is the safe
    # side of "涉密信息不上网".
    for name in names:
        files.delete_stored_file(name)
    _audit(
        actor,
        "item_secret",
        item,
        None,
        after={"secrecy": Secrecy.SECRET, "files_removed": len(names)},
        note=reason,
    )
    # The alert names no title: the 保密审查员 opens the workbench on the internal network.
    link = notify.item_link(item.pk)
    notify.email_perm(
        "catalog.secrecy_review",
        item.unit,
        subject=_("【保密提醒】一条信息经审查为涉密，已从系统清除正文和附件"),
        body="\n".join(
            [
                _("单位：%(unit)s；信息编号：%(pk)s。") % {"unit": item.unit.name, "pk": item.pk},
                _("正文和附件已从系统删除，请按保密规定线下处置原件，并在工作台确认处置情况。"),
                link,
            ]
        ),
    )


@transaction.atomic
def item_secrecy_verdict(
    *,
    actor: Any,
    item: Item,
    secret: bool,
    disclosure: str = Disclosure.PROACTIVE,
    reason: str = "",
    basis: str = "",
    note: str = "",
) -> ItemVersion:
    """The 保密审查 verdict. 涉密 → the content is purged and the item can never be published.
    非涉密 with 公开方式 主动公开 → 待公开办审核; 依申请公开 → kept for applications;
    不予公开 → on the withheld register (条例18) with its reason and a re-assessment date."""
    item = _lock(item)
    _require(actor, "catalog.secrecy_review", item)
    version = _version_in(item, "secrecy_verdict")
    version.secrecy_reviewed_by, version.secrecy_reviewed_at = _user(actor), _now()
    version.secrecy_note = note.strip()
    if secret:
        version.secrecy_verdict = Secrecy.SECRET
        version.save()
        _purge_secret(item, actor, note.strip() or _("保密审查结论：涉密"))
        version.refresh_from_db()
        return version
    if disclosure not in Disclosure.values:
        raise ValidationError({"disclosure": _("请选择公开方式。")})
    if disclosure != Disclosure.PROACTIVE and not reason.strip():
        raise ValidationError({"reason": _("不主动公开时必须写明理由。")})
    before = {"state": version.state, "disclosure": item.disclosure}
    version.secrecy_verdict = Secrecy.NON_SECRET
    item.secrecy = Secrecy.NON_SECRET
    item.disclosure = disclosure
    item.disclosure_reason = reason.strip() if disclosure != Disclosure.PROACTIVE else ""
    item.disclosure_basis = basis.strip() if disclosure != Disclosure.PROACTIVE else ""
    if disclosure == Disclosure.PROACTIVE:
        version.state = S.OFFICE_REVIEW
        item.reassess_due = None
    elif disclosure == Disclosure.ON_REQUEST:
        version.state = S.ON_REQUEST
        item.reassess_due = None
    else:
        version.state = S.WITHHELD
        item.reassess_due = _reassess_date()
    version.save()
    item.save()
    _audit(
        actor,
        "item_secrecy_verdict",
        item,
        version,
        before=before,
        after={
            "state": version.state,
            "secrecy": Secrecy.NON_SECRET,
            "disclosure": disclosure,
            "reason": item.disclosure_reason,
            "basis": item.disclosure_basis,
        },
        note=note,
    )
    if version.state == S.OFFICE_REVIEW:
        _mail(
            "catalog.office_review",
            item,
            version,
            _("【待公开办审核】"),
            [_("一条信息已通过保密审查，请审核。")],
        )
    else:
        _mail_drafter(
            version,
            _("【不主动公开】"),
            [
                _("保密审查结论：%(d)s。理由：%(r)s")
                % {"d": item.get_disclosure_display(), "r": item.disclosure_reason}
            ],
        )
    return version


def _reassess_date(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    months = settings.CATALOG_WITHHELD_REASSESS_MONTHS
    month_index = today.month - 1 + months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def item_mark_secret(*, actor: Any, item: Item, reason: str) -> Item:
    """A 保密审查员 finds that an item in any state (published included) is 涉密: it comes off
    the site at once and its content is purged, as with a 涉密 verdict."""
    item = _lock(item)
    _require(actor, "catalog.secrecy_review", item)
    if item.secrecy == Secrecy.SECRET:
        raise InvalidTransition(_("该信息已定为涉密。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    _purge_secret(item, actor, reason.strip())
    return item


@transaction.atomic
def item_secret_handled(*, actor: Any, item: Item, note: str) -> Item:
    """The 保密审查员 confirms the 涉密 original was handled offline (clears the alert)."""
    item = _lock(item)
    _require(actor, "catalog.secrecy_review", item)
    if item.secrecy != Secrecy.SECRET or item.secret_handled_at is not None:
        raise InvalidTransition(_("没有待处置的涉密提醒。"))
    if not note.strip():
        raise ValidationError({"note": _("请简要说明线下处置情况。")})
    item.secret_handled_at, item.secret_handled_by = _now(), _user(actor)
    item.secret_handled_note = note.strip()
    item.save()
    _audit(actor, "item_secret_handled", item, None, note=note.strip())
    return item


@transaction.atomic
def item_office_approve(*, actor: Any, item: Item, note: str = "") -> ItemVersion:
    """公开办审核 passed: 待公开办审核 → 待领导签发."""
    item = _lock(item)
    _require(actor, "catalog.office_review", item)
    version = _version_in(item, "office_approve")
    version.office_approved_by, version.office_approved_at = _user(actor), _now()
    version.office_note = note.strip()
    version.state = S.SIGN_OFF
    version.save()
    _audit(actor, "item_office_approve", item, version, after={"state": version.state}, note=note)
    _mail(
        "catalog.sign_off", item, version, _("【待签发】"), [_("一条信息已经公开办审核，请签发。")]
    )
    return version


@transaction.atomic
def item_sign_off(
    *,
    actor: Any,
    item: Item,
    go_live_at: datetime.datetime | None = None,
    override_reason: str = "",
) -> ItemVersion:
    """The leader signs off: published now, or 已签发待发布 until `go_live_at`. Over findings of
    the automatic checks only with `override_reason` (audited). Raises PublishBlocked."""
    item = _lock(item)
    _require(actor, "catalog.sign_off", item)
    version = _version_in(item, "sign_off")
    now = _now()
    version.signed_off_by, version.signed_off_at = _user(actor), now
    version.checks_override_reason = override_reason.strip()
    version.checks_override_by = _user(actor) if override_reason.strip() else None
    if go_live_at is not None and go_live_at > now:
        checks.run_checks(version, now=now)
        found = publishing.problems(
            version, via=publishing.VIA_SIGN_OFF, override_reason=override_reason
        )
        if found:
            raise publishing.PublishBlocked(found)
        version.go_live_at = go_live_at
        version.state = S.SCHEDULED
        version.save()
        _audit(
            actor,
            "item_sign_off",
            item,
            version,
            after={"state": version.state, "go_live_at": go_live_at},
            note=(
                _("带检查问题签发，理由：%(r)s") % {"r": override_reason.strip()}
                if override_reason.strip()
                else ""
            ),
        )
        return version
    version.save()
    # The publication's audit row (via "sign_off", by this leader) records the signature.
    version = publishing.publish(
        version, actor=actor, via=publishing.VIA_SIGN_OFF, override_reason=override_reason, now=now
    )
    _mail_drafter(
        version, _("【已发布】"), [_("信息已签发并发布，索引号 %(n)s。") % {"n": item.index_number}]
    )
    return version


@transaction.atomic
def item_reject(*, actor: Any, item: Item, reason: str) -> ItemVersion:
    """Return the version from any review step to the drafter, with a reason. Every review is
    done again after resubmission."""
    item = _lock(item)
    _require_any(actor, tuple(set(REJECT_PERMS.values())), item)
    version = _version_in(item, "reject")
    _require(actor, REJECT_PERMS[version.state], item)
    if not reason.strip():
        raise ValidationError({"reason": _("退回时必须写明理由。")})
    before = {"state": version.state}
    version.rejected_from = version.state
    version.state = S.DRAFT
    version.rejection_reason = reason.strip()
    version.rejected_by, version.rejected_at = _user(actor), _now()
    _reset_review(version)
    version.save()
    _audit(
        actor,
        "item_reject",
        item,
        version,
        before=before,
        after={"state": S.DRAFT},
        note=reason.strip(),
    )
    _mail_drafter(version, _("【退回修改】"), [_("退回理由：%(r)s") % {"r": reason.strip()}])
    return version


# ------------------------------------------------------------------ after publication


def publish_due(now: datetime.datetime | None = None) -> int:
    """Publish every signed-off version whose go_live_at has come (the scheduled job; each item
    in its own transaction). A version the guard now refuses goes back to the leader."""
    now = now or _now()
    published = 0
    due = ItemVersion.objects.filter(state=S.SCHEDULED, go_live_at__lte=now).values_list(
        "item_id", flat=True
    )
    for item_id in list(due):
        try:
            if item_publish_due(item=Item.objects.get(pk=item_id), now=now):
                published += 1
        except InvalidTransition:
            continue  # handled by someone else meanwhile
    return published


@transaction.atomic
def item_publish_due(*, item: Item, now: datetime.datetime | None = None) -> bool:
    """已签发待发布 → 已发布 once go_live_at has passed. If the publishing guard refuses (new
    findings, a 涉密 verdict meanwhile), the version returns to 待领导签发 with the reasons."""
    now = now or _now()
    item = _lock(item)
    version = _version_in(item, "publish_due")
    if version.go_live_at is None or version.go_live_at > now:
        return False
    try:
        with transaction.atomic():
            publishing.publish(
                version,
                actor=None,
                via=publishing.VIA_SCHEDULE,
                override_reason=version.checks_override_reason,
                now=now,
            )
    except publishing.PublishBlocked as blocked:
        version.refresh_from_db()
        version.state = S.SIGN_OFF
        version.signed_off_at, version.signed_off_by, version.go_live_at = None, None, None
        version.save()
        reasons = "；".join(p.message for p in blocked.problems)
        _audit(
            None,
            "item_publish_blocked",
            item,
            version,
            after={"state": S.SIGN_OFF},
            note=reasons,
            actor_name="system:schedule",
        )
        _mail(
            "catalog.sign_off",
            item,
            version,
            _("【定时发布未成功】"),
            [_("定时发布前的检查未通过，信息已退回待签发：%(r)s") % {"r": reasons}],
        )
        return False
    return True


@transaction.atomic
def item_withdraw(*, actor: Any, item: Item, reason: str) -> Item:
    """撤回: take a published item off the public site, with a reason. Its 索引号 stays taken."""
    item = _lock(item)
    _require(actor, "catalog.sign_off", item)
    version = _version_in(item, "withdraw")
    if not reason.strip():
        raise ValidationError({"reason": _("撤回时必须写明理由。")})
    version.state = S.WITHDRAWN
    version.save(update_fields=["state"])
    item.published_version = None
    item.withdrawn_at, item.withdrawn_reason = _now(), reason.strip()
    item.save()
    _audit(
        actor,
        "item_withdraw",
        item,
        version,
        before={"state": S.PUBLISHED},
        after={"state": S.WITHDRAWN},
        note=reason.strip(),
    )
    return item


@transaction.atomic
def item_set_validity(
    *,
    actor: Any,
    item: Item,
    validity: str,
    effective_date: datetime.date | None = None,
    replaced_by: Item | None = None,
    note: str = "",
) -> Item:
    """Mark a published item 失效, 废止 or 已修改 (or 有效 again), with the date and, for 已修改
    (and optionally 废止), the item that replaces it. The mark shows on the public page."""
    item = _lock(item)
    _require(actor, "catalog.office_review", item)
    if validity not in Validity.values:
        raise ValidationError({"validity": _("请选择有效性。")})
    if item.first_published_at is None or item.secrecy == Secrecy.SECRET:
        raise InvalidTransition(_("只有已发布的信息才能标注有效性。"))
    errors = {}
    if validity != Validity.VALID and effective_date is None:
        errors["effective_date"] = _("请填写失效、废止或修改的日期。")
    if validity == Validity.AMENDED and replaced_by is None:
        errors["replaced_by"] = _("“已修改”须链接到修改后的新文件。")
    if replaced_by is not None and (replaced_by.pk == item.pk or not replaced_by.is_public):
        errors["replaced_by"] = _("替代文件必须是另一条已公开的信息。")
    if errors:
        raise ValidationError(errors)
    before = {
        "validity": item.validity,
        "validity_date": item.validity_date,
        "replaced_by": item.replaced_by_id,
    }
    item.validity = validity
    item.validity_date = effective_date if validity != Validity.VALID else None
    item.replaced_by = replaced_by if validity != Validity.VALID else None
    item.validity_note = note.strip()[:300]
    item.save()
    _audit(
        actor,
        "item_set_validity",
        item,
        item.published_version,
        before=before,
        after={
            "validity": validity,
            "validity_date": item.validity_date,
            "replaced_by": item.replaced_by_id,
        },
        note=note,
    )
    return item


@transaction.atomic
def item_new_version(*, actor: Any, item: Item) -> ItemVersion:
    """Start a new version of a published (or withdrawn) item: a draft copy of the last public
    content, attachments included, that goes through the whole review again. The public keeps
    seeing the published version until the new one is published."""
    item = _lock(item)
    _require(actor, "catalog.draft", item)
    if item.secrecy == Secrecy.SECRET:
        raise InvalidTransition(_("涉密信息不能再编辑或发布。"))
    if item.open_version() is not None:
        raise InvalidTransition(_("该信息已有一个正在编辑或审核的新版本。"))
    source = (
        item.published_version
        or item.versions.filter(state=S.WITHDRAWN).order_by("-number").first()
    )
    if source is None:
        raise InvalidTransition(_("只有已发布或已撤回的信息才能修订为新版本。"))
    last = item.versions.order_by("-number").first()
    version = ItemVersion(
        item=item,
        number=last.number + 1,
        created_by=_user(actor),
        **{name: getattr(source, name) for name in VERSION_FIELDS},
    )
    timeliness.compute_due(version)
    version.save()
    version.interpretations.set(source.interpretations.all())
    for a in source.attachments.filter(purged_at__isnull=True):
        Attachment.objects.create(
            version=version,
            file=a.file.name,
            name=a.name,
            kind=a.kind,
            size=a.size,
            sha256=a.sha256,
            text=a.text,
            readable=a.readable,
            unreadable_reason=a.unreadable_reason,
            sort_order=a.sort_order,
        )
    _audit(
        actor,
        "item_new_version",
        item,
        version,
        after={"version": version.number, "from_version": source.number},
    )
    return version


@transaction.atomic
def item_reassess(*, actor: Any, item: Item, release: bool, reason: str) -> ItemVersion:
    """Periodic re-assessment of a withheld (不予公开) or on-request item (条例18): keep it with a
    new reason and next date, or release it to 主动公开 (→ 待公开办审核)."""
    item = _lock(item)
    _require(actor, "catalog.secrecy_review", item)
    version = _version_in(item, "reassess")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明复核意见。")})
    before = {
        "state": version.state,
        "disclosure": item.disclosure,
        "reason": item.disclosure_reason,
        "reassess_due": item.reassess_due,
    }
    if release:
        item.disclosure, item.disclosure_reason, item.disclosure_basis = (
            Disclosure.PROACTIVE,
            "",
            "",
        )
        item.reassess_due = None
        version.state = S.OFFICE_REVIEW
        version.secrecy_reviewed_by, version.secrecy_reviewed_at = _user(actor), _now()
        version.secrecy_note = reason.strip()
        version.save()
    else:
        item.disclosure_reason = reason.strip()
        if item.disclosure == Disclosure.WITHHELD:
            item.reassess_due = _reassess_date()
    item.reassess_reminded_for = None
    item.save()
    _audit(
        actor,
        "item_reassess",
        item,
        version,
        before=before,
        after={
            "state": version.state,
            "disclosure": item.disclosure,
            "reassess_due": item.reassess_due,
            "released": release,
        },
        note=reason.strip(),
    )
    if release:
        _mail(
            "catalog.office_review",
            item,
            version,
            _("【待公开办审核】"),
            [_("一条不予公开的信息经复核转为主动公开，请审核。")],
        )
    return version


# ------------------------------------------------------------------ attachments


@transaction.atomic
def attachment_add(*, actor: Any, item: Item, data: bytes, name: str) -> Attachment:
    """Add a file to the draft version (type checked by content, size limited, text extracted).
    Raises ValidationError with a message for the clerk."""
    item = _lock(item)
    _require(actor, "catalog.draft", item)
    version = _version_in(item, "attach")
    prepared = files.prepare(data, name)
    order = (
        version.attachments.order_by("-sort_order").values_list("sort_order", flat=True).first()
        or 0
    ) + 1
    attachment = files.store(prepared, version=version, sort_order=order)
    _audit(
        actor,
        "attachment_add",
        item,
        version,
        after={
            "name": attachment.name,
            "kind": attachment.kind,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "readable": attachment.readable,
        },
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """Remove a file from the draft version (the stored file stays if an older version uses it)."""
    item = _lock(attachment.version.item)
    _require(actor, "catalog.draft", item)
    version = _version_in(item, "attach")
    attachment = Attachment.objects.get(pk=attachment.pk, version=version)
    name = attachment.file.name
    after = {"name": attachment.name, "sha256": attachment.sha256}
    attachment.delete()
    transaction.on_commit(lambda: files.delete_stored_file(name))
    _audit(actor, "attachment_remove", item, version, before=after)


@transaction.atomic
def attachment_confirm_unreadable(*, actor: Any, attachment: Attachment, note: str) -> Attachment:
    """A reviewer has looked at a file whose text could not be read and confirms it holds
    nothing secret or personal. Required before such a file is published."""
    item = _lock(attachment.version.item)
    _require_any(actor, ("catalog.secrecy_review", "catalog.office_review"), item)
    version = _version_in(item, "confirm_unreadable")
    attachment = Attachment.objects.get(pk=attachment.pk, version=version)
    if attachment.readable or attachment.readable_confirmed_at is not None:
        raise InvalidTransition(_("该附件无需人工确认。"))
    if not note.strip():
        raise ValidationError({"note": _("请说明人工检查的结果。")})
    attachment.readable_confirmed_by, attachment.readable_confirmed_at = _user(actor), _now()
    attachment.readable_confirm_note = note.strip()[:300]
    attachment.save()
    _audit(
        actor,
        "attachment_confirm_unreadable",
        item,
        version,
        after={"name": attachment.name, "sha256": attachment.sha256},
        note=note.strip(),
    )
    return attachment
