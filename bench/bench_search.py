"""Search latency per query class at scale: the app over HTTP (GET /api/v1/items against
`gongkai serve --no-worker` on loopback, one client at a time) next to the engine's own queries
for the same first page under the same ordering, and a naive LIKE scan, on the same database in
the same run, with the ratios. Prints numbers, never pass/fail.

    .venv/bin/python bench/bench_search.py [ITEMS] [REQUESTS]          # SQLite, GONGKAI_DATA_DIR
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_search.py [ITEMS] [REQUESTS]

A database is built (or reused: GONGKAI_DATA_DIR / DATABASE_URL of an earlier run) with ITEMS
items (bench/portalbench.py), and indexed. "engine" is what the search needs from the engine for
page 1, timed in-process: the title tier's keys (the re-ranking window), the rest tier's when
the title tier is short, the count (exact to 10,000, estimated above) and the 20 rows of the
page, by primary key. "LIKE" is `title LIKE '%q%' OR body LIKE '%q%'` with the same filters,
newest 20 and a count.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portalbench


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def classes(sample_index: list[str], organ: str, unit_code: str) -> list[tuple[str, list[dict]]]:
    def q(*words: str, **filters: str) -> list[dict]:
        return [{"q": w, **filters} for w in words]

    budget = "预算"
    return [
        ("common word (工作)", q("工作", "公开", "群众")),
        ("rare word (塘坝)", q("塘坝", "宅基地", "樱桃")),
        ("phrase", q("农村土地承包经营权流转", "社会救助资金发放", "美丽乡村建设工作方案")),
        ("发文字号", q(*[f"诸政发[{y}]{n}号" for y in (2019, 2021, 2024) for n in (3, 12)])),
        ("索引号", q(*sample_index)),
        ("no match", q("量子计算机", "不存在的词语组合", "zzqx")),
        ("word + unit (organ)", q(budget, "救助", unit=organ)),
        ("word + unit (office)", q(budget, unit=unit_code)),
        ("word + year", q(budget, "救助", year="2021")),
        ("word + category", q(budget, "流转", category="art20-07")),
        ("word + validity", q(budget, "救助", validity="有效")),
        ("word + genre", q(budget, "救助", genre="report")),
        ("common + unit + year", q("工作", unit=organ, year="2022")),
        (
            "word + all five filters",
            q(
                budget,
                unit=organ,
                year="2021",
                category="art20-07",
                validity="有效",
                genre="report",
            ),
        ),
        ("no words, newest", [{}, {"page": "3"}]),
        ("no words + unit + year", [{"unit": organ, "year": "2020"}]),
    ]


def engine(params: dict) -> None:
    """The engine's part of page 1 for `params`, the way the app orders it."""
    from gongkai.catalog.models import Item
    from gongkai.search import api, documents
    from gongkai.search.backends import get_backend
    from gongkai.search.backends.base import Tier
    from gongkai.search.filters import parse_filters
    from gongkai.search.tokens import parse_query

    filters = parse_filters(**{k: v for k, v in params.items() if k not in {"q", "page"}})
    backend = get_backend()
    offset = (int(params.get("page", 1)) - 1) * 20
    query = parse_query(params.get("q", ""))
    scope = filters.scope()
    if not query.text:
        keys = backend.keys(None, scope, Tier.LIST, offset=offset, limit=20)
        backend.count(None, scope, Tier.LIST, exact_up_to=api.EXACT_COUNT_UP_TO)
    else:
        api._exact(query, filters)
        keys = []
        if not query.is_empty:
            keys = backend.keys(query, scope, Tier.TITLE, offset=0, limit=api.RERANK + 1)
            if len(keys) < 20:
                keys += backend.keys(query, scope, Tier.REST, offset=0, limit=20 - len(keys))
            backend.count(query, scope, Tier.ALL, exact_up_to=api.EXACT_COUNT_UP_TO)
    ids = [documents.item_of(k) for k in keys[:20]]
    list(Item.objects.filter(pk__in=ids).select_related("published_version"))


def like(params: dict) -> None:
    """A naive scan: LIKE on the title and body of every public version, same filters."""
    from gongkai.search.filters import parse_filters

    filters = parse_filters(**{k: v for k, v in params.items() if k not in {"q", "page"}})
    qs = filters.items()
    text = params.get("q", "")
    if text:
        from django.db.models import Q

        qs = qs.filter(
            Q(published_version__title__contains=text) | Q(published_version__body__contains=text)
        )
    list(qs.values_list("pk", flat=True)[:20])
    qs.count()


def timed(func, params_list: list[dict], repeat: int) -> list[float]:
    times = []
    for n in range(repeat):
        params = params_list[n % len(params_list)]
        started = time.perf_counter()
        func(params)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    like_repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    portalbench.build(items)
    from django.db import connection

    from gongkai.accounts.models import Unit
    from gongkai.catalog.models import Item

    sample = list(
        Item.objects.published()
        .order_by("-pk")
        .values_list("index_number", flat=True)[:: max(1, items // 50)][:20]
    )
    organ = Unit.objects.organs().exclude(parent=None).order_by("path").first()
    office = Unit.objects.filter(path__startswith=organ.path, is_organ=False).first()
    office_code = office.code if office else organ.code
    print(
        f"\n{items} items on {connection.vendor}; app: {requests} requests per class, one "
        f"client; engine: {requests} runs in-process; LIKE: {like_repeat} runs\n"
    )
    header = (
        f"{'class':<26} {'app p50':>8} {'app p95':>8} {'engine p50':>10} {'engine p95':>10} "
        f"{'app/engine':>10} {'LIKE p50':>9} {'LIKE/app':>8}"
    )
    print(header)
    print("-" * len(header))
    with portalbench.Server() as server:
        for label, params_list in classes(sample, organ.code, office_code):
            paths = ["/api/v1/items?" + urlencode(p, quote_via=quote) for p in params_list]
            portalbench.load(server.port, label, paths, requests=10, threads=1)  # warm up
            app = portalbench.load(server.port, label, paths, requests=requests, threads=1)
            timed(engine, params_list, 3)
            engine_times = timed(engine, params_list, requests)
            like_times = timed(like, params_list, like_repeat)
            app_p50 = percentile(app.latencies, 0.5)
            engine_p50 = percentile(engine_times, 0.5)
            like_p50 = statistics.median(like_times) * 1000
            codes = "" if set(app.statuses) == {200} else f"  statuses {app.statuses}"
            print(
                f"{label:<26} {app_p50:8.1f} {percentile(app.latencies, 0.95):8.1f} "
                f"{engine_p50:10.1f} {percentile(engine_times, 0.95):10.1f} "
                f"{app_p50 / max(engine_p50, 0.01):9.1f}× {like_p50:9.1f} "
                f"{like_p50 / max(app_p50, 0.01):7.1f}×{codes}"
            )
    print("\nms; the goal is app p95 ≤ 50 ms and app ≤ 2× engine")


if __name__ == "__main__":
    main()
