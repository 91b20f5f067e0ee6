"""Workbench box: the user's units' warnings (and failures) from the latest inspection, those that
fail tomorrow first, so they are fixed before the inspectors see them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from gongkai.accounts import permissions
from gongkai.core.workbench import Queue
from gongkai.inspection import queries
from gongkai.inspection.indicators import BY_CODE
from gongkai.inspection.models import Status

ROWS = 6


def inspection_queues(request: HttpRequest) -> list[Queue]:
    user = request.user
    if not user.is_authenticated or not permissions.has_any(user, "inspection.view"):
        return []
    units = list(queries.units_for(user))
    found = queries.warnings_for(units)
    if not found:
        return []
    rows = []
    for result in found[:ROWS]:
        indicator = BY_CODE.get(result.indicator)
        label = indicator.label if indicator else result.indicator
        if result.fails_tomorrow:
            note = "明日将判定不合格"
        elif result.status == Status.FAIL:
            note = "单项否决" if result.is_veto else "不合格"
        else:
            note = "预警"
        rows.append(
            {
                "label": f"{result.unit.short_name}·{label}：{result.value}",
                "url": reverse("inspection:scorecard", args=[result.unit.code]),
                "note": note,
            }
        )
    vetoes = any(r.is_veto and r.status == Status.FAIL for r in found)
    return [
        Queue(
            title="网站自查预警",
            rows=rows,
            count=len(found),
            url=reverse("inspection:city"),
            tone="danger" if vetoes or any(r.fails_tomorrow for r in found) else "warning",
        )
    ]
