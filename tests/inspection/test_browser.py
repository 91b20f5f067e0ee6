"""The score card and the city view in a real chromium, on the demo city (冯家镇 passes, 诸往镇 has
warnings, 夏村镇 a veto) with 30 days of history. The trend chart draws; a phone needs no
sideways scrolling on the score card. With SCREENSHOTS=1 the pages are saved to
docs/screenshots/inspection-{city,scorecard}-{1280,390}.png."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from gongkai.core.demo import DEMO_PASSWORD, all_steps, build
from gongkai.inspection import actions
from gongkai.inspection import demo as _inspection_demo  # noqa: F401  (registers the step)
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    return {
        "viewport": DESKTOP,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def demo_city(settings, tmp_path):
    from gongkai.catalog import demo as _catalog_demo  # noqa: F401
    from gongkai.portal import demo as _portal_demo  # noqa: F401

    settings.MEDIA_ROOT = tmp_path
    wanted = {
        "core.units_and_accounts",
        "catalog.items",
        "portal.content",
        "inspection.self_inspection",
    }
    build([s for s in all_steps() if s.name in wanted])
    today = timezone.localdate()
    for back in range(1, 30):
        actions.inspection_run(day=today - datetime.timedelta(days=back), notify=False)


def test_city_view_and_score_card(browser_page, page_url, sign_in, demo_city):
    page = browser_page
    sign_in(page, "city-admin", DEMO_PASSWORD)
    page.goto(page_url("/staff/inspection/"))
    page.wait_for_selector(".dash-canvas canvas")
    rows = page.locator("table.insp-table tbody tr th a").all_inner_texts()
    assert rows[0] == "夏村镇"  # vetoes first
    assert "冯家镇" in rows
    assert not page.js_errors
    save_screenshot(page, "inspection-city-1280")
    page.set_viewport_size(PHONE)
    save_screenshot(page, "inspection-city-390")

    page.set_viewport_size(DESKTOP)
    page.goto(page_url("/staff/inspection/xiacun/"))
    assert "不合格（单项否决）" in page.locator(".insp-verdict").inner_text()
    assert page.locator(".insp-card.is-veto.fail").count() >= 2
    save_screenshot(page, "inspection-scorecard-1280")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    save_screenshot(page, "inspection-scorecard-390")
    page.goto(page_url("/staff/inspection/fengjia/"))
    assert "合格" in page.locator(".insp-verdict").inner_text()
