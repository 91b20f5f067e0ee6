"""Each role's path through the workflow on the staff pages: the drafter creates, edits, uploads
and submits; the 保密审查员 sees the findings in context, confirms an unreadable file and clears
the item; the office approves; the leader signs off (over findings only with a reason)."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.catalog.models import Attachment, Finding, Item, VersionState
from tests.catalog.conftest import make_draft, walk
from tests.lib.files import make_docx, make_png

NEW = reverse("catalog:item_create")


def url(name, item, *args):
    return reverse(f"catalog:{name}", args=[item.pk, *args])


def item_data(cast, **overrides):
    data = {
        "unit": str(cast.zhuwang.pk),
        "title": "关于2017年低保资金发放情况的公示",
        "document_number": "诸政发[2017]12号",
        "formed_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "summary": "2017年第一季度低保资金发放情况。",
        "scope": "public",
        "keywords": "低保，社会救助",
        "body": "<p>本季度共发放低保资金 32 万元。</p><p>咨询电话 13812345678。</p>",
    }
    data.update(overrides)
    return data


def test_drafter_creates_a_draft_and_lands_on_its_edit_page(client, cast):
    client.force_login(cast.drafter)
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "乳山市诸往镇人民政府" in html  # 发布机构, read-only
    assert 'data-richtext="1"' in html  # the body editor's textarea (fallback without JS)
    response = client.post(NEW, item_data(cast))
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("item_edit", item)
    version = item.current_version()
    assert version.title == "关于2017年低保资金发放情况的公示"
    assert version.document_number == "诸政发〔2017〕12号"
    assert version.keywords == "低保 社会救助"
    assert item.organ == cast.zhuwang and item.unit == cast.zhuwang
    assert version.state == VersionState.DRAFT


def test_files_are_uploaded_with_the_draft_and_their_text_status_is_shown(client, cast):
    item = make_draft(cast)
    client.force_login(cast.drafter)
    data = item_data(cast)
    data.pop("unit")
    data["new_files"] = [
        SimpleUploadedFile("预算表.docx", make_docx(["2017年预算收入3200万元"])),
        SimpleUploadedFile("扫描件.png", make_png()),
    ]
    response = client.post(url("item_edit", item), data)
    assert response.status_code == 302
    files = {a.name: a for a in Attachment.objects.all()}
    assert set(files) == {"预算表.docx", "扫描件.png"}
    assert files["预算表.docx"].readable and not files["扫描件.png"].readable
    html = client.get(url("item_edit", item)).content.decode()
    assert "文字可读取" in html and "需人工确认" in html


def test_a_file_is_deleted_from_the_draft_by_ticking_it(client, cast):
    from gongkai.catalog import actions

    item = make_draft(cast)
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx(["附件"]), name="旧附件.docx"
    )
    client.force_login(cast.drafter)
    data = item_data(cast, remove_files=[str(attachment.pk)])
    data.pop("unit")
    assert client.post(url("item_edit", item), data).status_code == 302
    assert not Attachment.objects.exists()


def test_submitting_shows_the_check_results_in_context(client, cast):
    item = make_draft(cast, body="<p>救助对象李四，联系电话 13812345678，已核实。</p>")
    client.force_login(cast.drafter)
    data = item_data(cast, body="<p>救助对象李四，联系电话 13812345678，已核实。</p>")
    data.pop("unit")
    data["submit_after"] = "1"
    response = client.post(url("item_edit", item), data, follow=True)
    assert response.redirect_chain[-1][0] == url("item_detail", item) + "#checks"
    html = response.content.decode()
    assert "已提交保密审查" in html and "1 处" in html
    assert "<mark>13812345678</mark>" in html
    assert "联系电话 " in html and "，已核实。" in html  # the text around it
    assert "手机号码" in html
    assert item.current_version().state == VersionState.SECRECY_REVIEW


def test_secrecy_reviewer_confirms_a_scan_inline_and_clears_the_item(client, cast):
    from gongkai.catalog import actions

    item = make_draft(cast)
    scan = actions.attachment_add(actor=cast.drafter, item=item, data=make_png(), name="盖章页.png")
    actions.item_submit(actor=cast.drafter, item=item)
    client.force_login(cast.secrecy_reviewer)
    page = client.get(url("review_secrecy", item)).content.decode()
    assert "盖章页.png" in page and "需人工确认" in page
    assert "hx-post" in page  # inline confirmation
    response = client.post(
        url("attachment_confirm", item, scan.pk),
        {"note": "已查看，只有公章", "next": url("review_secrecy", item)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已人工确认" in response.content.decode()
    fragment = response.content.decode()
    assert "<html" not in fragment  # a fragment for htmx
    assert 'id="unconfirmed-note" hx-swap-oob="true"' in fragment
    assert "无法自动检查" not in fragment  # the note about the file is gone
    scan.refresh_from_db()
    assert scan.readable_confirmed_by == cast.secrecy_reviewer
    response = client.post(
        url("review_secrecy", item), {"verdict": "non_secret", "disclosure": "proactive"}
    )
    assert response.status_code == 302
    assert item.current_version().state == VersionState.OFFICE_REVIEW


def test_confirming_a_scan_without_script_returns_to_the_review_page(client, cast):
    from gongkai.catalog import actions

    item = make_draft(cast)
    scan = actions.attachment_add(actor=cast.drafter, item=item, data=make_png(), name="照片.png")
    actions.item_submit(actor=cast.drafter, item=item)
    client.force_login(cast.secrecy_reviewer)
    response = client.post(
        url("attachment_confirm", item, scan.pk),
        {"note": "看过，无个人信息", "next": url("review_secrecy", item)},
    )
    assert response.status_code == 302 and response["Location"] == url("review_secrecy", item)
    response = client.post(
        url("attachment_confirm", item, scan.pk),
        {"note": "再次", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("item_detail", item)  # never off-site


def test_office_approves_and_the_leader_publishes(client, cast):
    item = walk(cast, make_draft(cast), "office_review")
    client.force_login(cast.office_reviewer)
    assert "审核通过" in client.get(url("review_office", item)).content.decode()
    response = client.post(url("review_office", item), {"note": "格式规范"})
    assert response.status_code == 302
    assert item.current_version().state == VersionState.SIGN_OFF
    client.force_login(cast.leader)
    page = client.get(url("review_sign_off", item)).content.decode()
    assert "关于2017年财政预算的公示" in page and "签发" in page and "退回" in page
    response = client.post(url("review_sign_off", item), {"when": "now"}, follow=True)
    item.refresh_from_db()
    assert item.current_version().state == VersionState.PUBLISHED
    assert re.fullmatch(r"\d{8}[\dX]/\d{4}-\d{5}", item.index_number)
    html = response.content.decode()
    assert f"已签发并发布，索引号 {item.index_number}" in html
    # the timeline on the item's page tells the story from the audit log
    for label in ("新建信息", "提交审核", "保密审查结论", "公开办审核通过", "发布信息"):
        assert label in html
    assert "非涉密 · 主动公开" in html  # what each step decided
    assert f"索引号 {item.index_number}，第 1 版" in html


def test_leader_cannot_publish_over_findings_without_a_reason(client, cast):
    item = walk(cast, make_draft(cast, body="<p>联系人手机 13812345678</p>"), "sign_off")
    assert Finding.objects.exists()
    client.force_login(cast.leader)
    page = client.get(url("review_sign_off", item)).content.decode()
    assert "<mark>13812345678</mark>" in page and "带问题发布的理由" in page
    response = client.post(url("review_sign_off", item), {"when": "now"})
    assert response.status_code == 400
    assert "请写明可以公开的理由" in response.content.decode()
    assert item.current_version().state == VersionState.SIGN_OFF
    response = client.post(
        url("review_sign_off", item),
        {"when": "now", "override_reason": "该号码是镇政府公开的值班电话"},
    )
    assert response.status_code == 302
    version = item.current_version()
    assert version.state == VersionState.PUBLISHED
    assert version.checks_override_reason == "该号码是镇政府公开的值班电话"


def test_leader_schedules_a_publication(client, cast):
    item = walk(cast, make_draft(cast), "sign_off")
    client.force_login(cast.leader)
    at = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        url("review_sign_off", item), {"when": "later", "go_live_at": at.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    version = item.current_version()
    assert version.state == VersionState.SCHEDULED
    assert timezone.localtime(version.go_live_at).strftime("%Y-%m-%d %H:%M") == at.strftime(
        "%Y-%m-%d %H:%M"
    )
    detail = client.get(url("item_detail", item)).content.decode()
    assert "将于" in detail and "撤销签发并退回" in detail


def test_leader_cancels_a_scheduled_publication_with_a_reason(client, cast):
    at = timezone.now() + datetime.timedelta(days=1)
    item = walk(cast, make_draft(cast), "published", go_live_at=at)
    assert item.current_version().state == VersionState.SCHEDULED
    client.force_login(cast.leader)
    response = client.post(url("item_reject", item), {"reason": "发布时间需与会议同步"})
    assert response.status_code == 302
    assert item.current_version().state == VersionState.DRAFT


def test_rejection_returns_to_the_drafter_with_the_reason_shown_prominently(client, cast):
    item = walk(cast, make_draft(cast), "office_review")
    client.force_login(cast.office_reviewer)
    response = client.post(url("item_reject", item), {"reason": "发文字号缺少年份，请补充。"})
    assert response.status_code == 302
    assert item.current_version().state == VersionState.DRAFT
    client.force_login(cast.drafter)
    for page in ("item_detail", "item_edit"):
        html = client.get(url(page, item)).content.decode()
        assert 'class="ct-rejected" role="alert"' in html
        assert "发文字号缺少年份，请补充。" in html and "待公开办审核" in html
    listing = client.get(reverse("catalog:item_list") + "?queue=mine").content.decode()
    assert "被退回" in listing


def test_rejecting_without_a_reason_changes_nothing(client, cast):
    item = walk(cast, make_draft(cast), "sign_off")
    client.force_login(cast.leader)
    response = client.post(url("item_reject", item), {"reason": "   "})
    assert response.status_code == 400
    assert "退回时必须写明理由" in response.content.decode()
    assert item.current_version().state == VersionState.SIGN_OFF
    assert not AuditEntry.objects.filter(action="catalog.item_reject").exists()


def test_secrecy_reviewer_withholds_an_item_with_a_reason(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    client.force_login(cast.secrecy_reviewer)
    response = client.post(
        url("review_secrecy", item),
        {
            "verdict": "non_secret",
            "disclosure": "withheld",
            "reason": "涉及第三方商业信息",
            "basis": "条例第十五条",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.disclosure == "withheld" and item.disclosure_reason == "涉及第三方商业信息"
    register = client.get(reverse("catalog:withheld")).content.decode()
    assert "涉及第三方商业信息" in register and "条例第十五条" in register


def test_a_secret_verdict_needs_the_confirmation_box_then_purges_the_content(client, cast):
    item = walk(cast, make_draft(cast, body="<p>内部资料</p>"), "secrecy_review")
    client.force_login(cast.secrecy_reviewer)
    response = client.post(url("review_secrecy", item), {"verdict": "secret"})
    assert response.status_code == 400
    assert "判定涉密前请勾选确认" in response.content.decode()
    assert item.current_version().body == "<p>内部资料</p>"
    response = client.post(
        url("review_secrecy", item),
        {"verdict": "secret", "confirm_secret": "on", "note": "含内部资料"},
        follow=True,
    )
    item.refresh_from_db()
    assert item.is_secret and item.current_version().body == ""
    assert "确认线下处置" in response.content.decode()


def test_a_finding_that_appears_only_at_sign_off_offers_the_reason_box(client, cast):
    # At submission the mobile number was the township's own published number, so not a finding;
    # by sign-off the township's number has changed, and the re-check finds it.
    from gongkai.accounts.models import Unit

    Unit.objects.filter(pk=cast.zhuwang.pk).update(phone="13812345678")
    item = walk(cast, make_draft(cast, body="<p>咨询电话 13812345678</p>"), "sign_off")
    assert not Finding.objects.exists()
    Unit.objects.filter(pk=cast.zhuwang.pk).update(phone="0631-6366000")
    client.force_login(cast.leader)
    response = client.post(url("review_sign_off", item), {"when": "now"})
    assert response.status_code == 400
    assert 'name="override_reason"' in response.content.decode()
    assert item.current_version().state == VersionState.SIGN_OFF
    response = client.post(
        url("review_sign_off", item), {"when": "now", "override_reason": "号码已核实可以公开"}
    )
    assert response.status_code == 302
    assert item.current_version().state == VersionState.PUBLISHED
