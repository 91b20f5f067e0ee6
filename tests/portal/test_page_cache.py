"""The full-page cache: anonymous pages come from the shared store without a database query; a
publication, withdrawal, takedown or column edit retires exactly the pages it touches; a
withdrawn item is never served from the cache; staff and searches with words are never cached."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.catalog import actions
from gongkai.portal import actions as portal_actions

ZHUWANG_PAGES = ["/gk/zhuwang/", "/gk/zhuwang/mulu/", "/gk/zhuwang/zhinan/", "/gk/zhuwang/zhidu/"]
XIACUN_PAGES = ["/gk/xiacun/", "/gk/xiacun/mulu/", "/gk/xiacun/zhinan/"]
CITY_PAGES = ["/", "/mulu/", "/sousuo/"]


def state(client, path):
    response = client.get(path)
    return response.status_code, response.get("X-Page-Cache")


def warm(client, paths):
    for path in paths:
        assert state(client, path) in {(200, "miss"), (200, "hit")}, path
        assert state(client, path) == (200, "hit"), path


def test_a_second_visit_is_served_from_the_cache_without_a_query(client, cast, publish, page_cache):
    item = publish(title="樱桃采摘节")
    item_path = reverse("portal:item", args=[item.index_number])
    paths = [
        *CITY_PAGES,
        *ZHUWANG_PAGES,
        item_path,
        "/gk/zhuwang/mulu/?category=art20-07&year=2026",
    ]
    for path in paths:
        first = client.get(path)
        assert first["X-Page-Cache"] == "miss", path
        with CaptureQueriesContext(connection) as queries:
            again = client.get(path)
        assert again["X-Page-Cache"] == "hit", path
        assert again.content == first.content and len(queries) == 0, (
            path,
            queries.captured_queries,
        )
        assert client.get(path, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_item_pages_are_revalidated_by_the_browser(client, cast, publish, page_cache):
    item = publish(title="樱桃采摘节")
    path = reverse("portal:item", args=[item.index_number])
    client.get(path)
    response = client.get(path)
    assert response["X-Page-Cache"] == "hit"
    assert response["Cache-Control"] == "public, no-cache" and response["ETag"]
    assert "max-age=60" in client.get("/")["Cache-Control"]


def test_a_withdrawn_item_is_never_served_from_the_cache(client, cast, publish, commit, page_cache):
    item = publish(title="樱桃采摘节")
    path = reverse("portal:item", args=[item.index_number])
    etag = client.get(path)["ETag"]
    assert state(client, path) == (200, "hit")
    with commit():
        actions.item_withdraw(actor=cast.leader, item=item, reason="内容有误")
    assert state(client, path) == (410, None)
    # Neither a revalidation nor the print view brings it back.
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 410
    assert client.get(reverse("portal:item_print", args=[item.index_number])).status_code == 410
    assert "樱桃采摘节" not in client.get("/").content.decode()
    assert "樱桃采摘节" not in client.get("/gk/zhuwang/").content.decode()


def test_a_takedown_retires_the_item_and_its_lists_at_once(
    client, cast, publish, commit, page_cache
):
    item = publish(title="樱桃采摘节")
    path = reverse("portal:item", args=[item.index_number])
    warm(client, [path, "/", "/gk/zhuwang/", "/sousuo/"])
    assert "樱桃采摘节" in client.get("/gk/zhuwang/").content.decode()
    with commit():
        actions.item_take_down(actor=cast.office_head, item=item, reason="涉及个人信息")
    assert client.get(path).status_code == 410
    for listing in ["/", "/gk/zhuwang/", "/sousuo/"]:
        response = client.get(listing)
        assert response["X-Page-Cache"] == "miss" and "樱桃采摘节" not in response.content.decode()


def test_a_publication_retires_its_units_lists_and_not_another_townships(
    client, cast, publish, page_cache
):
    first = publish(title="第一条")
    warm(client, [*CITY_PAGES, *ZHUWANG_PAGES, *XIACUN_PAGES])
    first_path = reverse("portal:item", args=[first.index_number])
    warm(client, [first_path])
    publish(title="春季森林防火通知")
    for path in ["/", "/mulu/", "/sousuo/", "/gk/zhuwang/", "/gk/zhuwang/mulu/", "/gk/rushan/"]:
        assert state(client, path) == (200, "miss"), path
    assert "春季森林防火通知" in client.get("/gk/zhuwang/").content.decode()
    # Another township's pages, this unit's column and other items' pages stay.
    for path in [*XIACUN_PAGES, "/gk/zhuwang/zhinan/", "/gk/zhuwang/zhidu/", first_path]:
        assert state(client, path) == (200, "hit"), path


def test_a_column_edit_retires_that_units_column_only(client, cast, commit, page_cache):
    warm(client, [*CITY_PAGES, *ZHUWANG_PAGES, *XIACUN_PAGES])
    with commit():
        portal_actions.guide_update(
            actor=cast.office_reviewer, unit=cast.zhuwang, office_name="党政办"
        )
    response = client.get("/gk/zhuwang/zhinan/")
    assert response["X-Page-Cache"] == "miss" and "党政办" in response.content.decode()
    with commit():
        portal_actions.page_create(
            actor=cast.office_head, unit=cast.zhuwang, title="保密制度", body="x"
        )
    assert "保密制度" in client.get("/gk/zhuwang/zhidu/").content.decode()
    for path in [*CITY_PAGES, "/gk/zhuwang/", "/gk/zhuwang/mulu/", *XIACUN_PAGES]:
        assert state(client, path) == (200, "hit"), path


def test_staff_and_searches_with_words_are_never_cached(client, cast, publish, page_cache):
    publish(title="樱桃采摘节")
    for _ in range(2):
        assert client.get("/sousuo/", {"q": "樱桃"}).get("X-Page-Cache") is None
    client.get("/")
    client.force_login(cast.drafter)
    response = client.get("/")
    assert response.get("X-Page-Cache") is None and "private" in response["Cache-Control"]


def test_the_language_is_part_of_the_key(client, cast, page_cache):
    chinese = client.get("/").content
    client.get(reverse("portal:language"), {"language": "en", "next": "/"})
    english = client.get("/")
    assert english["X-Page-Cache"] == "miss" and english.content != chinese
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_after_a_change_the_index_moves_before_pages_are_retired_and_files_written():
    from gongkai.catalog.publishing import item_changed_callbacks
    from gongkai.portal import pagecache
    from gongkai.search import api
    from gongkai.staticpub import publisher

    order = [f.__module__ for f in item_changed_callbacks]
    index = order.index(api.item_changed.__module__)
    pages = order.index(pagecache.item_changed.__module__)
    files = order.index(publisher.item_changed.__module__)
    assert index < pages < files
