"""Static publishing: the public pages written as files that nginx serves without the app, the
way 政府网站 content systems publish (docs/operations.md has the nginx server block).

Layout under settings.STATIC_PUBLISH_DIR, keyed by the decoded URL path (nginx's $uri):

    pages/<path>index.html   a column page, whose path ends in "/"   (/gk/dongcheng/ …, /)
    pages/<path>.html        an item page under /xinxi/ or /dayin/   (the 索引号 keeps its slashes)
    gone/<path>.html         the app's 410 page of an item no longer public: nginx answers 410

A page file is always what the app answers an anonymous visitor for that URL at that moment,
rendered in-process through the full middleware stack: a 200 writes the page (and drops a gone
marker), a 410 drops the page and writes the marker, anything else drops both so nginx hands
the URL to the app. Files are replaced atomically (temp file + os.replace).

A change queues its pages (DirtyPage) inside its own transaction; after commit a withdrawn or
taken-down item's files are deleted before the request answers, and a thread in the process
rewrites the queued pages within a second or so. The worker's job drains whatever is left
(a crashed process, a stopped thread). One lock file serialises rendering+writing of a page
across threads and processes, so a render that started before a takedown committed can never
write the page back after the takedown deleted it.
"""

from __future__ import annotations

import fcntl
import io
import logging
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri

from gongkai.portal.pagecache import FRESH
from gongkai.staticpub.models import DirtyPage

logger = logging.getLogger(__name__)

ITEM_PREFIXES = ("/xinxi/", "/dayin/")
# The column pages published: the same set as the nginx block's location (docs/operations.md).
COLUMN_PATHS = ("/", "/mulu/")
COLUMN_PREFIX = "/gk/"
MAX_SEGMENT_BYTES = 200  # file names are at most 255 bytes; ".html" and a temp suffix follow
# Characters nginx would treat specially in a rewritten URI, or that make an unsafe file name.
UNSAFE_CHARS = set("\x00?#%\\")
BATCH = 50


def enabled() -> bool:
    return bool(settings.STATIC_PUBLISH_DIR)


def root() -> Path:
    return Path(settings.STATIC_PUBLISH_DIR)


# ------------------------------------------------------------------ paths


def _safe(path: str) -> bool:
    if not path.startswith("/") or len(path) > 400 or any(c in UNSAFE_CHARS for c in path):
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        return False
    segments = path[1:].split("/")
    inner = segments[:-1] if path.endswith("/") else segments
    return all(
        s not in {"", ".", ".."} and len(s.encode("utf-8")) <= MAX_SEGMENT_BYTES for s in inner
    )


def page_file(path: str) -> Path | None:
    """Where the page of URL path `path` is published, or None when it is not published
    statically (an unsafe path: the app answers it)."""
    if not _safe(path):
        return None
    if path.endswith("/"):
        if path in COLUMN_PATHS or path.startswith(COLUMN_PREFIX):
            return root() / "pages" / (path[1:] + "index.html")
        return None
    if path.startswith(ITEM_PREFIXES):
        return root() / "pages" / (path[1:] + ".html")
    return None


def gone_file(path: str) -> Path | None:
    if not path.startswith(ITEM_PREFIXES) or page_file(path) is None:
        return None
    return root() / "gone" / (path[1:] + ".html")


def iri(path: str) -> str:
    """`path` as a URL (percent-encoded)."""
    return iri_to_uri(path)


def url_path(view: str, *args) -> str | None:
    """The decoded path of a portal URL (reverse() percent-encodes non-ASCII)."""
    try:
        return unquote(urlsplit(reverse(view, args=args)).path)
    except NoReverseMatch:
        return None


# ------------------------------------------------------------------ files


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _unlink(target: Path | None) -> None:
    if target is not None:
        target.unlink(missing_ok=True)


@contextmanager
def _locked() -> Iterator[None]:
    """One page at a time across every thread and process writing this directory."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ------------------------------------------------------------------ rendering


class _Renderer(BaseHandler):
    """The app's own request handling (every middleware, the URLconf, the views), without the
    request_started/finished signals a WSGI server sends: those would close the database
    connection of the request this may run inside."""

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware()


_renderers = threading.local()


def render(path: str) -> tuple[int, bytes]:
    """What an anonymous visitor without cookies gets for `path` now: (status, body)."""
    renderer = getattr(_renderers, "handler", None)
    if renderer is None:
        renderer = _renderers.handler = _Renderer()
    site = urlsplit(settings.SITE_URL)
    host = site.netloc or "localhost"
    if host.split(":")[0] not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".")), host)
    secure = site.scheme == "https"
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            # As a WSGI server passes it: the decoded path's UTF-8 bytes as latin-1.
            "PATH_INFO": path.encode("utf-8").decode("latin-1"),
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": host.split(":")[0],
            "SERVER_PORT": host.split(":")[1] if ":" in host else ("443" if secure else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https" if secure else "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            FRESH: True,
        }
    )
    # The middleware activates the site language for this thread; the caller's comes back.
    with translation.override(translation.get_language()):
        response = renderer.get_response(request)
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


@dataclass
class Outcome:
    path: str
    status: int
    ok: bool  # False: to be tried again (the app failed)


def publish_path(path: str, *, drop_first: bool = False) -> Outcome:
    """Bring the files of `path` in line with the app's answer. `drop_first` deletes the page
    before rendering (an item known to be offline: gone even if the rendering fails)."""
    page, gone = page_file(path), gone_file(path)
    if page is None:
        return Outcome(path, 0, True)
    with _locked():
        if drop_first:
            _unlink(page)
        try:
            status, body = render(path)
        except Exception:
            logger.exception("static publishing could not render %s", path)
            _unlink(page)  # when in doubt the app answers
            return Outcome(path, 500, False)
        if status == 200:
            _write(page, body)
            _unlink(gone)
        elif status == 410 and gone is not None:
            _unlink(page)
            _write(gone, body)
        else:
            _unlink(page)
            _unlink(gone)
    return Outcome(path, status, status < 500)


# ------------------------------------------------------------------ which pages


def column_paths(unit_code: str | None = None) -> list[str]:
    """The pages of every organ's column (or one organ's), the home page and the directory."""
    from gongkai.portal import queries
    from gongkai.portal.models import Page

    units = queries.organs()
    if unit_code is not None:
        units = units.filter(code=unit_code)
    paths = [url_path("portal:home"), url_path("portal:directory")] if unit_code is None else []
    for code in units.values_list("code", flat=True):
        for view in ("unit_home", "guide", "rules", "catalog", "reports"):
            paths.append(url_path(f"portal:{view}", code))
    pages = Page.objects.all()
    if unit_code is not None:
        pages = pages.filter(unit__code=unit_code)
    for code, pk in pages.values_list("unit__code", "pk"):
        paths.append(url_path("portal:rule", code, pk))
    return [p for p in paths if p]


def item_page_paths(index_number: str) -> list[str]:
    return [
        p
        for p in (
            url_path("portal:item", index_number),
            url_path("portal:item_print", index_number),
        )
        if p
    ]


def paths_for_item(item_pk: int) -> list[str]:
    """The pages a change of the item shows on: its own, its organ's column pages and the
    city's (whose home lists every organ's newest), and the items linking to it."""
    from gongkai.catalog.models import Item
    from gongkai.portal import queries

    item = Item.objects.select_related("organ", "published_version").filter(pk=item_pk).first()
    if item is None or not item.index_number:
        return []
    paths = item_page_paths(item.index_number)
    paths += [url_path("portal:home"), url_path("portal:directory")]
    codes = {item.organ.code}
    site = queries.site_root()
    if site is not None:
        codes.add(site.code)
    for code in sorted(codes):
        paths += [url_path("portal:unit_home", code), url_path("portal:catalog", code)]
    linked = set()
    if item.replaced_by_id:
        linked.add(item.replaced_by_id)
    linked.update(Item.objects.filter(replaced_by=item).values_list("pk", flat=True))
    if item.published_version is not None:
        linked.update(item.published_version.interpretations.values_list("pk", flat=True))
    linked.update(
        Item.objects.filter(published_version__interpretations=item).values_list("pk", flat=True)
    )
    for number in (
        Item.objects.filter(pk__in=linked - {item.pk})
        .exclude(index_number="")
        .values_list("index_number", flat=True)
    ):
        paths += item_page_paths(number)
    return [p for p in dict.fromkeys(paths) if p]


def mark(paths: Iterable[str]) -> int:
    """Queue `paths` for rewriting (inside the caller's transaction when there is one)."""
    now = timezone.now()
    rows = [DirtyPage(path=p, queued_at=now) for p in sorted(set(paths)) if page_file(p)]
    if rows:
        # Sorted, so two transactions marking the same pages lock them in the same order.
        DirtyPage.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["path"], update_fields=["queued_at"]
        )
    return len(rows)


# ------------------------------------------------------------------ the hooks


def item_changing(item_pk: int) -> None:
    """In the change's transaction: queue the pages it shows on."""
    if not enabled():
        return
    mark(paths_for_item(item_pk))


def item_changed(item_pk: int) -> None:
    """After commit: an item no longer public loses its files now, inside the request that
    withdrew it (nginx answers 410 from the marker before this request answers); the rest is
    for the thread."""
    if not enabled():
        return
    from gongkai.catalog.models import Item

    item = Item.objects.filter(pk=item_pk).first()
    if item is not None and item.index_number and not item.is_public:
        for path in item_page_paths(item.index_number):
            publish_path(path, drop_first=True)
            DirtyPage.objects.filter(path=path).delete()
    wake()


def columns_changed(unit_code: str, also: Iterable[str] = ()) -> None:
    """A column edit (指南, 制度 pages): queue the organ's column pages (and `also`, a deleted
    page's), rewrite them after commit."""
    if not enabled():
        return
    from django.db import transaction

    mark([*column_paths(unit_code), *also])
    transaction.on_commit(wake)


# ------------------------------------------------------------------ draining the queue


def drain(limit: int | None = None) -> int:
    """Rewrite queued pages, oldest mark first, until the queue is empty (or `limit` pages).
    A page the app failed to render stays queued for the next drain."""
    if not enabled():
        return 0
    done = 0
    failed: set[int] = set()
    while limit is None or done < limit:
        rows = list(
            DirtyPage.objects.exclude(pk__in=failed)
            .order_by("queued_at", "pk")
            .values_list("pk", "path", "queued_at")[:BATCH]
        )
        if not rows:
            break
        for pk, path, queued_at in rows:
            outcome = publish_path(path)
            if outcome.ok:
                DirtyPage.objects.filter(pk=pk, queued_at=queued_at).delete()
            else:
                failed.add(pk)
            done += 1
            if limit is not None and done >= limit:
                break
    return done


_wakeup = threading.Event()
_thread: threading.Thread | None = None
_thread_lock = threading.Lock()


def wake() -> None:
    """Have this process's publishing thread drain the queue now (if threads are on)."""
    if not enabled() or not settings.STATIC_PUBLISH_THREAD:
        return
    global _thread
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="staticpub", daemon=True)
            _thread.start()
    _wakeup.set()


def _run() -> None:
    while True:
        _wakeup.wait()
        _wakeup.clear()
        try:
            drain()
        except Exception:
            logger.exception("static publishing thread failed; the worker's job catches up")
            time.sleep(1)
        finally:
            # The thread's own connection: not kept open between wake-ups.
            close_old_connections()
            connection.close()


# ------------------------------------------------------------------ build and status


def all_paths() -> Iterator[str]:
    from gongkai.catalog.models import Item
    from gongkai.portal import queries

    yield from column_paths()
    numbers = (
        queries.public_items().order_by("pk").values_list("index_number", flat=True).iterator()
    )
    for number in numbers:
        yield from item_page_paths(number)
    # Items once public and now gone get their 410 markers.
    gone = (
        Item.objects.exclude(pk__in=queries.public_items().values("pk"))
        .filter(first_published_at__isnull=False)
        .exclude(index_number="")
        .values_list("index_number", flat=True)
    )
    for number in gone.iterator():
        yield from item_page_paths(number)


def build(progress=None) -> dict[str, int]:
    """Write every public page (and every 410 marker) once; clears the queue it covers."""
    started = timezone.now()
    counts: dict[str, int] = {"pages": 0, "gone": 0, "other": 0, "failed": 0}
    for n, path in enumerate(all_paths(), 1):
        outcome = publish_path(path)
        key = {200: "pages", 410: "gone"}.get(outcome.status, "other")
        counts[key if outcome.ok else "failed"] += 1
        if progress is not None:
            progress(n, path)
    DirtyPage.objects.filter(queued_at__lt=started).delete()
    return counts


def status() -> dict:
    oldest = DirtyPage.objects.order_by("queued_at").values_list("queued_at", flat=True).first()
    return {
        "dir": str(root()) if enabled() else "",
        "queued": DirtyPage.objects.count(),
        "oldest_seconds": (timezone.now() - oldest).total_seconds() if oldest else None,
    }
