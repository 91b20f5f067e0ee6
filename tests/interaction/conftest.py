"""Helpers for interaction tests: a letter from a citizen, walked to a given state."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.interaction import actions, uploads
from tests.lib.files import make_png

WRITER = {
    "writer_name": "王秀英",
    "writer_phone": "13905451234",
    "writer_email": "wangxiuying@example.com",
}
ID_NUMBER = "37108319800101002X"
PNG = make_png()


@pytest.fixture(autouse=True)
def _interaction_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.CAPTCHA_TEST_MODE = True
    # Generous limits; the rate-limit tests set their own.
    settings.RATELIMITS = {
        "mailbox.submit": "1000/h",
        "mailbox.attempt": "1000/h",
        "mailbox.status": "1000/h",
    }
    settings.SITE_URL = "https://gk.example.cn"


def at(day: datetime.date, hour: int = 10):
    """Travel to `day` at `hour` o'clock Beijing time (the clock stands still)."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)
        - datetime.timedelta(hours=8),
        tick=False,
    )


def png_upload(name: str = "photo.png") -> uploads.CheckedUpload:
    return uploads.check(SimpleUploadedFile(name, PNG, content_type="image/png"))


def submit(unit, **overrides: Any) -> actions.Submitted:
    data: dict[str, Any] = {
        **WRITER,
        "subject": "村西头路灯坏了",
        "content": f"我是王秀英，身份证号{ID_NUMBER}，住在诸往村。村西头的路灯坏了一个月，"
        "晚上出行很不方便，请尽快维修。电话13905451234。",
        "consent_publish": True,
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return actions.letter_submit(unit=unit, **data)


def answered(cast, **overrides: Any):
    letter = submit(cast.zhuwang, **overrides).letter
    return actions.letter_answer(
        actor=cast.leader,
        letter=letter,
        reply="王秀英您好：经查，路灯已于本周修复。如有问题请拨打0631-6366000。",
    )


def published(cast, **overrides: Any):
    from gongkai.interaction.publication import proposed_public_version

    letter = answered(cast, **overrides)
    return actions.letter_publish(
        actor=cast.leader, letter=letter, texts=proposed_public_version(letter)
    )


@pytest.fixture
def letter(cast):
    return submit(cast.zhuwang).letter


def published_item(cast, title: str = "诸往镇2017年政府信息公开工作年度报告"):
    """A catalog item walked through the workflow to publication."""
    from django.utils import timezone

    from gongkai.catalog import actions as catalog

    item = catalog.item_create(
        actor=cast.drafter,
        unit=cast.zhuwang,
        title=title,
        body="<p>正文</p>",
        formed_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    catalog.item_submit(actor=cast.drafter, item=item)
    catalog.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=False)
    catalog.item_office_approve(actor=cast.office_reviewer, item=item)
    catalog.item_sign_off(actor=cast.leader, item=item)
    item.refresh_from_db()
    return item
