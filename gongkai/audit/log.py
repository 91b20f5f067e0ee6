"""Writing audit rows. Actions call `record` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from gongkai.audit.models import AuditEntry
from gongkai.lib.masking import mask_personal
from gongkai.lib.request_context import current_client_ip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, ready for `before`/`after`."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = getattr(obj, field.attname)
    return _jsonable(data)


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    ip: str | None = None,
    actor_name: str = "",
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one row to the audit log. Personal data in before/after/note is masked."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor_id=actor.pk if is_user else None,
        actor_name=actor_name or (getattr(actor, "username", "") if is_user else "") or "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(
            object_repr if object_repr is not None else (str(obj) if obj is not None else "")
        )[:300],
        unit_id=getattr(unit, "pk", unit),
        before=mask_personal(_jsonable(before)) if before is not None else None,
        after=mask_personal(_jsonable(after)) if after is not None else None,
        ip=ip if ip is not None else current_client_ip(),
        note=mask_personal(note),
    )
    entry.save()
    return entry
