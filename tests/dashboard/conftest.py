"""Rows for the dashboard tests, written straight to the database with the dates a test needs
(the dashboard only reads; how the rows come about is the other apps' tests' business)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest

from gongkai.applications.models import Application, State
from gongkai.catalog.models import Item, ItemVersion, VersionState
from gongkai.interaction.models import HandlerRole, Letter, LetterStatus

D = datetime.date
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
_seq = itertools.count(1)


def beijing(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def make_application(
    organ: Any,
    received: datetime.date,
    *,
    concluded: datetime.date | None = None,
    decision: str = "",
    reply: datetime.date | None = None,
    due: datetime.date | None = None,
    due_provisional: bool = False,
    state: str | None = None,
    department: Any = None,
) -> Application:
    n = next(_seq)
    if state is None and concluded is None:
        state = State.PROCESSING
    elif state is None:
        state = State.REPLIED if reply else State.CLOSED
    app = Application(
        number=f"T-{received.year}-{n:05d}",
        organ=organ,
        department=department,
        channel="in_person",
        applicant_type="natural_person",
        applicant_name="张三",
        description="测试申请",
        received_date=received,
        state=state,
        decision=decision,
        concluded_date=concluded,
        reply_date=reply,
        due_date=due,
        due_provisional=due_provisional,
    )
    app.set_query_code(Application.new_query_code())
    app.save()
    return app


def replied(organ: Any, received: datetime.date, reply: datetime.date, **kw: Any) -> Application:
    """An application answered on `reply` (予以公开 unless said otherwise)."""
    kw.setdefault("decision", "3.1")
    return make_application(organ, received, concluded=reply, reply=reply, **kw)


def make_publication(
    organ: Any,
    published_at: datetime.datetime,
    *,
    due: datetime.date | None,
    unit: Any = None,
    state: str = VersionState.PUBLISHED,
) -> ItemVersion:
    item = Item.objects.create(organ=organ, unit=unit or organ)
    version = ItemVersion.objects.create(
        item=item,
        state=state,
        title=f"测试信息{next(_seq)}",
        formed_date=published_at.date() - datetime.timedelta(days=10),
        due_date=due,
        published_at=published_at,
        fingerprint="f" * 64,
    )
    if state == VersionState.PUBLISHED:
        item.published_version = version
        item.first_published_at = published_at
        item.save(update_fields=["published_version", "first_published_at"])
    return version


def make_letter(
    unit: Any,
    received_at: datetime.datetime,
    answered_at: datetime.datetime | None = None,
    *,
    forwarded_to: Any = None,
) -> Letter:
    n = next(_seq)
    return Letter.objects.create(
        unit=unit,
        number=f"X{received_at.year}{n:05d}",
        year=received_at.year,
        serial=n,
        idempotency_key=f"key-{n}",
        query_code_hash="x",
        handler_role=HandlerRole.LEADER,
        writer_name="李四",
        subject="道路维修",
        content="村里道路坏了",
        received_at=received_at,
        status=LetterStatus.ANSWERED if answered_at else LetterStatus.RECEIVED,
        reply="已安排维修" if answered_at else "",
        answered_at=answered_at,
        forwarded_to=forwarded_to,
    )


@pytest.fixture
def zhuwang_scope(cast):
    from gongkai.dashboard.scope import Scope

    return Scope(cast.zhuwang.code, cast.zhuwang.name, (cast.zhuwang.pk,))
