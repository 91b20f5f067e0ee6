"""The application boxes on the staff workbench, derived from state (queries), so a task shows
up for the next person the moment a step is taken and disappears when it is done."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.applications import queries
from gongkai.core.workbench import Queue

ROWS = 5


def staff_application_url(pk: int) -> str:
    """The staff page of an application (url name `applications:detail`), once it exists."""
    try:
        return reverse("applications:detail", args=[pk])
    except NoReverseMatch:
        return ""


def _row(app: Any, note: str = "") -> dict[str, str]:
    summary = " ".join(app.description.split())[:30]
    return {"label": f"{app.number} {summary}", "url": staff_application_url(app.pk), "note": note}


def _due_note(app: Any) -> str:
    if not app.due_date:
        return ""
    note = _("答复期限 %(d)s") % {"d": app.due_date.isoformat()}
    if app.due_provisional:
        note += _("（暂定）")
        if app.due_earliest and app.due_earliest != app.due_date:
            note += _("，从严按最早可能的 %(e)s 提醒") % {"e": app.due_earliest.isoformat()}
    return note


def _moved_note(event: Any) -> str:
    data = event.data or {}
    old, new = data.get("old", {}).get("date", ""), data.get("new", {}).get("date", "")
    return _("原 %(old)s → 现 %(new)s") % {"old": old, "new": new}


def provider(request: HttpRequest) -> list[Queue]:
    user = request.user
    if not user.is_authenticated or not permissions.has_any(user, "unit.view"):
        return []
    q = queries.queues_for_user(user)
    boxes: list[Queue] = []

    def box(title: str, items: Any, note: Any, tone: str = "normal", always: bool = False) -> None:
        rows = list(items[:ROWS]) if not isinstance(items, list) else items[:ROWS]
        count = len(items) if isinstance(items, list) else items.count()
        if count or always:
            boxes.append(Queue(title=title, count=count, tone=tone, rows=[note(r) for r in rows]))

    box(
        _("依申请公开：节假日安排调整了答复期限"),
        q["moved"],
        lambda e: _row(e.application, _moved_note(e)),
        tone="warning",
    )
    box(_("依申请公开：已超期"), q["overdue"], lambda a: _row(a, _due_note(a)), tone="danger")
    box(_("依申请公开：即将到期"), q["due_soon"], lambda a: _row(a, _due_note(a)), tone="warning")
    box(
        _("依申请公开：答复期限暂定（待导入节假日安排）"),
        q["provisional"],
        lambda a: _row(a, _due_note(a)),
    )
    box(
        _("依申请公开：待确认收到"),
        q["awaiting_confirmation"],
        lambda a: _row(a, _("提交于 %(t)s") % {"t": a.submitted_at.date().isoformat()}),
    )
    box(
        _("依申请公开：待签发"), q["awaiting_sign_off"], lambda a: _row(a, a.get_decision_display())
    )
    box(
        _("依申请公开：待批准延期"),
        q["extensions_to_approve"],
        lambda e: _row(e.application, _("延长 %(n)s 个工作日") % {"n": e.days}),
    )
    box(
        _("依申请公开：待申请人补正"),
        q["awaiting_correction"],
        lambda a: _row(a, _("补正期限 %(d)s") % {"d": a.correction.period_end.isoformat()}),
    )
    box(
        _("依申请公开：征求意见中"),
        q["consultations"],
        lambda c: _row(
            c.application,
            _("%(p)s，期限 %(d)s")
            % {"p": c.party_name, "d": c.due_date.isoformat() if c.due_date else "—"},
        ),
    )
    return boxes
