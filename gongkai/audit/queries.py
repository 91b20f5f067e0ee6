"""Reads of the audit log: who may see which rows, the filters of the log page, readable diffs."""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.db import connections
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.audit.labels import action_label
from gongkai.audit.models import AuditEntry, AuditQuerySet
from gongkai.lib.masking import mask_personal

PERM = "audit.view"
# The value of the unit filter that selects system-level rows (no unit).
SYSTEM_UNIT = "system"


def sees_system_entries(user: Any) -> bool:
    """System-level rows (unit NULL: failed sign-ins of unknown users, jobs) are for superusers
    and city-level administrators, that is whoever holds audit.view on a root of the unit tree."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return permissions.units_for(user, PERM).filter(parent__isnull=True).exists()


def visible_entries(user: Any) -> AuditQuerySet:
    """Every audit row `user` may read: those of their units and below, and system-level rows
    for superusers and city-level administrators. Newest first."""
    qs = AuditEntry.objects.all()
    if user.is_authenticated and user.is_active and user.is_superuser:
        return qs
    condition = Q(unit_id__in=permissions.units_for(user, PERM).values("pk"))
    if sees_system_entries(user):
        condition |= Q(unit__isnull=True)
    return qs.filter(condition)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按“年-月-日”填写日期，例如 2025-03-01。")},
    )


def _text_field(label: Any, max_length: int = 100) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        strip=True,
        error_messages={"max_length": _("输入过长：最多 %(limit_value)d 个字符。")},
    )


class AuditFilterForm(forms.Form):
    """The filters of the log page and of the CSV export. Only validates; `apply` filters."""

    date_from = _date_field(_("起始日期"))
    date_to = _date_field(_("截止日期"))
    actor = _text_field(_("操作人"))
    action = _text_field(_("操作"))
    object_type = _text_field(_("对象类型"))
    object_id = _text_field(_("对象编号"), 80)
    unit = forms.ChoiceField(label=_("单位"), required=False)
    q = _text_field(_("关键词"), 200)

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.user = user
        self.units = list(permissions.units_for(user, PERM).order_by("path"))
        choices: list[tuple[str, str]] = [("", gettext("全部单位"))]
        if sees_system_entries(user):
            choices.append((SYSTEM_UNIT, gettext("系统级（无单位）")))
        base_depth = min((u.depth for u in self.units), default=0)
        for unit in self.units:
            indent = "\u3000" * (unit.depth - base_depth)
            choices.append((str(unit.pk), f"{indent}{unit.short_name or unit.name}"))
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = choices
        unit_field.error_messages["invalid_choice"] = gettext(
            "所选单位不存在或不在您的查看范围内。"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            # On the field, so both dates drop out of cleaned_data and the rest still filters.
            self.add_error("date_to", gettext("截止日期不能早于起始日期。"))
            data.pop("date_from", None)
        return data

    def apply(self, qs: AuditQuerySet) -> AuditQuerySet:
        """Filter `qs` by the fields that are valid; invalid ones are reported and ignored."""
        data = self.cleaned_data if self.is_bound else {}
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(
                at__gte=datetime.datetime.combine(data["date_from"], datetime.time.min, tz)
            )
        if data.get("date_to"):
            end = data["date_to"] + datetime.timedelta(days=1)
            qs = qs.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
        if data.get("actor"):
            qs = qs.filter(
                Q(actor_name__icontains=data["actor"])
                | Q(actor__full_name__icontains=data["actor"])
            )
        if data.get("action"):
            qs = qs.filter(action__startswith=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"].lower())
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"])
        if data.get("unit") == SYSTEM_UNIT:
            qs = qs.filter(unit__isnull=True)
        elif data.get("unit"):
            chosen = next(u for u in self.units if str(u.pk) == data["unit"])
            qs = qs.filter(unit_id__in=Unit.objects.subtree_of(chosen).values("pk"))
        if data.get("q"):
            text = data["q"]
            # Inside JSON, text is escaped as json.dumps does: quotes and backslashes always,
            # non-ASCII only on SQLite (\u5f20); PostgreSQL's jsonb keeps the characters.
            ascii_only = connections[qs.db].vendor != "postgresql"
            in_json = {text, json.dumps(text, ensure_ascii=ascii_only)[1:-1]}
            condition = (
                Q(object_repr__icontains=text)
                | Q(note__icontains=text)
                | Q(action__icontains=text)
                | Q(actor_name__icontains=text)
                | Q(object_id=text)
            )
            for pattern in in_json:
                condition |= Q(_before_text__icontains=pattern) | Q(_after_text__icontains=pattern)
            qs = qs.annotate(
                _before_text=Cast("before", TextField()), _after_text=Cast("after", TextField())
            ).filter(condition)
        return qs

    def active_filters(self) -> dict[str, str]:
        """The query-string parameters of the valid, non-empty filters."""
        result = {}
        for name in self.fields:
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if value:
                result[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
        return result


def _model(object_type: str) -> Any:
    if not object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The model's verbose name for "app_label.model", or the raw value for a vanished model."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


@functools.cache
def _field_names(model: Any) -> dict[str, Any]:
    names = {}
    for field in model._meta.concrete_fields:
        names[field.name] = names[field.attname] = field.verbose_name  # lazy: any language
    return names


def field_label(model: Any, key: str) -> str:
    """The verbose name of the field `key` (a name or an attname such as unit_id), or ""."""
    if model is None or not key:
        return ""
    label = _field_names(model).get(key)
    return str(label) if label is not None else ""


@dataclass
class DiffRow:
    key: str
    before: str
    after: str
    changed: bool
    label: str = ""


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


_MISSING = object()


def diff_rows(before: Any, after: Any, model: Any = None) -> list[DiffRow]:
    """Before/after as rows, one per key, in first-seen order; changed keys flagged."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [DiffRow("", _show(before), _show(after), before != after)]
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    keys = list(old) + [k for k in new if k not in old]
    rows = []
    for key in keys:
        a, b = old.get(key, _MISSING), new.get(key, _MISSING)
        rows.append(
            DiffRow(
                key=key,
                before="" if a is _MISSING else _show(a),
                after="" if b is _MISSING else _show(b),
                # A creation or deletion has nothing to compare, so nothing is highlighted.
                changed=before is not None and after is not None and a != b,
                label=field_label(model, key),
            )
        )
    return rows


@dataclass
class EntryView:
    """One audit row prepared for a page or a CSV line."""

    entry: AuditEntry
    action_label: str
    object_type_label: str
    unit_name: str
    rows: list[DiffRow]
    note: str
    # Masked again on the way out, in case a row was written without `record`.
    before: Any
    after: Any

    @property
    def changed_keys(self) -> list[str]:
        return [r.key for r in self.rows if r.changed]


def unit_names() -> dict[int, str]:
    return dict(Unit.objects.values_list("pk", "name"))


def present(entries: Any, names: dict[int, str] | None = None) -> list[EntryView]:
    names = unit_names() if names is None else names
    return [present_one(e, names) for e in entries]


def present_one(entry: AuditEntry, names: dict[int, str]) -> EntryView:
    if entry.unit_id is None:
        unit_name = gettext("系统级")
    else:
        unit_name = names.get(entry.unit_id) or gettext("已删除的单位（编号 %(id)s）") % {
            "id": entry.unit_id
        }
    before, after = mask_personal(entry.before), mask_personal(entry.after)
    return EntryView(
        entry=entry,
        action_label=action_label(entry.action),
        object_type_label=object_type_label(entry.object_type),
        unit_name=unit_name,
        rows=diff_rows(before, after, _model(entry.object_type)),
        note=mask_personal(entry.note),
        before=before,
        after=after,
    )
