"""Portal page throughput and latency for anonymous visitors against a bare Django view served
the same way in the same run: home, an organ's home (its column), the 法定主动公开内容 tree, a
category + year list, item pages, the 指南 and the search page without words, each from
`gongkai serve --no-worker` on loopback with 20,000 published items (by default), once with the
page cache (the default; files in the data directory, or Redis with REDIS_URL) and, with
--uncached, once more with PAGE_CACHE=false. The bare view (bench_urls.py, bench only) is
measured before and after the pages; the ratio is against their mean. Prints requests per
second, p50/p95/p99 and the ratio, never pass/fail.

    .venv/bin/python bench/bench_portal.py [ITEMS] [REQUESTS] [--uncached]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_portal.py [ITEMS] [REQUESTS]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portalbench

BARE = "/bench-bare/"


def run(label: str, requests: int, scenarios, revalidate) -> None:
    with portalbench.Server(settings_module="bench_settings") as server:
        print(
            f"\n{label}: {requests} requests per scenario, 8 client threads, "
            f"{server.workers} server workers"
        )
        portalbench.load(server.port, "warm", [BARE], requests=200)
        bare = [portalbench.load(server.port, "bare Django view", [BARE], requests=requests)]
        results = []
        for name, paths in scenarios:
            portalbench.load(server.port, name, paths, requests=max(50, len(paths)))  # warm up
            results.append(portalbench.load(server.port, name, paths, requests=requests))
        for name, path in revalidate:
            etag = portalbench.etag_of(server.port, path)
            results.append(
                portalbench.load(
                    server.port, name, [path], requests=requests, headers={"If-None-Match": etag}
                )
            )
        bare.append(portalbench.load(server.port, "bare Django view", [BARE], requests=requests))
        yardstick = sum(r.requests / r.seconds for r in bare) / len(bare)
        for result in bare[:1]:
            print(result.line() + f"   (mean of two runs {yardstick:.0f} req/s)")
        for result in results:
            ratio = result.requests / result.seconds / yardstick
            print(result.line() + f"   {ratio:6.1%} of bare")
        print(bare[1].line() + "   (again, after the pages)")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    items = int(args[0]) if args else 20_000
    requests = int(args[1]) if len(args) > 1 else 1500
    portalbench.build(items)
    from gongkai.catalog.models import Item

    sample = list(Item.objects.published().values_list("index_number", flat=True)[:200])
    scenarios = [
        ("home (city)", ["/"]),
        ("organ home (column)", ["/gk/zhuwang/", "/gk/xiacun/"]),
        ("法定主动公开内容 (tree + counts)", ["/gk/zhuwang/mulu/"]),
        ("list, category + year", ["/gk/zhuwang/mulu/?category=art20-07&year=2022"]),
        ("item page (200 items)", ["/xinxi/" + quote(n) for n in sample]),
        ("政府信息公开指南", ["/gk/zhuwang/zhinan/"]),
        ("search without words", ["/sousuo/", "/sousuo/?unit=zhuwang&year=2022"]),
    ]
    revalidate = [
        ("home, revalidate (304)", "/"),
        ("item page, revalidate (304)", "/xinxi/" + quote(sample[0])),
    ]
    print(f"\n{items} items")
    run("page cache on", requests, scenarios, revalidate)
    if "--uncached" in sys.argv:
        os.environ["PAGE_CACHE"] = "false"
        run("page cache off (PAGE_CACHE=false)", requests, scenarios, revalidate)


if __name__ == "__main__":
    main()
