"""Portal page throughput and latency for anonymous visitors: home, an organ's home, the
catalog list, an item page, the 指南 and a revalidation answered with 304, against
`gongkai serve --no-worker` on loopback with 20,000 published items (by default). Prints
requests per second and p50/p95/p99, never pass/fail.

    .venv/bin/python bench/bench_portal.py [ITEMS] [REQUESTS]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_portal.py [ITEMS] [REQUESTS]
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portalbench


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    portalbench.build(items)
    from gongkai.catalog.models import Item

    sample = list(Item.objects.published().values_list("index_number", flat=True)[:200])
    scenarios = [
        ("home (city)", ["/"]),
        ("organ home", ["/gk/zhuwang/", "/gk/xiacun/"]),
        ("法定主动公开内容 (tree + counts)", ["/gk/zhuwang/mulu/"]),
        ("catalog list, category + year", ["/gk/zhuwang/mulu/?category=art20-07&year=2022"]),
        ("item page", ["/xinxi/" + quote(n) for n in sample]),
        ("政府信息公开指南", ["/gk/zhuwang/zhinan/"]),
        ("API one item", ["/api/v1/items/" + quote(n, safe="") for n in sample]),
    ]
    with portalbench.Server() as server:
        print(
            f"\n{items} items, {requests} requests per scenario, 8 client threads, "
            f"{server.workers} server workers\n"
        )
        for label, paths in scenarios:
            portalbench.load(server.port, label, paths, requests=50)  # warm up
            print(portalbench.load(server.port, label, paths, requests=requests).line())
        for label, path in [
            ("home, revalidate (304)", "/"),
            ("item page, revalidate (304)", "/xinxi/" + quote(sample[0])),
        ]:
            etag = portalbench.etag_of(server.port, path)
            result = portalbench.load(
                server.port, label, [path], requests=requests, headers={"If-None-Match": etag}
            )
            print(result.line())


if __name__ == "__main__":
    main()
