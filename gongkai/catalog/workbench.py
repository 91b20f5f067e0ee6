"""The catalog's boxes on the staff workbench. Each box is derived from state (queries), so a
task appears for the next person the moment a step is taken and disappears when it is done."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.catalog import queries
from gongkai.catalog.notify import staff_item_url
from gongkai.core.workbench import Queue

ROWS = 5


# The page where the holder of a queue does its step (the rows of the other boxes link to the
# item's page, which shows each user only the buttons they may use).
STEP_URL_NAMES = {
    "draft": "catalog:item_edit",
    "secrecy_review": "catalog:review_secrecy",
    "office_review": "catalog:review_office",
    "sign_off": "catalog:review_sign_off",
}


def _step_url(version) -> str:
    name = STEP_URL_NAMES.get(version.state)
    return reverse(name, args=[version.item_id]) if name else staff_item_url(version.item_id)


def _version_row(version, *, step: bool = False) -> dict[str, str]:
    note = []
    if version.rejection_reason and version.state == "draft":
        note.append(_("退回：%(r)s") % {"r": version.rejection_reason[:40]})
    if version.due_date:
        note.append(_("应于 %(d)s 前公开") % {"d": version.due_date.isoformat()})
        if version.due_date_problem:
            note.append(_("期限暂定"))
    url = _step_url(version) if step else staff_item_url(version.item_id)
    return {"label": version.title, "url": url, "note": "；".join(note)}


def _item_row(item, note: str = "") -> dict[str, str]:
    version = item.current_version()
    label = version.title if version else str(item.pk)
    return {"label": label, "url": staff_item_url(item.pk), "note": note}


def provider(request: HttpRequest) -> list[Queue]:
    user = request.user
    if not user.is_authenticated:
        return []
    boxes: list[Queue] = []
    for key, label, _state, perm in queries.QUEUES:
        if not permissions.has_any(user, perm):
            continue
        qs = queries.queue_for(user, key)
        count = qs.count()
        if key in {"draft", "scheduled"} and not count:
            continue
        boxes.append(
            Queue(
                title=str(label),
                count=count,
                rows=[_version_row(v, step=True) for v in qs[:ROWS]],
                url=f"{reverse('catalog:item_list')}?queue={key}",
            )
        )
    if permissions.has_any(user, "catalog.draft") or permissions.has_any(
        user, "catalog.office_review"
    ):
        late = queries.overdue(user)
        if late.exists():
            boxes.append(
                Queue(
                    title=_("主动公开已超期"),
                    url=f"{reverse('catalog:item_list')}?queue=late",
                    count=late.count(),
                    tone="danger",
                    rows=[_version_row(v) for v in late[:ROWS]],
                )
            )
        soon = queries.due_soon(user)
        if soon.exists():
            boxes.append(
                Queue(
                    title=_("主动公开即将到期"),
                    url=f"{reverse('catalog:item_list')}?queue=soon",
                    count=soon.count(),
                    tone="warning",
                    rows=[_version_row(v) for v in soon[:ROWS]],
                )
            )
        unknown = queries.due_unknown(user)
        if unknown.exists():
            boxes.append(
                Queue(
                    title=_("主动公开期限暂定（待导入节假日安排）"),
                    url=f"{reverse('catalog:item_list')}?queue=unknown",
                    count=unknown.count(),
                    tone="warning",
                    rows=[_version_row(v) for v in unknown[:ROWS]],
                )
            )
    if permissions.has_any(user, "catalog.secrecy_review"):
        alerts = queries.secret_alerts(user)
        if alerts.exists():
            boxes.append(
                Queue(
                    title=_("涉密信息待线下处置"),
                    count=alerts.count(),
                    tone="danger",
                    rows=[
                        _item_row(i, _("已清除正文和附件，请确认线下处置")) for i in alerts[:ROWS]
                    ],
                )
            )
    if permissions.has_any(user, "catalog.secrecy_review") or permissions.has_any(
        user, "catalog.office_review"
    ):
        due = queries.reassess_due(user)
        if due.exists():
            boxes.append(
                Queue(
                    title=_("不予公开信息待复核"),
                    url=reverse("catalog:withheld"),
                    count=due.count(),
                    tone="warning",
                    rows=[
                        _item_row(i, _("复核日期 %(d)s") % {"d": i.reassess_due})
                        for i in due[:ROWS]
                    ],
                )
            )
    if permissions.has_any(user, "catalog.office_review") or permissions.has_any(
        user, "catalog.secrecy_review"
    ):
        flagged = queries.rescan_queue(user)
        count = flagged.count()
        if count:
            rows = [
                {
                    "label": row["version"].title,
                    "url": staff_item_url(row["item"].pk) + "#checks",
                    "note": _("%(n)s 处，已公开 %(d)s 天")
                    % {"n": row["version"].open_findings, "d": row["days_public"]},
                }
                for row in queries.rescan_rows(list(flagged[:ROWS]))
            ]
            townships = queries.rescan_counts_by_township(user)
            if townships:
                rows.append(
                    {
                        "label": _("各单位：")
                        + "、".join(f"{name} {n}" for name, n in townships[:12]),
                        "url": reverse("catalog:rescan_queue"),
                        "note": "",
                    }
                )
            boxes.append(
                Queue(
                    title=_("已发布信息检查发现问题"),
                    count=count,
                    tone="danger",
                    url=reverse("catalog:rescan_queue"),
                    rows=rows,
                )
            )
    if permissions.has_any(user, "catalog.sign_off"):
        pending = queries.takedowns_pending(user)
        if pending.exists():
            boxes.append(
                Queue(
                    title=_("紧急撤回待确认"),
                    count=pending.count(),
                    tone="danger",
                    rows=[_item_row(i, i.withdrawn_reason[:40]) for i in pending[:ROWS]],
                )
            )
    return boxes
