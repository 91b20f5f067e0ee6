"""The machinery shared by the catalog's actions: the transition table, permission checks,
locking, audit rows without bodies, e-mail to the next people and field cleaning.

`TRANSITIONS` is the one place that says which action may start from which state and which
permission it needs; the actions themselves live in `actions` (drafting, review, attachments)
and `lifecycle` (after publication), both reachable as `gongkai.catalog.actions.<name>`.

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
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.audit.log import record
from gongkai.catalog import notify
from gongkai.catalog.models import (
    Category,
    Genre,
    Item,
    ItemVersion,
    Secrecy,
    Topic,
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
    "take_down": (frozenset({S.PUBLISHED}), "catalog.take_down"),  # → withdrawn, leader decides
    "restore": (frozenset({S.WITHDRAWN}), "catalog.sign_off"),  # → published (after take_down)
    "recall": (frozenset({S.SECRECY_REVIEW}), "catalog.draft"),  # → draft, before any review
    "reassess": (frozenset({S.WITHHELD, S.ON_REQUEST}), "catalog.secrecy_review"),
    # → withheld again (new reason) | office_review (released to 主动公开)
    "attach": (frozenset({S.DRAFT}), "catalog.draft"),
    "confirm_unreadable": (frozenset({S.SECRECY_REVIEW, S.OFFICE_REVIEW, S.SIGN_OFF}), None),
}
REJECT_PERMS: dict[str, str] = {
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


def current_time() -> datetime.datetime:
    return timezone.now()


def lock_item(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("organ", "unit").get(pk=item.pk)


def version_in(item: Item, action: str) -> ItemVersion:
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


def require(actor: Any, perm: str, item: Item) -> None:
    if actor is None:  # a system run (command, job) acts for the organ
        return
    permissions.require(actor, perm, item.unit)


def require_any(actor: Any, perms: tuple[str, ...], item: Item) -> None:
    if actor is None:
        return
    if not any(permissions.has_perm(actor, p, item.unit) for p in perms):
        raise permissions.PermissionDenied(
            f"{actor} lacks {' or '.join(perms)} on {item.unit.code}"
        )


def user_or_none(actor: Any):
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


def audit(
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


def mail_perm(perm: str, item: Item, version: ItemVersion, subject: str, lines: list[str]) -> None:
    link = notify.item_link(item.pk)
    body = "\n".join([*lines, "", link] if link else lines)
    notify.email_perm(perm, item.unit, subject=f"{subject}：{version.title}", body=body)


def mail_drafter(version: ItemVersion, subject: str, lines: list[str]) -> None:
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


def clean_fields(item: Item, fields: dict[str, Any]) -> dict[str, Any]:
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
        or (category.unit is not None and not item.unit.is_within(category.unit))
    ):
        errors["category"] = _("该目录分类不存在、已停用或不属于本单位。")
    period = cleaned.get("legal_period_days")
    if period is not None and not (1 <= int(period) <= 365):
        errors["legal_period_days"] = _("法定期限应在 1 至 365 个工作日之间。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def set_interpretations(version: ItemVersion, interpretations: list[Item] | None) -> None:
    if interpretations is None:
        return
    """Link the version to its 政策解读 items: public ones, or drafts of the same organ (they
    show to the public once published)."""
    organ_id = version.item.organ_id
    bad = [
        i
        for i in interpretations
        if i.pk == version.item_id
        or i.secrecy == Secrecy.SECRET
        or not (i.is_public or i.organ_id == organ_id)
    ]
    if bad:
        raise ValidationError(
            {
                "interpretations": _(
                    "政策解读只能链接本机关的信息或已公开的信息，不能链接自身或涉密信息。"
                )
            }
        )
    version.interpretations.set(interpretations)


def reset_review(version: ItemVersion) -> None:
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


def reassess_date(today: datetime.date | None = None) -> datetime.date:
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
