"""Keyboard users and older readers: the skip link, visible focus, and the larger-text and
high-contrast modes that stay on from page to page (适老化)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, cls: el.className, id: el.id, text: el.innerText,
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          visible: !!(el.offsetWidth || el.offsetHeight),
          left: el.getBoundingClientRect().left, top: el.getBoundingClientRect().top};
}"""


def test_the_first_tab_reaches_a_visible_skip_link_that_jumps_to_the_content(
    browser_page, cast, page_url
):
    page = browser_page
    page.goto(page_url("/"))
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["cls"] == "skip-link"
    assert focus["text"].strip() == "跳到正文"
    assert focus["visible"] and focus["left"] >= 0 and focus["top"] >= 0  # on screen
    assert focus["outline"] != "none" and focus["width"] >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_every_control_in_the_header_shows_a_focus_ring(browser_page, cast, page_url):
    page = browser_page
    page.goto(page_url("/"))
    page.keyboard.press("Tab")  # the skip link
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus["tag"] == "BODY":  # past the last control
            break
        seen.append(focus["text"].strip())
        assert focus["outline"] != "none" and focus["width"] >= 2, focus
    assert {"大字", "高对比", "English"} <= set(seen)


@pytest.mark.parametrize(
    ("button", "css_class"), [("大字", "large-text"), ("高对比", "high-contrast")]
)
def test_display_modes_stay_on_across_pages_and_visits(
    browser_page, cast, page_url, button, css_class
):
    page = browser_page
    page.goto(page_url("/"))
    toggle = page.get_by_role("button", name=button)
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert css_class in page.locator("html").get_attribute("class")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.goto(page_url(reverse("accounts:login")))  # another page, another frame
    assert css_class in page.locator("html").get_attribute("class")
    page.goto(page_url("/"))
    assert css_class in page.locator("html").get_attribute("class")
    toggle = page.get_by_role("button", name=button)
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()  # and off again, for good
    page.reload()
    assert css_class not in (page.locator("html").get_attribute("class") or "")


def test_larger_text_really_enlarges_the_text(browser_page, cast, page_url):
    page = browser_page
    page.goto(page_url("/"))
    size = "() => parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize)"
    before = page.evaluate(size)
    page.get_by_role("button", name="大字").click()
    assert page.evaluate(size) >= before * 1.2


def test_staff_pages_have_the_skip_link_and_a_visible_focus_ring_too(browser_page, cast, sign_in):
    page = browser_page
    sign_in(page, "head")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_STYLE)["cls"] == "skip-link"
    page.keyboard.press("Tab")  # the brand link on the dark header
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["tag"] == "A" and focus["outline"] != "none" and focus["width"] >= 2
    colour = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert colour == "rgb(255, 213, 74)"  # yellow on the dark header, not blue on blue
