"""Pre-publication checks: findings in context, the unit's own contacts allowed, the nightly
re-check of published items, unreadable files needing a reviewer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts import actions as unit_actions
from gongkai.catalog import actions, jobs, queries
from gongkai.catalog.models import Finding, Item
from gongkai.catalog.publishing import PublishBlocked
from gongkai.core.models import OutgoingEmail
from tests.catalog.conftest import make_draft, publish_new, walk
from tests.lib.files import make_docx, make_png


def test_submission_stores_findings_with_their_context(cast):
    item = make_draft(cast, body="<p>申请人张三，身份证号码 11010519491231002X，已核实。</p>")
    actions.item_submit(actor=cast.drafter, item=item)
    finding = Finding.objects.get()
    assert finding.kind == "id_card" and finding.source == "body"
    assert finding.text == "11010519491231002X"
    assert finding.context_before.endswith("身份证号码 ")
    assert finding.context_after.startswith("，已核实")


def test_the_units_own_phone_and_email_are_not_findings(cast):
    unit_actions.unit_update(
        actor=None, unit=cast.zhuwang, phone="13906310000", email="zwz@rs.example.gov.cn"
    )
    item = make_draft(cast, body="<p>咨询电话 13906310000，邮箱 zwz@rs.example.gov.cn</p>")
    actions.item_submit(actor=cast.drafter, item=item)
    assert not Finding.objects.exists()


def test_findings_in_attachments_are_found(cast):
    item = make_draft(cast)
    actions.attachment_add(
        actor=cast.drafter,
        item=item,
        name="名单.docx",
        data=make_docx(["救助对象：李四 手机 13812345678"]),
    )
    actions.item_submit(actor=cast.drafter, item=item)
    finding = Finding.objects.get()
    assert finding.source == "attachment" and finding.attachment.name == "名单.docx"


def test_an_unreadable_file_needs_a_reviewers_confirmation(cast, monkeypatch):
    from gongkai.lib import textextract

    monkeypatch.setattr(textextract, "ocr_available", lambda: False)
    item = make_draft(cast)
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=make_png(), name="扫描件.png"
    )
    assert attachment.readable is False and attachment.unreadable_reason
    walk(cast, item, "sign_off")
    with pytest.raises(PublishBlocked, match="人工确认"):
        actions.item_sign_off(actor=cast.leader, item=item, override_reason="急")
    with pytest.raises(PermissionDenied):
        actions.attachment_confirm_unreadable(
            actor=cast.drafter, attachment=attachment, note="看过"
        )
    actions.attachment_confirm_unreadable(
        actor=cast.office_reviewer, attachment=attachment, note="已逐页查看，无涉密和个人信息"
    )
    actions.item_sign_off(actor=cast.leader, item=item)
    assert Item.objects.published().count() == 1


def test_the_nightly_recheck_tells_the_office_about_new_findings_once(cast):
    cast.office_reviewer.email = "gkb@example.org"
    cast.office_reviewer.save()
    item = publish_new(cast, body="<p>联系人 王五</p>")
    # A later change of the rules or the data: simulate a body that now holds a finding.
    version = item.published_version
    version.body = "<p>联系人 王五 13812345678</p>"
    version.save(update_fields=["body"])
    assert jobs.recheck_published() == 1
    assert jobs.recheck_published() == 0
    mail = OutgoingEmail.objects.get(to=["gkb@example.org"], subject__contains="检查发现")
    assert item.index_number in mail.body and "手机号码" in mail.body
    assert list(queries.published_with_findings(cast.office_reviewer)) == [version]
    assert not queries.published_with_findings(cast.other_drafter).exists()


@pytest.mark.parametrize(
    "data, name",
    [
        (b"MZ\x90\x00" + b"\0" * 200, "通知.pdf"),
        (b"just some text", "通知.docx"),
    ],
)
def test_the_file_type_is_judged_by_content_not_by_name(cast, data, name):
    item = make_draft(cast)
    with pytest.raises(ValidationError, match="不是允许的附件类型"):
        actions.attachment_add(actor=cast.drafter, item=item, data=data, name=name)
    assert not item.current_version().attachments.exists()


def test_the_size_limit_is_a_setting(cast, settings):
    settings.CATALOG_ATTACHMENT_MAX_MB = 1
    item = make_draft(cast)
    data = make_docx(["大文件"]) + b"\0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="1 MB"):
        actions.attachment_add(actor=cast.drafter, item=item, data=data, name="大.docx")


def test_attachments_record_their_hash_and_text(cast):
    import hashlib

    item = make_draft(cast)
    data = make_docx(["2017年预算表"])
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=data, name="C:\\文件\\预算.docx"
    )
    assert attachment.name == "预算.docx" and attachment.kind == "docx"
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert "2017年预算表" in attachment.text and attachment.readable
