"""State changes of the inspection: the daily run, probe reports, crawl results and the lists the
city administrator keeps. Each runs in one transaction; list edits write an audit row."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts import permissions
from gongkai.accounts.models import Role, RoleAssignment, Unit
from gongkai.audit.log import record, snapshot
from gongkai.catalog.models import Category
from gongkai.core.mail import enqueue_email
from gongkai.inspection import indicators, rules
from gongkai.inspection.models import (
    ColumnKind,
    ColumnType,
    CrawlRun,
    DailyResult,
    ExactName,
    LinkCheck,
    ProbeReport,
    Status,
    WrongForm,
)

logger = logging.getLogger(__name__)


def inspected_units():
    """The sites inspected: every active organ (the city and each township or department)."""
    return Unit.objects.organs().active().order_by("path")


def inspection_run(
    *, day: datetime.date | None = None, units: list[Unit] | None = None, notify: bool = True
) -> int:
    """Compute every indicator of every unit for `day` (default today) and store the results,
    replacing any of that day. A warning that fails tomorrow is flagged and, once per unit, day and
    indicator, mailed to the unit's 公开办负责人. Returns how many results were stored."""
    day = day or timezone.localdate()
    t = rules.current()
    run = indicators.RunData()
    tomorrow = day + datetime.timedelta(days=1)
    stored = 0
    for unit in units if units is not None else list(inspected_units()):
        outcomes = indicators.compute_all(unit, day, t, run)
        flags = {
            code: indicators.compute_one(code, unit, tomorrow, t, run).status == Status.FAIL
            for code, outcome in outcomes.items()
            if outcome.status == Status.WARNING
        }
        with transaction.atomic():
            notified = dict(
                DailyResult.objects.filter(unit=unit, day=day).values_list(
                    "indicator", "notified_at"
                )
            )
            DailyResult.objects.filter(unit=unit, day=day).delete()
            rows = [
                DailyResult(
                    unit=unit,
                    day=day,
                    indicator=code,
                    status=outcome.status,
                    is_veto=indicators.BY_CODE[code].veto,
                    value=outcome.value[:200],
                    threshold=outcome.threshold[:200],
                    note=outcome.note[:300],
                    items=outcome.items,
                    fails_tomorrow=flags.get(code, False),
                    notified_at=notified.get(code),
                )
                for code, outcome in outcomes.items()
            ]
            DailyResult.objects.bulk_create(rows)
            stored += len(rows)
            if notify:
                _notify(unit, day, [r for r in rows if r.fails_tomorrow and r.notified_at is None])
    return stored


def office_heads(unit: Unit) -> list[str]:
    return sorted(
        {
            a.user.email
            for a in RoleAssignment.objects.select_related("user").filter(
                unit=unit, role=Role.OFFICE_HEAD, user__is_active=True
            )
            if a.user.email
        }
    )


def _notify(unit: Unit, day: datetime.date, rows: list[DailyResult]) -> None:
    if not rows:
        return
    to = office_heads(unit)
    if not to:
        return
    lines = []
    for row in rows:
        indicator = indicators.BY_CODE[row.indicator]
        veto = "（单项否决）" if indicator.veto else ""
        lines.append(f"· {indicator.label}{veto}：{row.value}；标准：{row.threshold}")
        for item in row.items[:5]:
            lines.append(f"    - {item['label']}")
    from django.conf import settings

    link = settings.SITE_URL + reverse("inspection:scorecard", args=[unit.code])
    enqueue_email(
        to=to,
        subject=f"【网站自查预警】{unit.short_name}有{len(rows)}项指标明日将不合格",
        body=(
            f"{unit.name}：\n\n按今天（{day:%Y-%m-%d}）的自查结果，以下指标如不处理，明天将判定为不合格：\n\n"
            + "\n".join(lines)
            + f"\n\n查看自查结果：{link}\n"
        ),
    )
    DailyResult.objects.filter(
        unit=unit, day=day, indicator__in=[r.indicator for r in rows]
    ).update(notified_at=timezone.now())


# --------------------------------------------------------------------------- probes and crawls


def probe_record(
    *,
    actor: Any,
    unit: Unit,
    url: str,
    ok: bool,
    seconds: float,
    status_code: int | None = None,
    error: str = "",
    visited_at: datetime.datetime | None = None,
    reporter: str = "",
) -> ProbeReport:
    """Store one visit reported by a probe. The reporter must hold inspection.probe on the unit
    (the worker's own probes pass actor=None)."""
    if actor is not None:
        permissions.require(actor, "inspection.probe", unit)
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now + datetime.timedelta(minutes=5):
        raise ValidationError("访问时间不能晚于当前时间。")
    if seconds < 0 or seconds > 3600:
        raise ValidationError("耗时应在 0 到 3600 秒之间。")
    return ProbeReport.objects.create(
        unit=unit,
        url=url[:500],
        visited_at=visited_at,
        ok=ok,
        seconds=seconds,
        status_code=status_code,
        error=error[:300],
        reporter=reporter[:100],
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def crawl_store(*, unit: Unit, result: Any) -> CrawlRun:
    """Replace the unit's link results with those of a finished crawl (crawler.CrawlResult)."""
    LinkCheck.objects.filter(unit=unit).delete()
    LinkCheck.objects.bulk_create(
        [
            LinkCheck(
                unit=unit,
                url=link.url[:1000],
                found_on=link.found_on[:1000],
                kind=link.kind,
                on_home=link.on_home,
                ok=link.ok,
                status_code=link.status_code,
                error=link.error[:300],
                checked_at=link.checked_at,
            )
            for link in result.links
        ],
        batch_size=500,
    )
    run, _created = CrawlRun.objects.update_or_create(
        unit=unit,
        defaults={
            "started_at": result.started_at,
            "finished_at": result.finished_at,
            "pages": result.pages,
            "links": len(result.links),
            "start_url": result.start_url[:500],
        },
    )
    return run


# --------------------------------------------------------------------------- the lists


def _require_city_admin(actor: Any) -> None:
    root = inspected_units().first()
    if root is None or not permissions.has_perm(actor, "inspection.configure", root):
        raise permissions.PermissionDenied("只有市级管理员可以修改检查清单。")


@transaction.atomic
def column_type_set(*, actor: Any, category: Category, kind: str) -> ColumnType | None:
    """Set how a column is inspected; an empty `kind` stops inspecting it."""
    _require_city_admin(actor)
    if kind and kind not in ColumnKind.values:
        raise ValidationError("请选择栏目类型。")
    current = ColumnType.objects.filter(category=category).first()
    before = snapshot(current) if current else None
    if not kind:
        if current is None:
            return None
        current.delete()
        record(actor=actor, action="inspection.column_type_clear", obj=category, before=before)
        return None
    if current is not None and current.kind == kind:
        return current
    row, _created = ColumnType.objects.update_or_create(
        category=category, defaults={"kind": kind, "updated_at": timezone.now()}
    )
    record(
        actor=actor,
        action="inspection.column_type_set",
        obj=row,
        before=before,
        after=snapshot(row),
    )
    return row


@transaction.atomic
def exact_name_add(*, actor: Any, name: str, titles: str) -> ExactName:
    _require_city_admin(actor)
    name, titles = (name or "").strip(), (titles or "").strip()
    if not name or not titles:
        raise ValidationError("请填写姓名和正确职务。")
    if len(name) > 20 or len(titles) > 200:
        raise ValidationError("姓名不超过20字，职务不超过200字。")
    if ExactName.objects.filter(name=name).exists():
        raise ValidationError(f"清单中已有“{name}”，请先删除再添加。")
    row = ExactName.objects.create(name=name, titles=titles)
    record(actor=actor, action="inspection.exact_name_add", obj=row, after=snapshot(row))
    return row


@transaction.atomic
def exact_name_remove(*, actor: Any, entry: ExactName) -> None:
    _require_city_admin(actor)
    before = snapshot(entry)
    record(actor=actor, action="inspection.exact_name_remove", obj=entry, before=before)
    entry.delete()


@transaction.atomic
def wrong_form_add(*, actor: Any, wrong: str, correct: str, serious: bool = False) -> WrongForm:
    _require_city_admin(actor)
    wrong, correct = (wrong or "").strip(), (correct or "").strip()
    if not wrong or not correct:
        raise ValidationError("请填写错误写法和正确写法。")
    if wrong == correct:
        raise ValidationError("错误写法与正确写法相同。")
    if correct and wrong in correct:
        raise ValidationError("错误写法是正确写法的一部分，会把正确的文字也标为错误。")
    if len(wrong) > 50 or len(correct) > 50:
        raise ValidationError("写法不超过50字。")
    if WrongForm.objects.filter(wrong=wrong).exists():
        raise ValidationError(f"清单中已有“{wrong}”。")
    row = WrongForm.objects.create(wrong=wrong, correct=correct, serious=serious)
    record(actor=actor, action="inspection.wrong_form_add", obj=row, after=snapshot(row))
    return row


@transaction.atomic
def wrong_form_remove(*, actor: Any, entry: WrongForm) -> None:
    _require_city_admin(actor)
    record(actor=actor, action="inspection.wrong_form_remove", obj=entry, before=snapshot(entry))
    entry.delete()
