"""The static-publishing takedown answering 410 through real nginx, configured with the server
block of docs/operations.md as it stands. The app is not running behind it: a URL nginx hands to
the app answers 502, which is how these tests see what is not served from the files."""

from __future__ import annotations

import http.client
import os
from urllib.parse import quote

import pytest

from gongkai.catalog import actions
from gongkai.staticpub import publisher
from tests.staticpub.nginx import Nginx, free_port, nginx_binary

if nginx_binary() is None and os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
    # .ci/run installs nginx: in CI a missing nginx is a failure, not a skip.
    raise RuntimeError("CI=true but nginx is not installed (apt-get install nginx)")

pytestmark = pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (apt-get install nginx)"
)


@pytest.fixture
def nginx(published_dir, tmp_path):
    published_dir.mkdir(parents=True, exist_ok=True)
    app_port = free_port(8780, 8790)  # nothing listens there
    port = free_port(8790, 8800)
    with Nginx(tmp_path / "nginx", published=published_dir, port=port, app_port=app_port) as n:
        yield n


def get(nginx, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def test_the_static_publishing_takedown_answers_410_through_nginx(
    nginx, client, cast, publish, commit
):
    item = publish(title="诸往镇2026年临时救助发放情况公示")
    publisher.drain()
    url = "/xinxi/" + quote(item.index_number)
    status, body, headers = get(nginx, url)
    assert status == 200
    assert body == client.get(url).content
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["Content-Type"] == "text/html; charset=utf-8"

    with commit():
        actions.item_take_down(actor=cast.office_head, item=item, reason="公示含身份证号")
    # Straight after the action returned: no drain, no worker.
    status, body, headers = get(nginx, url)
    assert status == 410
    assert body == client.get(url).content
    assert "该信息已不再公开" in body.decode() and "临时救助" not in body.decode()
    assert "no-cache" in headers["Cache-Control"]
    assert get(nginx, "/dayin/" + quote(item.index_number))[0] == 410


def test_nginx_serves_the_published_pages_and_hands_the_rest_to_the_app(
    nginx, client, cast, zhuwang, publish
):
    item = publish(title="关于2026年春季植树活动的通知")
    publisher.drain()
    url = "/xinxi/" + quote(item.index_number)
    for path in ("/", "/mulu/", f"/gk/{zhuwang.code}/", f"/gk/{zhuwang.code}/mulu/", url):
        status, body, _headers = get(nginx, path)
        assert (status, body) == (200, client.get(path).content), path
    # Dynamic: search, forms, lists with a query, unknown items, staff, the API.
    for path in (
        "/sousuo/?q=植树",
        f"/gk/{zhuwang.code}/mulu/?year=2026",
        url + "?x=1",
        "/xinxi/" + quote(item.index_number + "9"),
        "/staff/",
        "/api/v1/items",
        "/hudong/",
        "/pages/index.html",
    ):
        assert get(nginx, quote(path, safe="/?=%"))[0] in {502, 404}, path
    assert get(nginx, "/pages/index.html")[0] == 404  # the tree itself is internal
    # A signed-in visitor or one who chose English gets the app's page.
    assert get(nginx, url, {"Cookie": "sessionid=abc"})[0] == 502
    assert get(nginx, url, {"Cookie": "django_language=en"})[0] == 502
    assert get(nginx, url, {"Cookie": "django_language=zh-hans"})[0] == 200
