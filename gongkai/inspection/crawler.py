"""The link crawler: fetches a site's own pages breadth-first from its home page, with a pause
between requests and a page limit, and records every link it finds with its verdict.

Only the site's own hosts are fetched unless external checks are allowed (then each external URL
is requested once, and a recent verdict from `cached` is reused). Attachments (/fujian/ and file
suffixes) are requested but not parsed; the online forms are checked by opening them (never by
submitting). Plain urllib: no new dependency, and tests point it at a local http.server.
"""

from __future__ import annotations

import datetime
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.utils import timezone

TIMEOUT_SECONDS = 15
MAX_BYTES = 2 * 1024 * 1024
USER_AGENT = "gongkai-inspection/1 (+self-inspection link check)"
ATTACHMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip", ".rar", ".txt", ".csv",
)  # fmt: skip
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")


@dataclass
class Response:
    status: int | None
    content_type: str = ""
    body: bytes = b""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


@dataclass
class Link:
    url: str
    found_on: str
    kind: str  # page | attachment | form | external
    on_home: bool
    ok: bool
    status_code: int | None
    error: str
    checked_at: datetime.datetime = field(default_factory=timezone.now)


@dataclass
class CrawlResult:
    start_url: str
    started_at: datetime.datetime
    finished_at: datetime.datetime
    pages: int
    links: list[Link]

    def broken(self) -> list[Link]:
        return [link for link in self.links if not link.ok]


Fetch = Callable[[str, bool], Response]


def fetch(url: str, want_body: bool) -> Response:
    """GET `url`; the body is read (up to MAX_BYTES) only when `want_body`."""
    if not url.startswith(("http://", "https://")):
        return Response(None, error="只检查 http(s) 链接")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_BYTES) if want_body else response.read(1024)
            return Response(response.status, response.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        return Response(exc.code, error=f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Response(None, error=f"无法访问：{reason}"[:300])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.has_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src", "iframe": "src", "embed": "src"}.get(tag)
        if tag == "form":
            self.has_form = True
        if wanted is None:
            return
        for name, value in attrs:
            if name == wanted and value:
                self.found.append(value.strip())


def parse(body: bytes, content_type: str = "") -> _Links:
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    parser = _Links()
    try:
        parser.feed(body.decode(charset, errors="replace"))
    except LookupError:
        parser.feed(body.decode("utf-8", errors="replace"))
    return parser


def is_attachment(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return "/fujian/" in path or path.endswith(ATTACHMENT_SUFFIXES)


def crawl(
    start_url: str,
    *,
    own_hosts: set[str] | None = None,
    form_urls: list[str] | None = None,
    max_pages: int = 300,
    max_depth: int = 3,
    delay_seconds: float = 0.5,
    external: bool = False,
    cached: Callable[[str], Link | None] | None = None,
    get: Fetch = fetch,
    sleep: Callable[[float], None] = time.sleep,
) -> CrawlResult:
    started = timezone.now()
    hosts = {urlsplit(start_url).netloc.lower()} | {h.lower() for h in own_hosts or set()}
    results: dict[str, Link] = {}
    queue: deque[tuple[str, int]] = deque([(start_url, 0)])
    queued = {start_url}
    pages = 0
    requests_made = 0

    def request(url: str, want_body: bool) -> Response:
        nonlocal requests_made
        if requests_made:
            sleep(delay_seconds)
        requests_made += 1
        return get(url, want_body)

    def note(url: str, found_on: str, kind: str, response: Response) -> None:
        results[url] = Link(
            url=url,
            found_on=found_on,
            kind=kind,
            on_home=found_on == start_url,
            ok=response.ok,
            status_code=response.status,
            error=response.error,
        )

    found_on_of: dict[str, str] = {start_url: start_url}
    while queue:
        url, depth = queue.popleft()
        response = request(url, True)
        pages += 1
        if url != start_url or not response.ok:
            note(url, found_on_of.get(url, start_url), "page", response)
        if not response.ok or "html" not in (response.content_type or "text/html"):
            continue
        for raw in parse(response.body, response.content_type).found:
            if raw.lower().startswith(SKIP_SCHEMES):
                continue
            target, _frag = urldefrag(urljoin(url, raw))
            if not target.startswith(("http://", "https://")):
                continue
            if target in results or target in queued:
                existing = results.get(target)
                if existing is not None and url == start_url:
                    existing.on_home = True
                continue
            own = urlsplit(target).netloc.lower() in hosts
            if not own:
                if not external:
                    continue
                hit = cached(target) if cached else None
                if hit is not None:
                    results[target] = Link(
                        target, url, "external", url == start_url, hit.ok, hit.status_code,
                        hit.error, hit.checked_at,
                    )  # fmt: skip
                    continue
                note(target, url, "external", request(target, False))
                continue
            if is_attachment(target):
                note(target, url, "attachment", request(target, False))
            elif depth + 1 <= max_depth and pages + len(queue) < max_pages:
                queue.append((target, depth + 1))
                queued.add(target)
                found_on_of[target] = url
            else:
                note(target, url, "page", request(target, False))
    for form_url in form_urls or []:
        response = request(form_url, True)
        if response.ok and not parse(response.body, response.content_type).has_form:
            response = Response(response.status, error="页面没有表单")
            response.status = None
        note(form_url, start_url, "form", response)
    return CrawlResult(
        start_url=start_url,
        started_at=started,
        finished_at=timezone.now(),
        pages=pages,
        links=list(results.values()),
    )
