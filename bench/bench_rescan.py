"""The rescan of published items (catalog/rescan.py) over a large catalog: its rate and its
peak memory. Prints numbers, never pass/fail.

    .venv/bin/python bench/bench_rescan.py [ITEMS]              # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_rescan.py [ITEMS]          # an empty PostgreSQL database

The catalog is filled in bulk (ITEMS published items, default 100,000, bodies of about 1 KB,
every 20th with an attachment text and every 50th with personal data). The rescan then runs in
a fresh process, so its peak resident memory is its own; the peak is sampled every 10% of the
run to show it stays flat (bounded by the batch, not by the catalog).
"""

from __future__ import annotations

import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.catalog import rescan  # noqa: E402
from gongkai.catalog.models import Attachment, Finding, Item, ItemVersion, Rescan  # noqa: E402

CHUNK = 5000
PARAGRAPH = (
    "根据《中华人民共和国政府信息公开条例》规定，现将诸往镇2025年度农村低保资金发放情况公示如下。"
    "本年度共发放低保资金320万元，惠及困难群众1200户，资金通过一卡通直接发放到户。"
    "监督电话：0631-6366000。公示期为7天，如有异议请向镇民政办反映。"
)


def body(n: int) -> str:
    paragraphs = [f"<p>{PARAGRAPH}（第{n}号）</p>"] * 3
    if n % 50 == 0:
        paragraphs.append(f"<p>救助对象：张三，身份证号3702831990{n % 12 + 1:02d}151234</p>")
    return "".join(paragraphs)


def fill(items: int) -> None:
    from tests.factories import make_cast

    cast = make_cast()
    organs = [cast.zhuwang, cast.other_township]
    start = timezone.now() - datetime.timedelta(days=3 * 365)
    step = datetime.timedelta(days=3 * 365) / items
    for first in range(0, items, CHUNK):
        numbers = range(first, min(items, first + CHUNK))
        with transaction.atomic():
            made = Item.objects.bulk_create(
                [
                    Item(
                        organ=organs[n % 2],
                        unit=organs[n % 2],
                        index_number=f"bench/{n:07d}",
                        secrecy="non_secret",
                        first_published_at=start + step * n,
                    )
                    for n in numbers
                ]
            )
            versions = ItemVersion.objects.bulk_create(
                [
                    ItemVersion(
                        item=item,
                        number=1,
                        state="published",
                        title=f"诸往镇公示第{n}号",
                        formed_date=(start + step * n).date(),
                        body=body(n),
                        published_at=start + step * n,
                        fingerprint="0" * 64,
                    )
                    for item, n in zip(made, numbers, strict=True)
                ]
            )
            Attachment.objects.bulk_create(
                [
                    Attachment(
                        version=v,
                        name=f"附件{n}.docx",
                        kind="docx",
                        sha256="0" * 64,
                        text=PARAGRAPH * 10,
                        readable=True,
                    )
                    for v, n in zip(versions, numbers, strict=True)
                    if n % 20 == 0
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_item SET published_version_id = (SELECT v.id FROM"
            " catalog_itemversion v WHERE v.item_id = catalog_item.id)"
            " WHERE index_number LIKE 'bench/%%'"
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def scan_only() -> None:
    total = ItemVersion.objects.filter(state="published").count()
    Rescan.objects.all().delete()
    started = time.perf_counter()
    cpu_started = time.process_time()
    done, mark = 0, total // 10 or 1
    samples = []
    while True:
        checked = rescan.step()
        if checked is None:
            break
        done += checked
        if done >= mark * (len(samples) + 1):
            samples.append((done, peak_mb()))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    row = Rescan.objects.get()
    print(f"versions checked            {done:>10}")
    print(f"findings stored             {Finding.objects.count():>10}")
    print(f"elapsed                     {elapsed:>10.1f} s")
    print(f"rate                        {done / elapsed:>10.0f} versions/s")
    # On a shared machine the wall-clock rate depends on the neighbours; CPU time does not
    # (the database's own work is in-process for SQLite, in the server for PostgreSQL).
    print(f"CPU time of the rescan      {cpu:>10.1f} s ({done / cpu:.0f} versions per CPU second)")
    print(f"peak RSS of the rescan      {peak_mb():>10.1f} MB")
    sampled = ", ".join(f"{n}: {mb:.0f} MB" for n, mb in samples)
    print(f"peak RSS after n versions   {sampled}")
    assert row.finished_at is not None


def main() -> None:
    if sys.argv[1:2] == ["--scan-only"]:
        scan_only()
        return
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"database: {connection.vendor}, published items: {items}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(items)
    print(f"filled in                   {time.perf_counter() - started:>10.1f} s")
    connection.close()
    subprocess.run([sys.executable, __file__, "--scan-only"], check=True, env=os.environ.copy())


if __name__ == "__main__":
    main()
