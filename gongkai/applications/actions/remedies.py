"""行政复议 and 行政诉讼 about disclosure decisions, recorded when the office learns of them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications.actions import _base as base
from gongkai.applications.models import Application, Remedy
from gongkai.audit.log import record, snapshot

REMEDY_FIELDS = [
    "organ",
    "application",
    "kind",
    "filed_date",
    "body",
    "case_number",
    "result",
    "result_date",
]


@transaction.atomic
def remedy_record(
    *,
    actor: Any,
    organ: Unit,
    kind: str,
    filed_date: datetime.date,
    body: str = "",
    case_number: str = "",
    application: Application | None = None,
    note: str = "",
) -> Remedy:
    """Record a reconsideration or lawsuit against `organ`, pending until its result is set.
    `application` links it to the case it is about, when there is one."""
    if actor is not None:
        permissions.require(actor, "applications.handle", organ)
    if not organ.is_organ:
        raise ValidationError({"organ": _("复议或诉讼的对象应为行政机关。")})
    if kind not in Remedy.Kind.values:
        raise ValidationError({"kind": _("请选择行政复议或行政诉讼的类型。")})
    if application is not None and application.organ_id != organ.pk:
        raise ValidationError({"application": _("该申请不是本机关受理的。")})
    base.check_date(filed_date, label=_("提起日期"), field="filed_date")
    remedy = Remedy.objects.create(
        organ=organ,
        application=application,
        kind=kind,
        filed_date=filed_date,
        body=body.strip(),
        case_number=case_number.strip(),
        note=note.strip(),
        created_by=actor,
    )
    if application is not None:
        base.event(
            application,
            "remedy",
            _("申请人提起%(kind)s") % {"kind": remedy.get_kind_display()},
            actor=actor,
            date=filed_date,
        )
    record(
        actor=actor,
        action="applications.remedy_record",
        obj=remedy,
        unit=organ,
        after=snapshot(remedy, REMEDY_FIELDS),
    )
    return remedy


@transaction.atomic
def remedy_set_result(
    *,
    actor: Any,
    remedy: Remedy,
    result: str,
    result_date: datetime.date | None = None,
    note: str = "",
) -> Remedy:
    """Set the result: 维持, 纠正 or 其他 with the day it was decided, or back to 尚未审结."""
    remedy = Remedy.objects.select_for_update().select_related("organ").get(pk=remedy.pk)
    if actor is not None:
        permissions.require(actor, "applications.handle", remedy.organ)
    if result not in Remedy.Result.values:
        raise ValidationError({"result": _("请选择结果。")})
    if result == Remedy.Result.PENDING:
        result_date = None
    else:
        if result_date is None:
            raise ValidationError({"result_date": _("请填写审结日期。")})
        base.check_date(
            result_date,
            label=_("审结日期"),
            not_before=remedy.filed_date,
            not_before_label=_("提起日期"),
            field="result_date",
        )
    before = snapshot(remedy, REMEDY_FIELDS)
    remedy.result = result
    remedy.result_date = result_date
    if note.strip():
        remedy.note = note.strip()
    remedy.save(update_fields=["result", "result_date", "note"])
    if remedy.application is not None:
        base.event(
            remedy.application,
            "remedy_result",
            _("%(kind)s结果：%(result)s")
            % {"kind": remedy.get_kind_display(), "result": remedy.get_result_display()},
            actor=actor,
            date=result_date,
        )
    record(
        actor=actor,
        action="applications.remedy_set_result",
        obj=remedy,
        unit=remedy.organ,
        before=before,
        after=snapshot(remedy, REMEDY_FIELDS),
    )
    return remedy
