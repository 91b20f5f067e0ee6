"""Edits of the office's portal texts: the 指南 free text and the 制度 pages. Each checks the
permission (catalog.manage_categories or reports.edit on the unit), cleans rich text with nh3,
runs in one transaction and writes one audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.audit.log import record
from gongkai.catalog.richtext import images_without_alt, sanitize
from gongkai.portal.models import GuideText, Page
from gongkai.staticpub import publisher as staticpub

EDIT_PERMS = ("catalog.manage_categories", "reports.edit")
GUIDE_TEXT_FIELDS = ("introduction", "arrangement", "proactive", "on_request", "supervision")
MAX_BODY_CHARS = 100_000


def can_edit(user: Any, unit: Unit) -> bool:
    return any(permissions.has_perm(user, perm, unit) for perm in EDIT_PERMS)


def editable_units(user: Any):
    """Organs whose portal texts `user` may edit."""
    ids: set[int] = set()
    for perm in EDIT_PERMS:
        ids.update(permissions.units_for(user, perm).values_list("pk", flat=True))
    return Unit.objects.filter(pk__in=ids, is_organ=True, is_active=True).order_by("path")


def _require(actor: Any, unit: Unit) -> None:
    if not unit.is_organ:
        raise ValidationError(_("只有信息公开主体（行政机关）有政府信息公开栏目。"))
    if actor is not None and not can_edit(actor, unit):
        raise PermissionDenied(f"{getattr(actor, 'username', '')} may not edit portal of {unit}")


def _clean_rich(value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_BODY_CHARS:
        raise ValidationError(_("%(f)s过长（最多 %(n)s 字）。") % {"f": label, "n": MAX_BODY_CHARS})
    cleaned = sanitize(value)
    if images_without_alt(cleaned):
        raise ValidationError(_("%(f)s中的图片必须填写替代文字（alt）。") % {"f": label})
    return cleaned


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def guide_update(*, actor: Any, unit: Unit, office_name: str = "", **texts: str) -> GuideText:
    """Save the office's texts of the unit's 政府信息公开指南."""
    _require(actor, unit)
    unknown = set(texts) - set(GUIDE_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown guide fields {sorted(unknown)}")
    guide, _created = GuideText.objects.select_for_update().get_or_create(unit=unit)
    labels = {
        f: str(getattr(GuideText._meta.get_field(f), "verbose_name", f)) for f in GUIDE_TEXT_FIELDS
    }
    before = {f: getattr(guide, f) for f in ("office_name", *GUIDE_TEXT_FIELDS)}
    guide.office_name = " ".join((office_name or "").split())[:100]
    for name, value in texts.items():
        setattr(guide, name, _clean_rich(value, labels[name]))
    guide.updated_at, guide.updated_by = timezone.now(), _user(actor)
    guide.save()
    after = {f: getattr(guide, f) for f in ("office_name", *GUIDE_TEXT_FIELDS)}
    record(
        actor=actor,
        action="portal.guide_update",
        obj=guide,
        unit=unit,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
        object_repr=f"{unit.name} {_('政府信息公开指南')}",
    )
    staticpub.columns_changed(unit.code)
    return guide


def _clean_page(unit: Unit, title: str, body: str, exclude: int = 0) -> tuple[str, str]:
    title = " ".join((title or "").split())
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("请填写标题。")
    elif len(title) > 100:
        errors["title"] = _("标题最多 100 字。")
    elif Page.objects.filter(unit=unit, title=title).exclude(pk=exclude).exists():
        errors["title"] = _("本单位已有同名的制度页面。")
    try:
        cleaned = _clean_rich(body, _("正文"))
    except ValidationError as exc:
        errors["body"] = exc.messages[0]
        cleaned = ""
    if not errors and not cleaned:
        errors["body"] = _("请填写正文。")
    if errors:
        raise ValidationError(errors)
    return title, cleaned


@transaction.atomic
def page_create(*, actor: Any, unit: Unit, title: str, body: str, sort_order: int = 0) -> Page:
    """Add a page to the unit's 政府信息公开制度 column."""
    _require(actor, unit)
    title, body = _clean_page(unit, title, body)
    page = Page.objects.create(
        unit=unit,
        title=title,
        body=body,
        sort_order=max(0, int(sort_order)),
        updated_by=_user(actor),
    )
    record(
        actor=actor,
        action="portal.page_create",
        obj=page,
        unit=unit,
        after={"title": title, "sort_order": page.sort_order, "chars": len(body)},
    )
    staticpub.columns_changed(page.unit.code)
    return page


@transaction.atomic
def page_update(*, actor: Any, page: Page, title: str, body: str, sort_order: int = 0) -> Page:
    page = Page.objects.select_for_update().select_related("unit").get(pk=page.pk)
    _require(actor, page.unit)
    title, body = _clean_page(page.unit, title, body, exclude=page.pk)
    before = {"title": page.title, "sort_order": page.sort_order, "chars": len(page.body)}
    page.title, page.body, page.sort_order = title, body, max(0, int(sort_order))
    page.updated_at, page.updated_by = timezone.now(), _user(actor)
    page.save()
    record(
        actor=actor,
        action="portal.page_update",
        obj=page,
        unit=page.unit,
        before=before,
        after={"title": title, "sort_order": page.sort_order, "chars": len(body)},
    )
    staticpub.columns_changed(page.unit.code)
    return page


@transaction.atomic
def page_delete(*, actor: Any, page: Page) -> None:
    page = Page.objects.select_for_update().select_related("unit").get(pk=page.pk)
    _require(actor, page.unit)
    record(
        actor=actor,
        action="portal.page_delete",
        obj=page,
        unit=page.unit,
        before={"title": page.title, "chars": len(page.body)},
        object_repr=page.title,
    )
    staticpub.columns_changed(
        page.unit.code, also=[staticpub.url_path("portal:rule", page.unit.code, page.pk) or ""]
    )
    page.delete()
