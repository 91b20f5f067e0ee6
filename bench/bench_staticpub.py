"""Static publishing: (1) the delay from a publication (the import action, committed) to its
item page and the home page's new file on disk, and a takedown's files gone when the action
returns; (2) correctness: published files byte-compared with what the running app serves for
the same URL; (3) nginx serving the published pages (the docs/operations.md server block as it
stands) against the app (`gongkai serve --no-worker`) serving the same pages. Prints numbers,
never pass/fail.

    .venv/bin/python bench/bench_staticpub.py [ITEMS] [REQUESTS] [CHANGES]
    DATABASE_URL=postgres://…/wt_static .venv/bin/python bench/bench_staticpub.py
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

data_dir = os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("STATIC_PUBLISH_DIR", str(Path(data_dir) / "published"))
os.environ.setdefault("STATIC_PUBLISH_THREAD", "true")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import portalbench  # noqa: E402  (sets Django up)

from tests.staticpub.nginx import Nginx, free_port  # noqa: E402


def publish_one(n: int):
    """A new item through the import action (publishing.publish, via=import), committed."""
    from django.db import transaction
    from django.utils import timezone

    from gongkai.accounts.models import Unit
    from gongkai.catalog import publishing
    from gongkai.catalog.models import Item, ItemVersion

    organ = Unit.objects.organs().get(code="zhuwang")
    with transaction.atomic():
        item = Item.objects.create(organ=organ, unit=organ, is_imported=True)
        version = ItemVersion.objects.create(
            item=item,
            number=1,
            title=f"静态发布测速第{n}号通知",
            formed_date=timezone.localdate(),
            body="<p>测速。</p>",
        )
        publishing.publish(version, actor=None, via=publishing.VIA_IMPORT)
    item.refresh_from_db()
    return item


def wait_for(check, timeout: float = 60.0) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter()
        time.sleep(0.002)
    return None


def delays(changes: int) -> None:
    from gongkai.catalog import actions
    from gongkai.staticpub import publisher

    item_ms, home_ms, column_ms, takedown_ms = [], [], [], []
    for n in range(changes):
        title = f"静态发布测速第{n}号通知"
        started = time.perf_counter()
        item = publish_one(n)
        page = publisher.page_file("/xinxi/" + item.index_number)
        home, column = publisher.page_file("/"), publisher.page_file("/gk/zhuwang/mulu/")
        before = column.stat().st_mtime_ns if column.exists() else 0
        t_item = wait_for(lambda p=page: p.exists())
        t_home = wait_for(lambda h=home, t=title: h.exists() and t in h.read_text())
        t_col = wait_for(lambda c=column, b=before: c.exists() and c.stat().st_mtime_ns > b)
        for store, t in ((item_ms, t_item), (home_ms, t_home), (column_ms, t_col)):
            store.append((t - started) * 1000 if t else float("inf"))
        started = time.perf_counter()
        actions.item_take_down(actor=None, item=item, reason="测速")
        took = (time.perf_counter() - started) * 1000
        assert not page.exists(), "the page outlived the takedown"
        assert publisher.gone_file("/xinxi/" + item.index_number).exists()
        takedown_ms.append(took)
    wait_for(lambda: not publisher.status()["queued"], timeout=120)

    def line(label, values):
        return f"{label:<46} p50 {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms"

    print(f"\n(1) delay over {changes} publications (import action → file on disk), thread on")
    print(line("item page written", item_ms))
    print(line("home page showing the new title", home_ms))
    print(line("organ's 法定主动公开内容 rewritten", column_ms))
    print(line("takedown action (files gone, 410 marker on return)", takedown_ms))


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", quote(path, safe="/"))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    changes = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    portalbench.build(items)
    from gongkai.catalog.models import Item
    from gongkai.staticpub import publisher

    sample = list(Item.objects.published().values_list("index_number", flat=True)[:200])
    item_paths = ["/xinxi/" + n for n in sample]
    columns = publisher.column_paths()
    started = time.perf_counter()
    for path in columns + item_paths:
        publisher.publish_path(path)
    took = time.perf_counter() - started
    rate = (len(columns) + len(item_paths)) / took
    print(
        f"published {len(columns)} column pages and {len(item_paths)} item pages in {took:.1f} s"
        f" ({rate:.0f} pages/s, one process): a full build of {items} items (page + print view)"
        f" ≈ {2 * items / rate / 60:.1f} min"
    )
    delays(changes)

    with portalbench.Server() as server:
        mismatched, checked = [], 0
        for path in columns + item_paths:
            file = publisher.page_file(path)
            if file is None or not file.exists():
                continue
            status, body = fetch(server.port, path)
            checked += 1
            if status != 200 or body != file.read_bytes():
                mismatched.append(path)
        print(f"\n(2) correctness: {checked} published files byte-compared with the app's answer:")
        same = checked - len(mismatched)
        print(f"    {same} identical, {len(mismatched)} different {mismatched[:5]}")

        prefix = Path(data_dir) / "nginx"
        port = free_port(8700, 8800)
        with Nginx(
            prefix,
            published=publisher.root(),
            port=port,
            app_port=server.port,
            workers=os.cpu_count() or 2,
        ):
            scenarios = [
                ("home (city)", ["/"]),
                ("organ home", ["/gk/zhuwang/", "/gk/xiacun/"]),
                ("法定主动公开内容 (tree + counts)", ["/gk/zhuwang/mulu/"]),
                ("item page", [quote(p) for p in item_paths]),
            ]
            print(
                f"\n(3) {items} items, {requests} requests per scenario, 8 client threads; app:"
                f" gunicorn {server.workers} workers; nginx {os.cpu_count()} workers\n"
            )
            for label, paths in scenarios:
                for name, target in (("app  ", server.port), ("nginx", port)):
                    portalbench.load(target, label, paths, requests=50)
                    result = portalbench.load(target, f"{name} {label}", paths, requests=requests)
                    print(result.line())


if __name__ == "__main__":
    main()
