"""Catalog helpers on top of the fixed cast: items walked to a given workflow state."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongkai.catalog import actions


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def make_draft(
    cast,
    *,
    unit=None,
    title="关于2017年财政预算的公示",
    body="<p>2017年全镇财政预算收入3200万元。</p>",
    formed_date=None,
    actor=None,
    **fields,
):
    return actions.item_create(
        actor=actor or cast.drafter,
        unit=unit or cast.zhuwang,
        title=title,
        body=body,
        formed_date=formed_date or timezone.localdate() - datetime.timedelta(days=2),
        **fields,
    )


def walk(cast, item, to: str, **sign_off):
    """Move a draft through the workflow up to `to`: secrecy_review, office_review, sign_off,
    published."""
    order = ["secrecy_review", "office_review", "sign_off", "published"]
    actions.item_submit(actor=cast.drafter, item=item)
    if order.index(to) >= 1:
        actions.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=False)
    if order.index(to) >= 2:
        actions.item_office_approve(actor=cast.office_reviewer, item=item)
    if order.index(to) >= 3:
        actions.item_sign_off(actor=cast.leader, item=item, **sign_off)
    item.refresh_from_db()
    return item


def publish_new(cast, **fields):
    return walk(cast, make_draft(cast, **fields), "published")
