"""The link crawler against a local HTTP server with working and broken links."""

from __future__ import annotations

import http.server
import threading

import pytest

from gongkai.inspection import crawler

PAGES = {
    "/": (
        200,
        "<html><body><a href='/news/'>动态</a> <a href='/gone'>失效链接</a>"
        "<a href='/fujian/1/'>附件一</a> <a href='/files/missing.pdf'>附件二</a>"
        "<a href='mailto:gk@example.com'>信箱</a> <a href='http://external.invalid/'>外站</a>"
        "<img src='/logo.png' alt=''></body></html>",
    ),
    "/news/": (200, "<a href='/news/1'>一</a> <a href='/'>首页</a> <a href='/deep/broken'>坏</a>"),
    "/news/1": (200, "<p>正文</p><a href='/news/'>返回</a>"),
    "/fujian/1/": (200, "%PDF-1.4"),
    "/logo.png": (200, "png"),
    "/write/": (200, "<form method='post'><textarea></textarea></form>"),
    "/noform/": (200, "<p>维护中</p>"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = PAGES.get(self.path, (404, "not found"))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_crawler_finds_broken_links_and_attachments(site):
    pauses = []
    result = crawler.crawl(
        site + "/",
        form_urls=[site + "/write/", site + "/noform/"],
        delay_seconds=0.01,
        sleep=pauses.append,
    )
    by_url = {link.url.replace(site, ""): link for link in result.links}
    assert not by_url["/gone"].ok and by_url["/gone"].status_code == 404
    assert by_url["/gone"].on_home
    assert by_url["/news/"].ok and by_url["/news/1"].ok
    assert not by_url["/deep/broken"].ok and not by_url["/deep/broken"].on_home
    assert by_url["/deep/broken"].found_on == site + "/news/"
    assert by_url["/fujian/1/"].kind == "attachment" and by_url["/fujian/1/"].ok
    assert by_url["/files/missing.pdf"].kind == "attachment" and not by_url["/files/missing.pdf"].ok
    assert by_url["/write/"].kind == "form" and by_url["/write/"].ok
    assert not by_url["/noform/"].ok
    # Only the site's own host, and never mailto: links.
    assert not any("external.invalid" in url or "mailto" in url for url in by_url)
    # One pause between each two requests: the rate is bounded.
    assert len(pauses) >= len(result.links) and all(p == 0.01 for p in pauses)


def test_crawler_stops_at_the_page_limit(site):
    result = crawler.crawl(site + "/", max_pages=1, delay_seconds=0, sleep=lambda s: None)
    assert result.pages == 1
    # Pages beyond the limit are still checked, just not read for links.
    assert any(link.url.endswith("/news/") and link.ok for link in result.links)
    assert not any(link.url.endswith("/news/1") for link in result.links)


def test_external_links_are_checked_only_when_allowed_and_then_cached(site):
    cached_link = crawler.Link("http://external.invalid/", "", "external", False, True, 200, "")
    result = crawler.crawl(
        site + "/", external=True, cached=lambda url: cached_link, delay_seconds=0,
        sleep=lambda s: None,
    )  # fmt: skip
    external = [link for link in result.links if link.kind == "external"]
    assert len(external) == 1 and external[0].ok  # the cached verdict, no request made
    fresh = crawler.crawl(site + "/", external=True, delay_seconds=0, sleep=lambda s: None)
    external = [link for link in fresh.links if link.kind == "external"]
    assert len(external) == 1 and not external[0].ok


def test_an_unreachable_site_is_one_broken_page(site):
    result = crawler.crawl("http://127.0.0.1:9/", delay_seconds=0, sleep=lambda s: None)
    assert result.pages == 1
    assert len(result.links) == 1 and not result.links[0].ok and result.links[0].error
