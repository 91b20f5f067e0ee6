"""An organ's first applications arriving at the same moment (through several servers): each is
registered with its own number, none fails on the organ's settings row being created twice."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections

from gongkai.applications import actions
from gongkai.applications.models import Application, OrganSettings
from tests.applications.conftest import applicant

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_applications_of_an_organ_registered_at_once_get_distinct_numbers(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    assert not OrganSettings.objects.filter(organ=cast.zhuwang).exists()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def register(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            actions.application_register(
                actor=cast.drafter,
                organ=cast.zhuwang,
                channel="in_person",
                received_date=datetime.date(2026, 3, 2),
                **applicant(applicant_name=f"申请人{n}"),
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 6
    assert OrganSettings.objects.filter(organ=cast.zhuwang).count() == 1
