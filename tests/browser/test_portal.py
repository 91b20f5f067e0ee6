"""A citizen on the public portal: finds an item by a two-character word, by a phrase, by its
发文字号 and by its 索引号, opens it and downloads its attachment. With SCREENSHOTS=1 the home,
list, item and search pages are saved to docs/screenshots/portal-*.png at phone and desktop width.

The live server's database is flushed between tests, which wipes the categories seeded by
migration: portal_data.build seeds them again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import portal_data
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def data(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return portal_data.build(cast)


def search_from(page, box, words):
    page.fill(box, words)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def first_result(page):
    return page.locator("ol.item-list > li").first


def test_a_citizen_finds_an_item_four_ways_opens_it_and_downloads_the_file(
    browser_page, page_url, data, tmp_path
):
    page = browser_page
    page.goto(page_url("/"))
    # A two-character word, typed into the home page's search box.
    search_from(page, "#q", "预算")
    assert "/sousuo/" in page.url
    assert first_result(page).locator("a.item-title").inner_text() == "诸往镇2026年财政预算公开"
    assert first_result(page).locator("mark").first.inner_text() == "预算"
    # A phrase.
    search_from(page, "#q", "农村土地承包经营权流转")
    titles = page.locator("ol.item-list a.item-title").all_inner_texts()
    assert "诸往镇农村土地承包经营权流转情况（2025年）" in titles
    # The 发文字号, typed with ordinary brackets.
    search_from(page, "#q", "诸政发[2026]3号")
    assert first_result(page).locator("a.item-title").inner_text() == "诸往镇2026年财政预算公开"
    assert first_result(page).locator(".badge.exact").is_visible()
    # The 索引号.
    search_from(page, "#q", data.budget.index_number)
    assert first_result(page).locator(".badge.exact").is_visible()
    with page.expect_navigation():
        first_result(page).locator("a.item-title").click()
    assert page.locator("h1").inner_text() == "诸往镇2026年财政预算公开"
    assert data.budget.index_number in page.locator(".meta-strip").inner_text()
    assert data.budget.published_version.fingerprint in page.content()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=portal_data.ATTACHMENT_NAME).click()
    download = download_info.value
    assert download.suggested_filename == portal_data.ATTACHMENT_NAME
    saved = tmp_path / "downloaded.docx"
    download.save_as(saved)
    from gongkai.lib import textextract

    assert portal_data.ATTACHMENT_TEXT in textextract.extract(saved.read_bytes()).text
    assert page.js_errors == []


def test_a_repealed_document_shows_its_banner_and_leads_to_the_current_one(
    browser_page, page_url, data
):
    page = browser_page
    page.goto(page_url(reverse("portal:item", args=[data.repealed.index_number])))
    banner = page.get_by_role("note")
    assert "本文件已废止" in banner.inner_text()
    with page.expect_navigation():
        banner.get_by_role("link").click()
    assert page.locator("h1").inner_text() == "诸往镇农村土地承包经营权流转情况（2025年）"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_portal_pages_fit_the_window(browser_page, page_url, data, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    pages = [
        ("portal-home", "/"),
        ("portal-unit", reverse("portal:unit_home", args=["zhuwang"])),
        ("portal-guide", reverse("portal:guide", args=["zhuwang"])),
        ("portal-list", reverse("portal:catalog", args=["zhuwang"]) + "?category=art21"),
        ("portal-item", reverse("portal:item", args=[data.budget.index_number])),
        ("portal-repealed", reverse("portal:item", args=[data.repealed.index_number])),
        ("portal-search", reverse("portal:search") + "?q=%E5%9C%9F%E5%9C%B0%E6%B5%81%E8%BD%AC"),
        ("portal-directory", reverse("portal:directory")),
    ]
    for name, path in pages:
        page.goto(page_url(path))
        assert page.locator("h1").count() == 1, path
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at {viewport['width']}px"
        save_screenshot(page, f"{name}-{viewport['width']}")
    assert page.js_errors == []
