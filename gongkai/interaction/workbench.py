"""Workbench boxes: new letters for the role the organ chose, forwarded letters, answers awaiting
a leader's approval to publish, and hotline calls waiting for a call back."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.core.workbench import Queue
from gongkai.interaction import queries
from gongkai.interaction.models import HandlerRole, HotlineCall, Letter, LetterStatus

ROWS = 5


def _letter_row(letter: Letter, note: str = "") -> dict[str, str]:
    return {
        "label": f"{letter.number} {letter.subject}",
        "url": reverse("interaction:staff_letter", args=[letter.pk]),
        "note": note,
    }


def mailbox_queues(request: HttpRequest) -> list[Queue]:
    user = request.user
    if not user.is_authenticated or not permissions.has_any(user, "interaction.handle"):
        return []
    letters_url = reverse("interaction:staff_letters")
    boxes: list[Queue] = []

    mine = Q()
    for role in HandlerRole.values:
        mine |= Q(handler_role=role, unit__in=queries.units_with_role(user, role))
    new = (
        Letter.objects.filter(mine, status=LetterStatus.RECEIVED)
        .select_related("unit")
        .order_by("received_at")
    )
    count = new.count()
    if count:
        boxes.append(
            Queue(
                title=_("信箱新来信"),
                count=count,
                url=f"{letters_url}?status=received",
                tone="warning",
                rows=[
                    _letter_row(letter, timezone.localtime(letter.received_at).strftime("%m-%d"))
                    for letter in new[:ROWS]
                ],
            )
        )

    forwarded = (
        Letter.objects.filter(
            status=LetterStatus.FORWARDED, forwarded_to__in=queries.handling_units(user)
        )
        .select_related("forwarded_to")
        .order_by("due_date")
    )
    count = forwarded.count()
    if count:
        rows = list(forwarded[:ROWS])
        boxes.append(
            Queue(
                title=_("转办中的来信"),
                count=count,
                url=f"{letters_url}?status=forwarded",
                tone="danger" if any(letter.is_overdue for letter in rows) else "normal",
                rows=[
                    _letter_row(
                        letter,
                        _("%(unit)s，%(due)s 前办结")
                        % {
                            "unit": letter.forwarded_to.short_name if letter.forwarded_to else "",
                            "due": letter.due_date.isoformat() if letter.due_date else "—",
                        },
                    )
                    for letter in rows
                ],
            )
        )

    approving = permissions.units_for(user, "interaction.approve_publication")
    pending = Letter.objects.filter(
        status=LetterStatus.PUBLICATION_PENDING, unit__in=approving
    ).order_by("publication_requested_at")
    count = pending.count()
    if count:
        boxes.append(
            Queue(
                title=_("来信答复待审核公开"),
                count=count,
                url=f"{letters_url}?status=publication_pending",
                rows=[
                    {
                        **_letter_row(letter),
                        "url": reverse("interaction:staff_letter_publication", args=[letter.pk]),
                    }
                    for letter in pending[:ROWS]
                ],
            )
        )

    calls = HotlineCall.objects.filter(
        unit__in=queries.handling_units(user), follow_up_needed=True, follow_up_done=False
    ).order_by("called_at")
    count = calls.count()
    if count:
        boxes.append(
            Queue(
                title=_("热线来电待回访"),
                count=count,
                url=reverse("interaction:hotline_list") + "?follow_up=open",
                rows=[
                    {"label": str(call), "url": reverse("interaction:hotline_edit", args=[call.pk])}
                    for call in calls[:ROWS]
                ],
            )
        )
    return boxes
