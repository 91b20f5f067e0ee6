"""axe-core (vendored under static/vendor/axe-core-<version>/, injected by the test only) over the
portal's main pages, in the normal, larger-text and high-contrast modes: no serious or critical
violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import portal_data

pytestmark = pytest.mark.browser

AXE = next(
    (Path(__file__).resolve().parents[2] / "static" / "vendor").glob("axe-core-*/axe.min.js")
)
RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.fixture
def browser_context_options(browser_context_options):
    # axe is injected by the test as an inline script, which the site's CSP rightly refuses.
    return {**browser_context_options, "bypass_csp": True}


@pytest.fixture
def data(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return portal_data.build(cast)


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN)


@pytest.mark.parametrize("mode", ["normal", "large", "contrast"])
def test_the_public_pages_have_no_serious_accessibility_violations(
    browser_page, page_url, data, mode
):
    page = browser_page
    paths = [
        "/",
        reverse("portal:unit_home", args=["zhuwang"]),
        reverse("portal:guide", args=["zhuwang"]),
        reverse("portal:rules", args=["zhuwang"]),
        reverse("portal:catalog", args=["zhuwang"]),
        reverse("portal:catalog", args=["zhuwang"]) + "?category=art21-03",
        reverse("portal:reports", args=["zhuwang"]),
        reverse("portal:directory"),
        reverse("portal:item", args=[data.budget.index_number]),
        reverse("portal:item", args=[data.repealed.index_number]),
        reverse("portal:item_print", args=[data.budget.index_number]),
        reverse("portal:search") + "?q=%E9%A2%84%E7%AE%97",
        reverse("portal:search") + "?q=%E6%B2%A1%E6%9C%89%E7%BB%93%E6%9E%9C",
    ]
    page.goto(page_url("/"))
    if mode != "normal":
        page.get_by_role("button", name="大字" if mode == "large" else "高对比").click()
    found = {}
    for path in paths:
        page.goto(page_url(path))
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}


def test_the_staff_portal_pages_have_no_serious_accessibility_violations(
    browser_page, page_url, data, sign_in
):
    page = browser_page
    sign_in(page, "head")
    found = {}
    for path in (
        reverse("portal:staff_index"),
        reverse("portal:staff_guide", args=["zhuwang"]),
        reverse("portal:staff_page_new", args=["zhuwang"]),
    ):
        page.goto(page_url(path))
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}
