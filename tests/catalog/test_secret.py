"""涉密 verdict: content purged, metadata and audit trail kept, never published by any path."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.catalog import actions, jobs, queries
from gongkai.catalog.models import Item, Secrecy, VersionState
from gongkai.core.models import OutgoingEmail
from tests.catalog.conftest import make_draft, publish_new, walk
from tests.lib.files import make_docx


def _secret_item(cast):
    item = make_draft(cast, title="关于某项工作的请示", body="<p>正文内容：某项工作部署。</p>")
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx(["附件正文"]), name="请示附件.docx"
    )
    actions.item_submit(actor=cast.drafter, item=item)
    actions.item_secrecy_verdict(
        actor=cast.secrecy_reviewer, item=item, secret=True, note="含有涉密内容"
    )
    item.refresh_from_db()
    return item, attachment


def test_a_secret_verdict_removes_body_and_files_but_keeps_metadata_and_audit(cast):
    cast.secrecy_reviewer.email = "baomi@example.org"
    cast.secrecy_reviewer.save()
    item, attachment = _secret_item(cast)
    stored_name = attachment.file.name
    version = item.versions.get()
    assert item.secrecy == Secrecy.SECRET
    assert version.state == VersionState.SECRET
    assert version.body == ""
    assert version.title == "关于某项工作的请示"  # metadata stays
    assert not default_storage.exists(stored_name)
    attachment.refresh_from_db()
    assert attachment.file.name == "" and attachment.text == "" and attachment.purged_at
    assert AuditEntry.objects.filter(
        object_type="catalog.item", object_id=str(item.pk), action="catalog.item_secret"
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="catalog.item", object_id=str(item.pk), action="catalog.item_create"
    ).exists()
    alert = OutgoingEmail.objects.get(to=["baomi@example.org"], subject__contains="保密提醒")
    assert "关于某项工作的请示" not in alert.body
    assert list(queries.secret_alerts(cast.secrecy_reviewer)) == [item]


def test_the_audit_log_never_holds_the_body(cast):
    item, _ = _secret_item(cast)
    for entry in AuditEntry.objects.filter(object_type="catalog.item", object_id=str(item.pk)):
        assert "某项工作部署" not in str(entry.before) + str(entry.after) + entry.note


def test_a_secret_item_cannot_be_signed_off_resubmitted_or_revised(cast):
    item, _ = _secret_item(cast)
    with pytest.raises(actions.InvalidTransition):
        actions.item_sign_off(actor=cast.leader, item=item)
    with pytest.raises(actions.InvalidTransition):
        actions.item_submit(actor=cast.drafter, item=item)
    with pytest.raises(actions.InvalidTransition):
        actions.item_new_version(actor=cast.drafter, item=item)
    assert not Item.objects.published().exists()


def test_the_scheduled_job_does_not_publish_an_item_found_secret_meanwhile(cast):
    item = walk(cast, make_draft(cast), "sign_off")
    go_live = timezone.now() + datetime.timedelta(hours=1)
    actions.item_sign_off(actor=cast.leader, item=item, go_live_at=go_live)
    actions.item_mark_secret(actor=cast.secrecy_reviewer, item=item, reason="发现涉密内容")
    import time_machine

    with time_machine.travel(go_live + datetime.timedelta(minutes=5)):
        assert jobs.publish_scheduled() == 0
    item.refresh_from_db()
    assert item.published_version is None and not Item.objects.published().exists()


def test_a_published_item_found_secret_goes_offline_at_once(cast):
    item = publish_new(cast)
    number = item.index_number
    actions.item_mark_secret(actor=cast.secrecy_reviewer, item=item, reason="误发涉密文件")
    item.refresh_from_db()
    assert queries.item_by_index_number(number) is None
    assert item.index_number == number  # never reused
    assert all(v.body == "" for v in item.versions.all())


def test_import_refuses_the_index_number_of_a_secret_item(cast, tmp_path):
    item = publish_new(cast)
    actions.item_mark_secret(actor=cast.secrecy_reviewer, item=item, reason="误发涉密文件")
    path = tmp_path / "legacy.csv"
    path.write_text(
        "unit,title,index_number,formed_date,published_date\n"
        f"zhuwang,同一文件,{item.index_number},2017-03-01,2017-03-05\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import-catalog", str(path))
    assert failed.value.returncode == 2
    assert not Item.objects.published().exists()


def test_import_refuses_a_row_with_a_classification_mark(cast, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(
        "发布机构,名称,成文日期,发布日期,正文\n"
        "zhuwang,会议纪要,2017-03-01,2017-03-05,机密★1年 会议内容\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import-catalog", str(path))
    assert not Item.objects.exists()


def test_the_secrecy_reviewer_confirms_offline_handling(cast):
    item, _ = _secret_item(cast)
    actions.item_secret_handled(actor=cast.secrecy_reviewer, item=item, note="原件已按密件管理")
    assert not queries.secret_alerts(cast.secrecy_reviewer).exists()
