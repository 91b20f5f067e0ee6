"""Personal data in a real browser: the drafter types an identity number into the editor, sees
it highlighted before submitting, and masks it with one click; the 公开办负责人 takes a
published item down and its public address answers 410 at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog.models import Item
from tests.browser.helpers import wait_until
from tests.catalog.conftest import make_draft, walk

pytestmark = pytest.mark.browser

ID = "370283199001011234"  # wrong check digit, as typed by hand


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_drafter_sees_an_id_number_highlighted_and_masks_it(browser_page, cast, page_url, sign_in):
    item = make_draft(cast, title="诸往镇2026年临时救助发放情况公示", body="<p>救助情况如下。</p>")
    page = browser_page
    sign_in(page, "drafter")
    page.goto(page_url(reverse("catalog:item_edit", args=[item.pk])))
    assert page.locator("#live-checks .ct-ok").is_visible()
    page.locator(".ct-area").click()
    page.keyboard.press("End")
    page.keyboard.type(f"救助对象：张三，身份证号{ID}")
    # The live check (htmx) lists it, and the editor highlights it in place.
    hit = page.locator(f"#live-checks li[data-hit='{ID}']")
    hit.wait_for()
    assert "疑似身份证号" in hit.inner_text()
    wait_until(
        page,
        "() => CSS.highlights.has('gk-finding') && "
        "[...CSS.highlights.get('gk-finding')].some(r => r.toString() === '" + ID + "')",
    )
    assert item.open_version().state == "draft"  # nothing submitted yet
    hit.get_by_role("button", name="遮盖为 3702831990****1234").click()
    page.wait_for_url("**/edit/#live-checks")
    assert page.get_by_text("已遮盖并保存草稿").is_visible()
    version = Item.objects.get(pk=item.pk).open_version()
    assert ID not in version.body and "3702831990****1234" in version.body
    assert page.locator(f"#live-checks li[data-hit='{ID}']").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_head_takes_down_a_published_item_and_its_url_answers_410(
    browser_page, cast, page_url, sign_in, media
):
    item = make_draft(cast, title="诸往镇2026年临时救助发放情况公示", body=f"<p>身份证号{ID}</p>")
    walk(cast, item, "published", override_reason="已核实")
    item.refresh_from_db()
    public = page_url(reverse("portal:item", args=[item.index_number]))
    page = browser_page
    assert page.goto(public).status == 200
    sign_in(page, "head")
    page.goto(page_url(reverse("catalog:item_detail", args=[item.pk])))
    page.get_by_role("link", name="紧急撤回").click()
    page.fill("textarea[name=reason]", "公示中含有身份证号码")
    page.get_by_role("button", name="立即撤回").click()
    page.wait_for_url(f"**/staff/catalog/{item.pk}/")
    assert page.get_by_text("紧急撤回待领导确认").is_visible()
    response = page.goto(public)
    assert response.status == 410
    assert page.get_by_role("heading", name="该信息已不再公开").is_visible()
    assert "临时救助" not in page.content()
