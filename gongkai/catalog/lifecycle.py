"""What happens to a catalog item after publication: scheduled publishing, withdrawal (撤回) and
紧急撤回 (take-down, confirmed or undone by the leader), validity (失效/废止/已修改), new versions,
the periodic re-assessment of withheld items and the clearing of rescan findings.
Re-exported by `gongkai.catalog.actions`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.catalog import notify, publishing, timeliness
from gongkai.catalog.models import (
    Attachment,
    Disclosure,
    Finding,
    Item,
    ItemVersion,
    Secrecy,
    Takedown,
    Validity,
)
from gongkai.catalog.workflow import (
    VERSION_FIELDS,
    InvalidTransition,
    S,
    audit,
    current_time,
    lock_item,
    mail_perm,
    reassess_date,
    require,
    require_any,
    user_or_none,
    version_in,
)

# ------------------------------------------------------------------ after publication


def publish_due(now: datetime.datetime | None = None) -> int:
    """Publish every signed-off version whose go_live_at has come (the scheduled job; each item
    in its own transaction). A version the guard now refuses goes back to the leader."""
    now = now or current_time()
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
    now = now or current_time()
    item = lock_item(item)
    version = version_in(item, "publish_due")
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
        audit(
            None,
            "item_publish_blocked",
            item,
            version,
            after={"state": S.SIGN_OFF},
            note=reasons,
            actor_name="system:schedule",
        )
        mail_perm(
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
    item = lock_item(item)
    require(actor, "catalog.sign_off", item)
    version = version_in(item, "withdraw")
    if not reason.strip():
        raise ValidationError({"reason": _("撤回时必须写明理由。")})
    version.state = S.WITHDRAWN
    version.save(update_fields=["state"])
    item.published_version = None
    item.withdrawn_at, item.withdrawn_reason = current_time(), reason.strip()
    item.save()
    audit(
        actor,
        "item_withdraw",
        item,
        version,
        before={"state": S.PUBLISHED},
        after={"state": S.WITHDRAWN},
        note=reason.strip(),
    )
    publishing.item_changed(item.pk)
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
    item = lock_item(item)
    require(actor, "catalog.office_review", item)
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
    audit(
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
    publishing.item_changed(item.pk)
    return item


@transaction.atomic
def item_new_version(*, actor: Any, item: Item) -> ItemVersion:
    """Start a new version of a published (or withdrawn) item: a draft copy of the last public
    content, attachments included, that goes through the whole review again. The public keeps
    seeing the published version until the new one is published."""
    item = lock_item(item)
    require(actor, "catalog.draft", item)
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
    last_number = item.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ItemVersion(
        item=item,
        number=last_number + 1,
        created_by=user_or_none(actor),
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
    audit(
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
    item = lock_item(item)
    require(actor, "catalog.secrecy_review", item)
    version = version_in(item, "reassess")
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
        version.secrecy_reviewed_by, version.secrecy_reviewed_at = (
            user_or_none(actor),
            current_time(),
        )
        version.secrecy_note = reason.strip()
        version.save()
    else:
        item.disclosure_reason = reason.strip()
        if item.disclosure == Disclosure.WITHHELD:
            item.reassess_due = reassess_date()
    item.reassess_reminded_for = None
    item.save()
    audit(
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
        mail_perm(
            "catalog.office_review",
            item,
            version,
            _("【待公开办审核】"),
            [_("一条不予公开的信息经复核转为主动公开，请审核。")],
        )
    return version


# ------------------------------------------------------------------ 紧急撤回 and the rescan queue


@transaction.atomic
def item_take_down(*, actor: Any, item: Item, reason: str) -> Item:
    """紧急撤回: the 公开办负责人 or the 保密审查员 (or the leader) takes a published item offline
    at once, with a reason; it leaves the portal, search, feeds, sitemap, API and caches as a
    withdrawal does. The leader is told and confirms it or restores the item."""
    item = lock_item(item)
    require(actor, "catalog.take_down", item)
    version = version_in(item, "take_down")
    if not reason.strip():
        raise ValidationError({"reason": _("紧急撤回时必须写明理由。")})
    leader = actor is None or permissions.has_perm(actor, "catalog.sign_off", item.unit)
    now = current_time()
    version.state = S.WITHDRAWN
    version.save(update_fields=["state"])
    item.published_version = None
    item.withdrawn_at, item.withdrawn_reason = now, reason.strip()
    item.takedown = Takedown.CONFIRMED if leader else Takedown.PENDING
    item.taken_down_by = user_or_none(actor)
    item.takedown_decided_by = user_or_none(actor) if leader else None
    item.takedown_decided_at = now if leader else None
    item.takedown_note = ""
    item.save()
    audit(
        actor,
        "item_take_down",
        item,
        version,
        before={"state": S.PUBLISHED},
        after={"state": S.WITHDRAWN, "takedown": item.takedown},
        note=reason.strip(),
    )
    publishing.item_changed(item.pk)
    if not leader:
        mail_perm(
            "catalog.sign_off",
            item,
            version,
            _("【紧急撤回待确认】"),
            [
                _("%(who)s 已将该信息紧急撤回，公开网站不再显示。理由：%(r)s")
                % {"who": getattr(actor, "display_name", "") or actor, "r": reason.strip()},
                _("请确认撤回，或恢复公开。"),
            ],
        )
    return item


@transaction.atomic
def item_takedown_decide(*, actor: Any, item: Item, restore: bool, note: str = "") -> Item:
    """The leader confirms a 紧急撤回 (the item stays withdrawn) or restores the version that
    was taken down (public again, same content and fingerprint)."""
    item = lock_item(item)
    require(actor, "catalog.sign_off", item)
    if item.takedown != Takedown.PENDING:
        raise InvalidTransition(_("没有待确认的紧急撤回。"))
    version = version_in(item, "restore")
    if restore and not note.strip():
        raise ValidationError({"note": _("恢复公开时请写明理由。")})
    now = current_time()
    before = {"state": version.state, "takedown": item.takedown}
    if restore:
        if item.secrecy == Secrecy.SECRET or item.published_version_id is not None:
            raise InvalidTransition(_("该信息已有其他公开版本或已定为涉密，不能恢复。"))
        version.state = S.PUBLISHED
        version.save(update_fields=["state"])
        item.published_version = version
        item.withdrawn_at, item.withdrawn_reason = None, ""
        item.takedown = Takedown.RESTORED
    else:
        item.takedown = Takedown.CONFIRMED
    item.takedown_decided_by, item.takedown_decided_at = user_or_none(actor), now
    item.takedown_note = note.strip()
    item.save()
    audit(
        actor,
        "item_takedown_restore" if restore else "item_takedown_confirm",
        item,
        version,
        before=before,
        after={"state": version.state, "takedown": item.takedown},
        note=note.strip(),
    )
    if restore:
        publishing.item_changed(item.pk)
    if item.taken_down_by is not None:
        notify.email_users(
            [item.taken_down_by],
            subject=(_("【已恢复公开】%(t)s") if restore else _("【紧急撤回已确认】%(t)s"))
            % {"t": version.title},
            body="\n".join(filter(None, [note.strip(), notify.item_link(item.pk)])),
        )
    return item


@transaction.atomic
def finding_clear(*, actor: Any, finding: Finding, note: str) -> Finding:
    """A reviewer judges a finding of a published version harmless (an office's number, a
    fictitious example…): it leaves the rescan queue. Anything personal is taken down instead."""
    item = lock_item(finding.version.item)
    require_any(actor, ("catalog.secrecy_review", "catalog.office_review"), item)
    finding = Finding.objects.select_related("version").get(pk=finding.pk)
    if finding.cleared_at is not None:
        raise InvalidTransition(_("该发现已核实。"))
    if finding.version.state != S.PUBLISHED:
        raise InvalidTransition(_("只有已发布信息的检查发现需要在此核实。"))
    if not note.strip():
        raise ValidationError({"note": _("请说明核实结果（为什么不是个人信息或涉密内容）。")})
    finding.cleared_at, finding.cleared_by = current_time(), user_or_none(actor)
    finding.cleared_note = note.strip()[:300]
    finding.save(update_fields=["cleared_at", "cleared_by", "cleared_note"])
    audit(
        actor,
        "finding_clear",
        item,
        finding.version,
        after={"kind": finding.kind, "source": finding.source},
        note=note.strip(),
    )
    return finding
