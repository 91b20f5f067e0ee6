"""Workbench box: last year's annual reports of the user's organs that are not published yet,
with their deadline (settings.REPORT_DEADLINE_MONTH_DAY)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.core.workbench import Queue
from gongkai.reports import queries, rollup
from gongkai.reports.models import AnnualReport, ReportState

ROWS = 5
SOON_DAYS = 30


def report_queues(request: HttpRequest) -> list[Queue]:
    user = request.user
    if not user.is_authenticated or not permissions.has_any(user, "reports.edit"):
        return []
    today = timezone.localdate()
    year = today.year - 1
    organs = list(queries.staff_organs(user))
    states = dict(
        AnnualReport.objects.filter(unit__in=organs, year=year).values_list("unit_id", "state")
    )
    rows, late, soon = [], 0, 0
    for organ in organs:
        state = states.get(organ.pk)
        if state == ReportState.PUBLISHED:
            continue
        deadline = rollup.deadline_for(organ, year)
        if deadline < today:
            late += 1
            note = _("已过发布期限 %(d)s") % {"d": deadline.isoformat()}
        else:
            soon += (deadline - today).days <= SOON_DAYS
            note = _("发布期限 %(d)s") % {"d": deadline.isoformat()}
        labels: dict[str | None, str] = {
            None: _("%(unit)s：尚未开始"),
            ReportState.DRAFT: _("%(unit)s：编写中"),
            ReportState.FINALISED: _("%(unit)s：已定稿待发布"),
        }
        label = labels[state] % {"unit": organ.short_name}
        rows.append(
            {
                "label": label,
                "url": reverse("reports:report", args=[organ.code, year]),
                "note": note,
            }
        )
    if not rows:
        return []
    return [
        Queue(
            title=_("%(year)s 年度政府信息公开工作年度报告") % {"year": year},
            count=len(rows),
            url=reverse("reports:index"),
            tone="danger" if late else "warning" if soon else "normal",
            rows=rows[:ROWS],
        )
    ]
