"""The statistics dashboard in a real chromium: the charts draw (a canvas in every chart), each
has its data table, the high-contrast mode redraws them in black and blue, a phone needs no
sideways scrolling, and a year without records says so. With SCREENSHOTS=1 the pages are
saved to docs/screenshots/dashboard.png (desktop), dashboard-phone.png (390px) and
dashboard-high-contrast-large.png (both modes for older readers)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot, wait_until
from tests.dashboard.seed import seed_year

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

YEAR = 2025
CHARTS = 7  # with the applicants' ratings (issue 15; the seed rates some replies)


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    # Reduced motion: dashboard.js then draws without animation, so screenshots are final.
    return {
        "viewport": DESKTOP,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def year_of_work(cast):
    seed_year(cast.zhuwang, YEAR)
    seed_year(cast.other_township, YEAR, seed=99)
    return cast


def _open(page: Any, page_url, year: int = YEAR) -> None:
    page.goto(page_url(reverse("dashboard:index") + f"?year={year}"))
    page.wait_for_load_state("load")


def test_charts_draw_with_a_table_beside_each(browser_page, page_url, sign_in, year_of_work):
    page = browser_page
    sign_in(page, "head")
    _open(page, page_url)

    wait_until(page, f"document.querySelectorAll('.dash-canvas canvas').length === {CHARTS}")
    holders = page.locator(".dash-canvas[role=img]")
    assert holders.count() == CHARTS
    for n in range(CHARTS):
        box = holders.nth(n).locator("canvas").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200
        assert "查看数据表" in (holders.nth(n).get_attribute("aria-label") or "")
    tables = page.locator("details.dash-table table")
    assert tables.count() == CHARTS
    first = page.locator("details.dash-table").first
    first.locator("summary").click()
    table = first.locator("table")
    assert table.is_visible()
    assert "乳山市诸往镇人民政府" in table.locator("caption").inner_text()
    assert table.locator("thead th").first.inner_text() == "月份"
    assert table.locator("tbody tr").count() == 13  # twelve months and the year
    assert page.locator(".dash-download a").count() == CHARTS
    assert "夏村镇" not in page.content()
    first.locator("summary").click()  # closed again for the screenshot
    save_screenshot(page, "dashboard")
    assert page.js_errors == []


def test_high_contrast_redraws_the_charts_in_black_and_blue(
    browser_page, page_url, sign_in, year_of_work
):
    page = browser_page
    sign_in(page, "head")
    _open(page, page_url)
    wait_until(page, "document.querySelectorAll('.dash-canvas canvas').length > 0")
    palette = (
        "() => echarts.getInstanceByDom(document.querySelector('.dash-canvas'))"
        ".getOption().color[0].toLowerCase()"
    )
    assert page.evaluate(palette) == "#0072b2"

    page.locator("[data-toggle=contrast]").click()

    wait_until(page, f"({palette})() === '#000000'")
    decal = (
        "() => echarts.getInstanceByDom(document.querySelector('.dash-canvas')).getOption().aria"
    )
    aria = page.evaluate(decal)
    assert (aria[0] if isinstance(aria, list) else aria)["decal"]["show"] is True
    # The chart's own description (pointing to the table) is not replaced by ECharts'.
    label = page.locator(".dash-canvas").first.get_attribute("aria-label") or ""
    assert label.startswith("图表：") and "查看数据表" in label

    page.locator("[data-toggle=large]").click()  # larger text: taller charts, bigger labels

    wait_until(
        page, "document.querySelector('.dash-canvas canvas').getBoundingClientRect().height >= 370"
    )
    save_screenshot(page, "dashboard-high-contrast-large", full_page=False)
    assert page.js_errors == []


def test_a_phone_reads_the_dashboard_without_sideways_scrolling(
    browser_page, page_url, sign_in, year_of_work
):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, "head")
    _open(page, page_url)
    wait_until(page, f"document.querySelectorAll('.dash-canvas canvas').length === {CHARTS}")

    assert horizontal_overflow(page) == 0
    box = page.locator(".dash-canvas canvas").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.locator("details.dash-table summary").first.click()
    assert horizontal_overflow(page) == 0  # the wide table scrolls inside its own box
    page.locator("details.dash-table summary").first.click()
    save_screenshot(page, "dashboard-phone")
    assert page.js_errors == []


def test_a_year_without_records_says_so_instead_of_empty_charts(
    browser_page, page_url, sign_in, year_of_work
):
    page = browser_page
    sign_in(page, "head")
    _open(page, page_url, YEAR - 1)

    assert page.locator(".dash-empty").count() == CHARTS
    assert page.get_by_text("本年度暂无数据").count() == CHARTS - 1
    assert page.get_by_text("本年度暂无评价").count() == 1  # the applicants' ratings
    assert page.locator(".dash-canvas").count() == 0
    assert page.js_errors == []


def test_city_staff_pick_a_township_and_its_charts_replace_the_total(
    browser_page, page_url, sign_in, year_of_work
):
    page = browser_page
    sign_in(page, "admin")
    _open(page, page_url)
    assert page.locator("#dash-unit option:checked").inner_text().startswith("乳山市及下级机关合计")
    total = page.locator(".dash-figures .figure-value").first.inner_text()

    page.select_option("#dash-unit", "xiacun")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(lambda url: "unit=xiacun" in url)
    wait_until(page, f"document.querySelectorAll('.dash-canvas canvas').length === {CHARTS}")

    assert "乳山市夏村镇人民政府 · 2025 年" in page.locator(".dash-scope").inner_text()
    assert page.locator(".dash-figures .figure-value").first.inner_text() != total
    assert page.js_errors == []
