"""Shared by bench_search.py and bench_portal.py: fill a throwaway database with a realistic
catalog, index it, run `gongkai serve --no-worker` on loopback and drive it with a bounded
number of HTTP requests from a few threads, printing requests per second and latencies.

Not a test: it prints numbers, never pass/fail."""

from __future__ import annotations

import datetime
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
BATCH = 2000

THEMES = [
    ("财政预算公开", "art20-07", "report", "一般公共预算收入安排{n}万元，“三公”经费预算{m}万元。"),
    ("财政决算公开", "art20-07", "report", "一般公共预算支出完成{n}万元，完成预算的{m}%。"),
    (
        "社会救助资金发放情况公示",
        "art21-08",
        "publicity",
        "发放农村低保金{n}万元，惠及群众{m}人次。",
    ),
    (
        "农村土地承包经营权流转情况",
        "art21-03",
        "publicity",
        "新增土地流转面积{n}亩，签订合同{m}份。",
    ),
    ("农田水利工程建设运营情况", "art21-02", "report", "新建塘坝{m}座，维修灌溉渠道{n}公里。"),
    ("宅基地使用审核情况公示", "art21-04", "publicity", "受理农村宅基地申请{m}件，审核通过{n}件。"),
    (
        "美丽乡村建设工作方案",
        "site-countryside",
        "programme",
        "创建美丽乡村示范村{m}个，整治村庄{n}个。",
    ),
    ("森林防火工作的通知", "art20-12", "notice", "进入森林防火期，严禁野外用火，落实巡查{n}人。"),
    (
        "工作动态",
        "site-news",
        "news",
        "召开经济工作会议，部署春季农业生产，樱桃采摘节接待游客{n}人次。",
    ),
    (
        "公益性岗位招聘公告",
        "art20-11",
        "announcement",
        "招聘乡村公益性岗位人员{m}名，报名时间{n}天。",
    ),
    ("突发公共事件应急预案", "art20-12", "programme", "适用于自然灾害、事故灾难，分为{m}级响应。"),
    ("筹资筹劳情况公示", "art21-07", "publicity", "一事一议项目筹资{n}万元、筹劳{m}个工日。"),
]
FILLER = [
    "根据《中华人民共和国政府信息公开条例》，现将有关情况公开如下。",
    "镇农业站组织技术人员深入田间地头，指导群众做好小麦春季管理工作。",
    "各村要高度重视，明确责任，确保各项工作落到实处。",
    "欢迎社会各界监督，联系电话0631-6366000。",
    "我镇把政府网站作为政府信息公开的第一平台，方便公众查询和使用。",
]


def fill(items: int, seed: int = 7) -> None:
    """`items` published items spread over the organs of the demo tree and eight years."""
    from gongkai.accounts.models import Unit
    from gongkai.catalog.models import Category, Genre, Item, ItemVersion, VersionState
    from gongkai.core import demo

    demo.build([s for s in demo.all_steps() if s.order <= 100] or None)
    if Item.objects.count() >= items:
        return
    rng = random.Random(seed)
    organs = list(Unit.objects.organs())
    categories = {c.code: c for c in Category.objects.all()}
    genres = {g.code: g for g in Genre.objects.all()}
    serial: dict[tuple[int, int], int] = {}
    for start in range(0, items, BATCH):
        count = min(BATCH, items - start)
        with transaction.atomic():
            made, versions = [], []
            for _ in range(count):
                organ = rng.choice(organs)
                published = datetime.datetime(2018, 1, 1, 9, tzinfo=BEIJING) + datetime.timedelta(
                    days=rng.randrange(8 * 365), minutes=rng.randrange(600)
                )
                key = (organ.pk, published.year)
                serial[key] = serial.get(key, 0) + 1
                made.append(
                    Item(
                        organ=organ,
                        unit=organ,
                        index_number=f"{organ.org_code}/{published.year}-{serial[key]:05d}",
                        is_imported=True,
                        secrecy="non_secret",
                        first_published_at=published,
                    )
                )
            Item.objects.bulk_create(made)
            for item in made:
                theme, category, genre, text = rng.choice(THEMES)
                year = item.first_published_at.year
                body = "".join(
                    f"<p>{s}</p>"
                    for s in [
                        text.format(n=rng.randint(10, 9999), m=rng.randint(1, 99)),
                        *rng.sample(FILLER, 3),
                    ]
                )
                number = f"诸政发〔{year}〕{rng.randint(1, 60)}号" if rng.random() < 0.3 else ""
                versions.append(
                    ItemVersion(
                        item=item,
                        number=1,
                        state=VersionState.PUBLISHED,
                        title=f"{item.organ.short_name}{year}年{theme}",
                        summary=text.format(n=rng.randint(10, 999), m=rng.randint(1, 99))[:120],
                        formed_date=item.first_published_at.date() - datetime.timedelta(days=5),
                        document_number=number,
                        category=categories.get(category),
                        genre=genres.get(genre),
                        body=body,
                        published_at=item.first_published_at,
                        fingerprint="0" * 64,
                    )
                )
            ItemVersion.objects.bulk_create(versions)
            for item, version in zip(made, versions, strict=True):
                item.published_version = version
            Item.objects.bulk_update(made, ["published_version"])
        print(f"  {start + count} items", file=sys.stderr)


def build(items: int) -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    fill(items)
    print(f"database filled: {items} items in {time.perf_counter() - started:.1f} s")
    from gongkai.search import api

    # Brings the index up to date (all of it on a new database; nothing on a reused one, e.g.
    # GONGKAI_DATA_DIR=/tmp/gk-bench kept between runs).
    started = time.perf_counter()
    indexed = api.reconcile().indexed
    print(f"index built: {indexed} items in {time.perf_counter() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`gongkai serve --no-worker` on loopback for the duration of a `with` block."""

    def __init__(
        self, workers: int = min(4, os.cpu_count() or 2), settings_module: str | None = None
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.env = dict(os.environ)
        if settings_module:
            # bench_settings lives next to this file, not in the gongkai package.
            here = str(Path(__file__).resolve().parent)
            self.env["DJANGO_SETTINGS_MODULE"] = settings_module
            self.env["PYTHONPATH"] = os.pathsep.join(
                p for p in [here, str(ROOT), self.env.get("PYTHONPATH", "")] if p
            )
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        command = [
            sys.executable,
            "-m",
            "gongkai",
            "serve",
            "--no-worker",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        self.proc = subprocess.Popen(
            command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/robots.txt")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@dataclass
class Result:
    label: str
    requests: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    def line(self) -> str:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

        codes = " ".join(f"{k}×{v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{self.label:<38} {self.requests / self.seconds:8.1f} req/s   "
            f"p50 {pct(0.50):7.1f} ms  p95 {pct(0.95):7.1f} ms  p99 {pct(0.99):7.1f} ms   {codes}"
        )


def load(
    port: int,
    label: str,
    paths: list[str],
    *,
    requests: int = 2000,
    threads: int = 8,
    headers: dict[str, str] | None = None,
) -> Result:
    """Send `requests` GETs (cycling through `paths`) from `threads` keep-alive connections."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, codes = [], {}
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            started = time.perf_counter()
            conn.request("GET", paths[n % len(paths)], headers=headers or {})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return Result(label, requests, time.perf_counter() - started, latencies, statuses)


def etag_of(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.getheader("ETag") or ""
