"""Editing a published item: a new version, reviewed again; the public keeps the original."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalog import actions, queries
from gongkai.catalog.models import Validity, VersionState
from gongkai.catalog.publishing import fingerprint
from tests.catalog.conftest import make_draft, publish_new, walk
from tests.lib.files import make_docx


def test_the_public_sees_the_published_version_until_the_new_one_is_published(cast):
    item = publish_new(cast, body="<p>原文：预算收入3200万元。</p>")
    actions.item_new_version(actor=cast.drafter, item=item)
    actions.item_update(actor=cast.drafter, item=item, body="<p>原文：预算收入3300万元。</p>")
    public = queries.item_by_index_number(item.index_number)
    assert "3200万元" in public.published_version.body
    walk(cast, item, "published")
    item.refresh_from_db()
    assert "3300万元" in queries.item_by_index_number(item.index_number).published_version.body
    states = [v.state for v in queries.versions_of(item)]
    assert states == [VersionState.PUBLISHED, VersionState.SUPERSEDED]
    assert [v.number for v in queries.published_history(item)] == [2, 1]


def test_only_one_new_version_at_a_time(cast):
    item = publish_new(cast)
    actions.item_new_version(actor=cast.drafter, item=item)
    with pytest.raises(actions.InvalidTransition):
        actions.item_new_version(actor=cast.drafter, item=item)


def test_a_new_version_keeps_the_attachments_and_their_files(cast):
    item = make_draft(cast)
    actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx(["预算表"]), name="预算.docx"
    )
    walk(cast, item, "published")
    version = actions.item_new_version(actor=cast.drafter, item=item)
    copied = version.attachments.get()
    original = item.published_version.attachments.get()
    assert copied.file.name == original.file.name and copied.sha256 == original.sha256
    actions.attachment_remove(actor=cast.drafter, attachment=copied)
    from django.core.files.storage import default_storage

    assert default_storage.exists(original.file.name)  # the published version still uses it


def test_the_diff_marks_insertions_and_deletions_safely(cast):
    item = publish_new(cast, title="2017年财政预算", body="<p>收入3200万元</p>")
    actions.item_new_version(actor=cast.drafter, item=item)
    actions.item_update(
        actor=cast.drafter,
        item=item,
        title="2017年财政预算（调整）",
        body="<p>收入3300万元<b>&lt;script&gt;</b></p>",
    )
    old, new = item.versions.order_by("number")
    diff = queries.version_diff(old, new)
    assert diff["fields"][0]["label"] == "名称"
    assert "<ins>（调整）</ins>" in diff["fields"][0]["html"]
    assert "<del>2</del><ins>3</ins>" in diff["body_html"]
    assert "<script>" not in diff["body_html"] and "&lt;script&gt;" in diff["body_html"]


def test_the_fingerprint_is_reproducible_and_changes_with_content(cast):
    item = publish_new(cast)
    version = item.published_version
    assert fingerprint(version) == version.fingerprint
    version.body += "<p>改动</p>"
    assert fingerprint(version) != version.fingerprint


def test_withdrawal_takes_the_item_offline_with_a_reason(cast):
    item = publish_new(cast)
    with pytest.raises(ValidationError):
        actions.item_withdraw(actor=cast.leader, item=item, reason="")
    actions.item_withdraw(actor=cast.leader, item=item, reason="内容有误，更正后重新发布")
    assert queries.item_by_index_number(item.index_number) is None
    item.refresh_from_db()
    assert item.withdrawn_reason == "内容有误，更正后重新发布"


def test_a_repealed_item_is_marked_and_links_to_its_replacement(cast):
    old = publish_new(cast, title="诸往镇农村低保实施办法（2015）")
    new = publish_new(cast, title="诸往镇农村低保实施办法（2017）")
    with pytest.raises(ValidationError):
        actions.item_set_validity(
            actor=cast.office_reviewer, item=old, validity=Validity.AMENDED, effective_date=None
        )
    import datetime

    actions.item_set_validity(
        actor=cast.office_reviewer,
        item=old,
        validity=Validity.REPEALED,
        effective_date=datetime.date(2017, 6, 1),
        replaced_by=new,
    )
    shown = queries.item_by_index_number(old.index_number)
    assert shown.get_validity_display() == "废止" and shown.replaced_by == new
    assert list(queries.published_items(validity="废止")) == [old]
    assert list(queries.published_items(validity="有效")) == [new]


def test_validity_can_only_be_set_by_the_office(cast):
    item = publish_new(cast)
    with pytest.raises(PermissionDenied):
        actions.item_set_validity(actor=cast.drafter, item=item, validity=Validity.EXPIRED)
