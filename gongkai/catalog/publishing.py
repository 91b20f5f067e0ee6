"""The one way a version goes online. Every path (a leader's sign-off in a page or the API, the
scheduled job, the legacy import) calls `publish`, which calls `problems` first: so the rules
"涉密信息不上网", "未经审核的信息不准上网", images need alt text, unreadable files need a person's
confirmation, and check findings need a leader's written reason, live here and nowhere else.

`publish` also assigns the 索引号 at the first publication, supersedes the previous version,
records the SHA-256 fingerprint of the canonical content, and writes the audit row."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.catalog import checks, indexnum
from gongkai.catalog.models import (
    Disclosure,
    Item,
    ItemVersion,
    Secrecy,
    VersionState,
)
from gongkai.catalog.richtext import images_without_alt

logger = logging.getLogger(__name__)

# The paths to publication; each has its own precondition about the review.
VIA_SIGN_OFF = "sign_off"  # a leader signs off and publishes now
VIA_SCHEDULE = "schedule"  # the job publishes a signed-off version at its go_live_at
VIA_IMPORT = "import"  # an already-public item from a legacy site
VIAS = {VIA_SIGN_OFF, VIA_SCHEDULE, VIA_IMPORT}


# Called after commit with the pk of an item whose public face changed: published, withdrawn,
# taken offline as 涉密, validity marked. The search index and caches register here (from their
# AppConfig.ready()); a failing callback is logged and never undoes the change.
item_changed_callbacks: list[Callable[[int], None]] = []


def on_item_changed(func: Callable[[int], None]) -> Callable[[int], None]:
    """Register `func(item_pk)`; usable as a decorator."""
    if func not in item_changed_callbacks:
        item_changed_callbacks.append(func)
    return func


# Called inside the transaction of the change, before commit, with the same pk: for bookkeeping
# that must commit (or roll back) with the change itself (the static publisher's queue of pages
# to rewrite). An exception here rolls the change back.
item_changing_callbacks: list[Callable[[int], None]] = []


def on_item_changing(func: Callable[[int], None]) -> Callable[[int], None]:
    """Register `func(item_pk)` to run inside the changing transaction."""
    if func not in item_changing_callbacks:
        item_changing_callbacks.append(func)
    return func


def item_changed(item_pk: int) -> None:
    """Run the in-transaction callbacks now and the others once the transaction commits."""
    for changing in list(item_changing_callbacks):
        changing(item_pk)

    def run() -> None:
        for callback in list(item_changed_callbacks):
            try:
                callback(item_pk)
            except Exception:
                logger.exception("item_changed callback %r failed for item %s", callback, item_pk)

    transaction.on_commit(run)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    # A finding of the automatic checks can be published over with a leader's reason; nothing
    # else can.
    overridable: bool = False


class PublishBlocked(ValidationError):
    """Publication refused; `problems` says why (each with a message for the user)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([p.message for p in problems])


def problems(version: ItemVersion, *, via: str, override_reason: str = "") -> list[Problem]:
    """Everything that stands between `version` and publication by `via` (empty: go ahead).
    Findings must be stored already (checks.run_checks)."""
    if via not in VIAS:
        raise ValueError(f"unknown publication path {via!r}")
    item = version.item
    found: list[Problem] = []
    if item.secrecy == Secrecy.SECRET or version.state == VersionState.SECRET:
        # Nothing else matters: 涉密 information never goes online.
        return [Problem("secret", _("该信息经保密审查为涉密，不得在互联网公开。"))]
    if item.disclosure != Disclosure.PROACTIVE:
        found.append(
            Problem(
                "not_proactive",
                _("该信息的公开方式为“%(d)s”，不能主动公开。")
                % {"d": item.get_disclosure_display()},
            )
        )
    if via == VIA_IMPORT:
        if not item.is_imported or version.state != VersionState.DRAFT:
            found.append(Problem("not_imported", _("只有导入的历史信息可以不经审签直接发布。")))
    else:
        if version.secrecy_verdict != Secrecy.NON_SECRET or version.secrecy_reviewed_at is None:
            found.append(Problem("no_secrecy_review", _("尚未通过保密审查。")))
        if version.office_approved_at is None:
            found.append(Problem("no_office_review", _("尚未经公开办审核。")))
        if version.signed_off_at is None:
            found.append(Problem("not_signed_off", _("尚未经领导签发。")))
        allowed = {
            VIA_SIGN_OFF: {VersionState.SIGN_OFF, VersionState.SCHEDULED},
            VIA_SCHEDULE: {VersionState.SCHEDULED},
        }[via]
        if version.state not in allowed:
            found.append(
                Problem(
                    "wrong_state",
                    _("当前状态（%(s)s）不能发布。") % {"s": version.get_state_display()},
                )
            )
    missing_alt = images_without_alt(version.body)
    if missing_alt:
        found.append(
            Problem(
                "missing_alt",
                _("正文中有 %(n)s 张图片没有替代文字（alt），请补充后再发布。")
                % {"n": len(missing_alt)},
            )
        )
    unconfirmed = [a.name for a in version.attachments.all() if a.needs_confirmation]
    if unconfirmed:
        found.append(
            Problem(
                "unreadable_unconfirmed",
                _("附件“%(names)s”的文字无法自动检查，须由审核人员人工确认后才能发布。")
                % {"names": "”“".join(unconfirmed)},
            )
        )
    findings = list(version.findings.all())
    if via == VIA_IMPORT:
        # Legacy pages are already online; the office is told about personal data in them by the
        # nightly re-check, but marks and identity or card numbers stop the import.
        high = [f for f in findings if f.severity == "high"]
        if high:
            found.append(
                Problem(
                    "findings_high",
                    _("检查发现%(what)s，不能导入。") % {"what": checks.summary_line(high)},
                )
            )
    elif findings and not override_reason.strip():
        found.append(
            Problem(
                "findings",
                _("自动检查发现%(what)s。请修改，或由签发领导填写理由后发布。")
                % {"what": checks.summary_line(findings)},
                overridable=True,
            )
        )
    return found


def fingerprint(version: ItemVersion) -> str:
    """SHA-256 of the canonical content: the metadata the public sees, the body and the hashes
    of the attachments, as sorted-key JSON. Anyone holding an export can recompute it."""
    item = version.item
    content = {
        "index_number": item.index_number,
        "organ": item.organ.name,
        "version": version.number,
        "title": version.title,
        "summary": version.summary,
        "formed_date": version.formed_date.isoformat(),
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "document_number": version.document_number,
        "topic": version.topic.code if version.topic else None,
        "genre": version.genre.code if version.genre else None,
        "category": version.category.code if version.category else None,
        "disclosure": item.disclosure,
        "scope": version.scope,
        "keywords": version.keywords,
        "body": version.body,
        "attachments": [
            {"name": a.name, "sha256": a.sha256}
            for a in version.attachments.order_by("sort_order", "id")
        ],
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def publish(
    version: ItemVersion,
    *,
    actor,
    via: str,
    override_reason: str = "",
    now: datetime.datetime | None = None,
) -> ItemVersion:
    """Publish `version` or raise PublishBlocked. Re-runs the checks first. Runs in (and
    requires) the caller's transaction, locking the item row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish must run inside a transaction")
    now = now or timezone.now()
    item = Item.objects.select_for_update().select_related("organ", "unit").get(pk=version.item_id)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    version.item = item
    checks.run_checks(version, now=now)
    found = problems(version, via=via, override_reason=override_reason)
    if found:
        raise PublishBlocked(found)
    findings = list(version.findings.all())
    if findings and via != VIA_IMPORT:
        version.checks_override_reason = override_reason.strip()
        version.checks_override_by = actor if getattr(actor, "is_authenticated", False) else None
    elif findings:
        version.checks_override_reason = _(
            "导入的历史公开信息，检查发现（%(what)s）已转公开办复核"
        ) % {"what": checks.summary_line(findings)}

    if not item.index_number:
        item.index_number = indexnum.next_number(item.organ, timezone.localdate(now).year)
    previous = item.published_version
    if previous is not None and previous.pk != version.pk:
        ItemVersion.objects.filter(pk=previous.pk).update(state=VersionState.SUPERSEDED)

    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.fingerprint = fingerprint(version)
    version.save()
    item.published_version = version
    item.secrecy = Secrecy.NON_SECRET
    if item.first_published_at is None:
        item.first_published_at = now
    item.withdrawn_at = None
    item.withdrawn_reason = ""
    item.save()
    record(
        actor=actor,
        action="catalog.item_publish",
        obj=item,
        unit=item.organ,
        object_repr=f"{item.index_number} {version.title}",
        after={
            "index_number": item.index_number,
            "version": version.number,
            "via": via,
            "fingerprint": version.fingerprint,
            "published_at": now,
            "override_reason": version.checks_override_reason,
            "findings": len(findings),
        },
        note=(
            _("带检查问题发布，理由：%(r)s") % {"r": version.checks_override_reason}
            if findings and via != VIA_IMPORT
            else ""
        ),
        actor_name="" if actor is not None else f"system:{via}",
    )
    item_changed(item.pk)
    return version
