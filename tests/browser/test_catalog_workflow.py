"""A catalog item's whole path in a real browser: the drafter writes it with the rich-text editor,
uploads files and submits; the 保密审查员 sees the findings, confirms a scan inline (htmx) and
clears it; the office approves; the leader signs off on a 390px phone; the item is published.

With SCREENSHOTS=1 the pages are saved as docs/screenshots/catalog-edit.png, catalog-review.png
and catalog-signoff-phone.png."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog.models import Category, Item, VersionState
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot
from tests.lib.files import make_docx, make_png

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_item_goes_from_draft_to_published_with_the_leader_on_a_phone(
    _browser, browser_page, cast, page_url, sign_in, media, tmp_path
):
    # Reference data from the migrations (categories, holidays) must be there.
    category = Category.objects.get(code="art20-01")

    # ---------------------------------------------------------------- the drafter
    page = browser_page
    sign_in(page, "drafter")
    page.goto(page_url(reverse("catalog:item_create")))
    assert page.locator(".ct-toolbar").is_visible()  # the editor replaced the textarea
    assert page.locator("textarea[name=body]").is_hidden()
    page.fill("input[name=title]", "关于2017年第一季度低保资金发放情况的公示")
    page.fill("input[name=document_number]", "诸政发[2017]12号")
    formed = timezone.localdate() - datetime.timedelta(days=3)
    page.fill("input[name=formed_date]", formed.isoformat())
    page.fill("textarea[name=summary]", "公示2017年第一季度全镇低保资金发放情况。")
    page.select_option("select[name=category]", str(category.pk))
    area = page.locator(".ct-area")
    area.click()
    page.get_by_role("button", name="标题", exact=True).click()
    page.keyboard.type("发放情况")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="正文段落").click()
    page.keyboard.type("本季度共发放低保资金32万元，惠及186户。咨询电话13812345678。")
    docx = tmp_path / "发放明细.docx"
    docx.write_bytes(make_docx(["低保资金发放明细", "合计 32 万元"]))
    scan = tmp_path / "盖章页.png"
    scan.write_bytes(make_png(60, 40))
    page.set_input_files("input[name=new_files]", [str(docx), str(scan)])
    page.get_by_role("button", name="保存草稿").last.click()
    page.wait_for_url("**/edit/")
    item = Item.objects.get()
    version = item.current_version()
    assert "<h2>发放情况</h2>" in version.body and "惠及186户" in version.body
    assert version.document_number == "诸政发〔2017〕12号"
    assert page.locator(".ct-files li").count() == 2
    assert page.get_by_text("需人工确认").count() >= 1
    assert horizontal_overflow(page) == 0
    save_screenshot(page, "catalog-edit")
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_url("**" + reverse("catalog:item_detail", args=[item.pk]) + "#checks")
    assert page.locator(".ct-context mark").first.inner_text() == "13812345678"
    assert page.js_errors == []

    # ---------------------------------------------------------------- the 保密审查员
    secrecy = new_page(_browser, DESKTOP)
    sign_in(secrecy, "secrecy")
    secrecy.goto(page_url(reverse("catalog:review_secrecy", args=[item.pk])))
    assert secrecy.locator(".ct-findings li").count() == 1
    row = secrecy.locator(".ct-files li", has_text="盖章页.png")
    row.locator("input[name=note]").fill("已打开查看：只有镇政府公章，无个人信息")
    row.get_by_role("button", name="确认可以公开").click()
    secrecy.locator(".ct-files li", has_text="已人工确认").wait_for()
    assert "/secrecy/" in secrecy.url  # confirmed inline, the page stayed
    assert secrecy.locator("#blockers .ct-warn").count() == 0  # the notes were updated too
    assert secrecy.locator("#unconfirmed-note .ct-warn").count() == 0
    secrecy.get_by_role("radio", name="非涉密").check()
    secrecy.get_by_role("radio", name="主动公开").check()
    secrecy.fill("textarea[name=note]", "电话为民政办公开的咨询电话")
    save_screenshot(secrecy, "catalog-review")
    secrecy.get_by_role("button", name="提交审查结论").click()
    secrecy.wait_for_url("**" + reverse("catalog:item_detail", args=[item.pk]))
    assert item.current_version().state == VersionState.OFFICE_REVIEW
    assert secrecy.js_errors == []

    # ---------------------------------------------------------------- the office
    office = new_page(_browser, DESKTOP)
    sign_in(office, "reviewer")
    office.goto(page_url(reverse("catalog:review_office", args=[item.pk])))
    office.get_by_role("button", name="审核通过").click()
    office.wait_for_url("**" + reverse("catalog:item_detail", args=[item.pk]))
    assert item.current_version().state == VersionState.SIGN_OFF

    # ---------------------------------------------------------------- the leader, on a phone
    phone = new_page(_browser, PHONE)
    sign_in(phone, "leader")
    phone.get_by_role("link", name="关于2017年第一季度低保资金发放情况的公示").click()
    phone.wait_for_url("**" + reverse("catalog:review_sign_off", args=[item.pk]))
    assert horizontal_overflow(phone) == 0
    sign = phone.get_by_role("button", name="签发", exact=True)
    back = phone.get_by_role("button", name="退回", exact=True)
    assert sign.bounding_box()["height"] >= 44 and back.bounding_box()["height"] >= 44
    assert sign.bounding_box()["width"] >= 300
    assert phone.locator("#field-go_live_at").is_hidden()  # only for a scheduled publication
    phone.fill("textarea[name=override_reason]", "该号码是民政办对外公开的咨询电话")
    save_screenshot(phone, "catalog-signoff-phone")
    sign.click()
    phone.wait_for_url("**" + reverse("catalog:item_detail", args=[item.pk]))
    item.refresh_from_db()
    assert item.current_version().state == VersionState.PUBLISHED
    assert item.index_number and item.index_number in phone.locator(".messages").inner_text()
    assert horizontal_overflow(phone) == 0
    assert phone.js_errors == [] and office.js_errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_editor_cleans_pasted_word_html_and_inserts_tables(
    browser_page, cast, page_url, sign_in, media
):
    page = browser_page
    sign_in(page, "drafter")
    page.goto(page_url(reverse("catalog:item_create")))
    page.fill("input[name=title]", "关于表格的通知")
    page.fill("input[name=formed_date]", timezone.localdate().isoformat())
    page.locator(".ct-area").click()
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.setData("text/html", '<p class="MsoNormal" style="color:red" onclick="x()">'
            + '<b>粘贴的</b><span style="font-size:20pt">文字</span></p>'
            + '<script>alert(1)</script><a href="javascript:alert(2)">坏链接</a>');
          document.querySelector(".ct-area").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    page.once("dialog", lambda dialog: dialog.accept("2x3"))
    page.get_by_role("button", name="表格").click()
    page.get_by_role("button", name="保存草稿").last.click()
    page.wait_for_url("**/edit/")
    body = Item.objects.get().current_version().body
    assert "<strong>粘贴的</strong>文字" in body
    assert "style" not in body and "onclick" not in body and "script" not in body
    assert "javascript" not in body and "坏链接" in body
    assert body.count("<th>") == 3 and body.count("<td>") == 3
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_javascript_the_body_is_a_plain_textarea(_browser, cast, page_url, sign_in, media):
    context = _browser.new_context(
        viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in(page, "drafter")
        page.goto(page_url(reverse("catalog:item_create")))
        assert page.locator(".ct-toolbar").count() == 0
        page.fill("input[name=title]", "无脚本也能写的通知")
        page.fill("input[name=formed_date]", timezone.localdate().isoformat())
        page.fill("textarea[name=body]", "第一段。\n\n第二段。")
        page.get_by_role("button", name="保存草稿").last.click()
        page.wait_for_url("**/edit/")
        assert Item.objects.get().current_version().body == "<p>第一段。</p><p>第二段。</p>"
    finally:
        context.close()
