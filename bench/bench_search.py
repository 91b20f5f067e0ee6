"""Search throughput and latency: GET /api/v1/items and the search page against
`gongkai serve --no-worker` on loopback, with 20,000 published items (by default). Prints
requests per second and p50/p95/p99 latency per kind of query, never pass/fail.

    .venv/bin/python bench/bench_search.py [ITEMS] [REQUESTS]      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_search.py [ITEMS] [REQUESTS]  # an empty PostgreSQL database
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

    sample = list(Item.objects.published().values_list("index_number", flat=True)[:50])
    api = "/api/v1/items?q="
    scenarios = [
        (
            "api: two-character word (预算)",
            [api + quote(w) for w in ["预算", "救助", "流转", "塘坝"]],
        ),
        ("api: phrase (农村土地承包经营权流转)", [api + quote("农村土地承包经营权流转")]),
        ("api: word + filters", [api + quote("预算") + "&year=2021&validity=" + quote("有效")]),
        (
            "api: 发文字号",
            [api + quote(f"诸政发〔{y}〕{n}号") for y in range(2018, 2026) for n in (3, 12)],
        ),
        ("api: 索引号", [api + quote(n, safe="") for n in sample]),
        ("api: empty q (newest)", ["/api/v1/items", "/api/v1/items?page=5"]),
        ("api: no match", [api + quote("不存在的词语组合")]),
        ("page: search 预算", ["/sousuo/?q=" + quote("预算")]),
        ("page: search 预算, page 20", ["/sousuo/?q=" + quote("预算") + "&page=20"]),
    ]
    with portalbench.Server() as server:
        print(
            f"\n{items} items, {requests} requests per scenario, 8 client threads, "
            f"{server.workers} server workers\n"
        )
        for label, paths in scenarios:
            portalbench.load(server.port, label, paths, requests=50)  # warm up
            print(portalbench.load(server.port, label, paths, requests=requests).line())
        path = api + quote("预算")
        etag = portalbench.etag_of(server.port, path)
        result = portalbench.load(
            server.port,
            "api: revalidate (304)",
            [path],
            requests=requests,
            headers={"If-None-Match": etag},
        )
        print(result.line())


if __name__ == "__main__":
    main()
