"""Helpers for application tests: a valid applicant and a registered application."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from gongkai.applications import actions

ID_CARD = "11010519491231002X"
CREDIT_CODE = "91371083MA3C12345P"
D = datetime.date


def applicant(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_doc_type": "id_card",
        "id_doc_number": ID_CARD,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "山东省乳山市诸往镇驻地",
        "description": "2025年诸往镇农村危房改造补助对象名单",
        "provide_form": "paper",
        "delivery": "mail",
    }
    data.update(overrides)
    return data


def at(day: datetime.date, hour: int = 10):
    """Travel to `day` at `hour` o'clock Beijing time (the clock stands still)."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)
        - datetime.timedelta(hours=8),
        tick=False,
    )


def register(cast, received: datetime.date, *, actor=None, organ=None, **overrides: Any):
    """An application received in person on `received` (registered that day)."""
    with at(received):
        receipt = actions.application_register(
            actor=actor or cast.drafter,
            organ=organ or cast.zhuwang,
            channel=overrides.pop("channel", "in_person"),
            received_date=received,
            **applicant(**overrides),
        )
    return receipt.application


@pytest.fixture
def make_app(cast):
    def make(received: datetime.date, **overrides: Any):
        return register(cast, received, **overrides)

    return make
