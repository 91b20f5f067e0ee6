"""From a citizen's letter to its published answer, in a real chromium.

The citizen writes on a phone (solving the real CAPTCHA), the mayor answers and approves the
public version in the staff pages, and the public list then shows the exchange without the
writer's name or numbers. With SCREENSHOTS=1 the pages are saved to docs/screenshots/
(mailbox-form, mailbox-answered: desktop 1280px; the -390 files: a 390px phone).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.interaction.models import Letter, LetterStatus
from gongkai.lib.captcha import solve_question
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
CONTENT = (
    "我是王秀英，家住诸往村，身份证号37108319800101002X。村西头到小学那段路的路灯坏了一个多月，"
    "孩子们晚上放学很不安全，希望尽快维修。我的电话13905451234。"
)


@pytest.fixture
def chromium(transactional_db) -> Iterator[Any]:
    """One chromium per test, started after the database is set up and stopped before it is
    flushed: while Playwright's event loop runs in this thread, Django sees other connection
    objects, and a flush there would not know the serialized data it must leave to restore."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(path):
        pytest.skip(f"chromium not found at {path}")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(chromium, live_server):
    """Open pages in fresh browser contexts; all are closed before the database is flushed,
    so no late request (a favicon, a prefetch) reaches the server during the flush."""
    contexts = []

    def open_page(viewport, user=None):
        context = chromium.new_context(
            viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        if user is not None:
            # Sign in without the login page: a session made by Django's test client.
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def write_letter(page, live_server, screenshot: str) -> tuple[str, str]:
    page.goto(live_server.url + reverse("interaction:mailbox_write", args=["zhuwang"]))
    page.get_by_role("textbox", name="姓名", exact=True).fill("王秀英")
    page.get_by_role("textbox", name="联系电话", exact=True).fill("13905451234")
    page.get_by_role("textbox", name="电子邮箱", exact=True).fill("wangxiuying@example.com")
    page.get_by_role("textbox", name="标题", exact=True).fill("村西头路灯坏了")
    page.get_by_role("textbox", name="来信内容", exact=True).fill(CONTENT)
    page.get_by_label("同意在答复后公开").check()
    question = page.locator(".captcha-question").inner_text()
    page.get_by_role("textbox", name="验证题", exact=True).fill(str(solve_question(question)))
    assert horizontal_overflow(page) == 0
    save_screenshot(page, screenshot)
    page.get_by_role("button", name="提交来信").click()
    page.wait_for_url(re.compile(r"/huizhi/"))
    number = page.get_by_test_id("letter-number").inner_text()
    code = page.get_by_test_id("query-code").inner_text()
    return number, code


def test_a_citizens_letter_reaches_its_published_answer(new_page, live_server, cast, settings):
    settings.CAPTCHA_TEST_MODE = False  # the citizen solves the real question
    settings.RATELIMITS = {"mailbox.submit": "50/h", "mailbox.attempt": "50/h"}
    cast.zhuwang.phone = "0631-6366000"
    cast.zhuwang.save()

    # 1. A citizen writes from a phone, and a second time from a desktop (form screenshots).
    phone = new_page(PHONE)
    number, code = write_letter(phone, live_server, "mailbox-form-390")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    desktop = new_page(DESKTOP)
    write_letter(desktop, live_server, "mailbox-form")
    letter = Letter.objects.get(number=number)
    assert letter.status == LetterStatus.RECEIVED

    # 2. The mayor (the mailbox's first handler) sees it on the workbench and answers it.
    mayor = new_page(DESKTOP, user=cast.leader)
    mayor.goto(live_server.url + reverse("core:workbench"))
    mayor.get_by_role("link", name=re.compile(number)).click()
    mayor.get_by_role("textbox", name="答复内容", exact=True).fill(
        "王秀英您好：经镇村建办现场查看，该路段 3 盏路灯线路老化，已于本周全部更换修复。"
        "如再有问题，请拨打镇政府电话 0631-6366000。"
    )
    mayor.get_by_role("button", name="答复", exact=True).click()
    mayor.wait_for_load_state()
    assert "已答复" in mayor.locator("h1").inner_text()

    # 3. The public version: the writer's name, ID number and phone are already taken out.
    mayor.get_by_role("link", name="准备公开").click()
    content = mayor.get_by_label("公开的来信内容").input_value()
    assert "王秀英" not in content and "13905451234" not in content
    assert "37108319800101002X" not in content
    assert "0631-6366000" in mayor.get_by_label("公开的答复内容").input_value()
    mayor.get_by_role("button", name="预览并检查").click()
    assert "未发现" in mayor.locator(".ix-ok").inner_text()
    mayor.get_by_role("button", name="批准公开").click()
    mayor.wait_for_url(re.compile(r"/staff/interaction/letters/\d+/$"))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PUBLISHED

    # 4. The public list shows the exchange; nothing personal is on the page.
    for viewport, name in [(DESKTOP, "mailbox-answered"), (PHONE, "mailbox-answered-390")]:
        reader = new_page(viewport)
        reader.goto(live_server.url + reverse("interaction:letters_public"))
        reader.get_by_role("link", name="村西头路灯坏了").click()
        body = reader.locator("main").inner_text()
        assert "全部更换修复" in body
        for personal in ["王秀英", "13905451234", "37108319800101002X", "wangxiuying"]:
            assert personal not in reader.content()
        assert horizontal_overflow(reader) == 0
        save_screenshot(reader, name)
        assert reader.js_errors == []

    # 5. The writer checks the status with number and code.
    phone.goto(live_server.url + reverse("interaction:mailbox_status"))
    phone.get_by_role("textbox", name="信件编号", exact=True).fill(number)
    phone.get_by_role("textbox", name="查询码", exact=True).fill(code)
    phone.get_by_role("button", name="查询").click()
    assert phone.get_by_test_id("letter-status").inner_text() == "已答复"
    assert phone.js_errors == [] and mayor.js_errors == []


def test_the_reading_point_picker_finds_items_as_you_type(new_page, live_server, cast):
    from gongkai.interaction.models import ReadingVisit
    from tests.interaction.conftest import published_item

    item = published_item(cast, title="诸往镇2017年财政预算公开")
    published_item(cast, title="关于秋季防火的通告")
    clerk = new_page(DESKTOP, user=cast.drafter)
    clerk.goto(live_server.url + reverse("interaction:visit_new"))
    clerk.get_by_role("textbox", name="查阅需求", exact=True).fill("想看今年的财政预算")
    clerk.get_by_role("searchbox").type("财政预算", delay=50)
    clerk.get_by_role("button", name="添加").click()
    chosen = clerk.locator("#chosen-items input[name=items]")
    chosen.wait_for()
    assert chosen.get_attribute("value") == str(item.pk)
    assert "秋季防火" not in clerk.locator("#item-results").inner_text()
    clerk.get_by_role("spinbutton", name="提供复印件（页）").fill("6")
    clerk.get_by_role("button", name="保存").click()
    clerk.wait_for_url(re.compile(r"/staff/interaction/visits/$"))
    visit = ReadingVisit.objects.get()
    assert list(visit.items.all()) == [item]
    assert visit.copies_pages == 6
    assert clerk.js_errors == []
