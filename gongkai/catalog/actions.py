"""State changes of catalog items: the review workflow (拟文 → 保密审查 → 公开办审核 → 领导签发 →
发布), versions, validity, withdrawal, the withheld register and attachments.

Each function runs in one transaction, checks the actor's permission on the item's unit first,
moves the version along `workflow.TRANSITIONS`, writes one audit row and queues e-mail for the
next people (their workbench queue follows from the new state, see queries.queue_for). Pages,
the API, commands and jobs all call these functions. Publishing itself goes through
`gongkai.catalog.publishing.publish`, the single publishing guard.

This module holds drafting, review and attachments; what happens after publication (scheduled
publishing, withdrawal, validity, new versions, re-assessment) is in `lifecycle` and the
category tree's edits in `taxonomy`. All are re-exported here, so callers use
`actions.<name>` for every catalog state change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.accounts.permissions import PermissionDenied
from gongkai.catalog import attachments as files
from gongkai.catalog import checks, notify, publishing, timeliness
from gongkai.catalog.models import (
    Attachment,
    Disclosure,
    Item,
    ItemVersion,
    Secrecy,
)
from gongkai.catalog.workflow import (
    REJECT_PERMS,
    InvalidTransition,
    S,
    audit,
    clean_fields,
    current_time,
    lock_item,
    mail_drafter,
    mail_perm,
    normalise_document_number,
    reassess_date,
    require,
    require_any,
    reset_review,
    set_interpretations,
    user_or_none,
    version_in,
    version_snapshot,
)

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
    item = Item(organ=organ, unit=unit, created_by=user_or_none(actor))
    for required in ("title", "formed_date"):
        fields.setdefault(required, None)
    cleaned = clean_fields(item, fields)
    item.save()
    version = ItemVersion(item=item, number=1, created_by=user_or_none(actor), **cleaned)
    timeliness.compute_due(version)
    version.save()
    set_interpretations(version, interpretations)
    audit(actor, "item_create", item, version, after=version_snapshot(version))
    return item


@transaction.atomic
def item_update(
    *, actor: Any, item: Item, interpretations: list[Item] | None = None, **fields: Any
) -> ItemVersion:
    """Edit the draft version (only a draft can change; a published text never does)."""
    item = lock_item(item)
    require(actor, "catalog.draft", item)
    version = version_in(item, "update")
    before = version_snapshot(version)
    for name, value in clean_fields(item, fields).items():
        setattr(version, name, value)
    if "formed_date" in fields or "legal_period_days" in fields:
        timeliness.compute_due(version)
    version.updated_at = current_time()
    version.save()
    set_interpretations(version, interpretations)
    audit(actor, "item_update", item, version, before=before, after=version_snapshot(version))
    return version


@transaction.atomic
def item_submit(*, actor: Any, item: Item) -> ItemVersion:
    """Draft → 待保密审查. Runs the automatic checks so the reviewers see their findings."""
    item = lock_item(item)
    require(actor, "catalog.draft", item)
    version = version_in(item, "submit")
    if not version.title or not version.formed_date:
        raise ValidationError(_("请先填写名称和成文日期。"))
    new = checks.run_checks(version)
    version.state = S.SECRECY_REVIEW
    version.submitted_by, version.submitted_at = user_or_none(actor), current_time()
    version.rejection_reason = ""
    version.review_started_at = None
    version.save()
    audit(
        actor,
        "item_submit",
        item,
        version,
        after={"state": version.state, "findings": version.findings.count()},
    )
    lines = [_("有一条信息提交保密审查，请处理。")]
    if new:
        lines.append(_("自动检查发现：%(what)s。") % {"what": checks.summary_line(new)})
    mail_perm("catalog.secrecy_review", item, version, _("【待保密审查】"), lines)
    return version


@transaction.atomic
def item_recall(*, actor: Any, item: Item) -> ItemVersion:
    """The drafter takes a submitted version back (待保密审查 → draft) to correct it, as long as
    no reviewer has started: no 保密审查 verdict, nobody has opened it for review."""
    item = lock_item(item)
    require(actor, "catalog.draft", item)
    version = version_in(item, "recall")
    if version.secrecy_reviewed_at is not None or version.review_started_at is not None:
        raise InvalidTransition(_("保密审查员已开始审查，不能再收回；如需修改请联系审查人员退回。"))
    version.state = S.DRAFT
    reset_review(version)
    version.save()
    audit(
        actor,
        "item_recall",
        item,
        version,
        before={"state": S.SECRECY_REVIEW},
        after={"state": S.DRAFT},
    )
    return version


@transaction.atomic
def item_review_started(*, actor: Any, item: Item) -> None:
    """A 保密审查员 opened the version for review: from now on the drafter cannot recall it."""
    ItemVersion.objects.filter(
        item=item, state=S.SECRECY_REVIEW, review_started_at__isnull=True
    ).update(review_started_at=current_time())


# ------------------------------------------------------------------ review


def _purge_secret(item: Item, actor: Any, reason: str) -> None:
    """涉密: remove every body and file of every version from this system, keep the metadata and
    the audit trail, and take the item off the public site for good."""
    now = current_time()
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
    publishing.item_changed(item.pk)
    audit(
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
    item = lock_item(item)
    require(actor, "catalog.secrecy_review", item)
    version = version_in(item, "secrecy_verdict")
    version.secrecy_reviewed_by, version.secrecy_reviewed_at = user_or_none(actor), current_time()
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
        item.reassess_due = reassess_date()
    version.save()
    item.save()
    audit(
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
        mail_perm(
            "catalog.office_review",
            item,
            version,
            _("【待公开办审核】"),
            [_("一条信息已通过保密审查，请审核。")],
        )
    else:
        mail_drafter(
            version,
            _("【不主动公开】"),
            [
                _("保密审查结论：%(d)s。理由：%(r)s")
                % {"d": item.get_disclosure_display(), "r": item.disclosure_reason}
            ],
        )
    return version


@transaction.atomic
def item_mark_secret(*, actor: Any, item: Item, reason: str) -> Item:
    """A 保密审查员 finds that an item in any state (published included) is 涉密: it comes off
    the site at once and its content is purged, as with a 涉密 verdict."""
    item = lock_item(item)
    require(actor, "catalog.secrecy_review", item)
    if item.secrecy == Secrecy.SECRET:
        raise InvalidTransition(_("该信息已定为涉密。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    _purge_secret(item, actor, reason.strip())
    return item


@transaction.atomic
def item_secret_handled(*, actor: Any, item: Item, note: str) -> Item:
    """The 保密审查员 confirms the 涉密 original was handled offline (clears the alert)."""
    item = lock_item(item)
    require(actor, "catalog.secrecy_review", item)
    if item.secrecy != Secrecy.SECRET or item.secret_handled_at is not None:
        raise InvalidTransition(_("没有待处置的涉密提醒。"))
    if not note.strip():
        raise ValidationError({"note": _("请简要说明线下处置情况。")})
    item.secret_handled_at, item.secret_handled_by = current_time(), user_or_none(actor)
    item.secret_handled_note = note.strip()
    item.save()
    audit(actor, "item_secret_handled", item, None, note=note.strip())
    return item


@transaction.atomic
def item_office_approve(*, actor: Any, item: Item, note: str = "") -> ItemVersion:
    """公开办审核 passed: 待公开办审核 → 待领导签发."""
    item = lock_item(item)
    require(actor, "catalog.office_review", item)
    version = version_in(item, "office_approve")
    version.office_approved_by, version.office_approved_at = user_or_none(actor), current_time()
    version.office_note = note.strip()
    version.state = S.SIGN_OFF
    version.save()
    audit(actor, "item_office_approve", item, version, after={"state": version.state}, note=note)
    mail_perm(
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
    item = lock_item(item)
    require(actor, "catalog.sign_off", item)
    version = version_in(item, "sign_off")
    now = current_time()
    version.signed_off_by, version.signed_off_at = user_or_none(actor), now
    version.checks_override_reason = override_reason.strip()
    version.checks_override_by = user_or_none(actor) if override_reason.strip() else None
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
        audit(
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
    mail_drafter(
        version, _("【已发布】"), [_("信息已签发并发布，索引号 %(n)s。") % {"n": item.index_number}]
    )
    return version


@transaction.atomic
def item_reject(*, actor: Any, item: Item, reason: str) -> ItemVersion:
    """Return the version from any review step to the drafter, with a reason. Every review is
    done again after resubmission."""
    item = lock_item(item)
    require_any(actor, tuple(set(REJECT_PERMS.values())), item)
    version = version_in(item, "reject")
    require(actor, REJECT_PERMS[version.state], item)
    if not reason.strip():
        raise ValidationError({"reason": _("退回时必须写明理由。")})
    before = {"state": version.state}
    version.rejected_from = version.state
    version.state = S.DRAFT
    version.rejection_reason = reason.strip()
    version.rejected_by, version.rejected_at = user_or_none(actor), current_time()
    reset_review(version)
    version.save()
    audit(
        actor,
        "item_reject",
        item,
        version,
        before=before,
        after={"state": S.DRAFT},
        note=reason.strip(),
    )
    mail_drafter(version, _("【退回修改】"), [_("退回理由：%(r)s") % {"r": reason.strip()}])
    return version


# ------------------------------------------------------------------ attachments


@transaction.atomic
def attachment_add(*, actor: Any, item: Item, data: bytes, name: str) -> Attachment:
    """Add a file to the draft version (type checked by content, size limited, text extracted).
    Raises ValidationError with a message for the clerk."""
    item = lock_item(item)
    require(actor, "catalog.draft", item)
    version = version_in(item, "attach")
    prepared = files.prepare(data, name)
    order = (
        version.attachments.order_by("-sort_order").values_list("sort_order", flat=True).first()
        or 0
    ) + 1
    attachment = files.store(prepared, version=version, sort_order=order)
    audit(
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
    item = lock_item(attachment.version.item)
    require(actor, "catalog.draft", item)
    version = version_in(item, "attach")
    attachment = Attachment.objects.get(pk=attachment.pk, version=version)
    name = attachment.file.name
    after = {"name": attachment.name, "sha256": attachment.sha256}
    attachment.delete()
    transaction.on_commit(lambda: files.delete_stored_file(name))
    audit(actor, "attachment_remove", item, version, before=after)


@transaction.atomic
def attachment_confirm_unreadable(*, actor: Any, attachment: Attachment, note: str) -> Attachment:
    """A reviewer has looked at a file whose text could not be read and confirms it holds
    nothing secret or personal. Required before such a file is published."""
    item = lock_item(attachment.version.item)
    require_any(actor, ("catalog.secrecy_review", "catalog.office_review"), item)
    version = version_in(item, "confirm_unreadable")
    attachment = Attachment.objects.get(pk=attachment.pk, version=version)
    if attachment.readable or attachment.readable_confirmed_at is not None:
        raise InvalidTransition(_("该附件无需人工确认。"))
    if not note.strip():
        raise ValidationError({"note": _("请说明人工检查的结果。")})
    attachment.readable_confirmed_by, attachment.readable_confirmed_at = (
        user_or_none(actor),
        current_time(),
    )
    attachment.readable_confirm_note = note.strip()[:300]
    attachment.save()
    audit(
        actor,
        "attachment_confirm_unreadable",
        item,
        version,
        after={"name": attachment.name, "sha256": attachment.sha256},
        note=note.strip(),
    )
    return attachment


# Re-exported so that every state change is `actions.<name>`.
from gongkai.catalog.lifecycle import (  # noqa: E402
    finding_clear,
    item_new_version,
    item_publish_due,
    item_reassess,
    item_set_validity,
    item_take_down,
    item_takedown_decide,
    item_withdraw,
    publish_due,
)
from gongkai.catalog.taxonomy import (  # noqa: E402
    alias_create,
    alias_delete,
    category_create,
    category_update,
)

__all__ = [
    "InvalidTransition",
    "PermissionDenied",
    "ValidationError",
    "alias_create",
    "alias_delete",
    "attachment_add",
    "attachment_confirm_unreadable",
    "attachment_remove",
    "category_create",
    "category_update",
    "finding_clear",
    "item_create",
    "item_mark_secret",
    "item_new_version",
    "item_office_approve",
    "item_publish_due",
    "item_reassess",
    "item_recall",
    "item_reject",
    "item_review_started",
    "item_secrecy_verdict",
    "item_secret_handled",
    "item_set_validity",
    "item_sign_off",
    "item_submit",
    "item_take_down",
    "item_takedown_decide",
    "item_update",
    "item_withdraw",
    "normalise_document_number",
    "publish_due",
]
