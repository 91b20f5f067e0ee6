"""The daily self-inspection over a large catalog: ITEMS public items (default 1,000,000) spread
over a city and 9 townships, and 200 typed columns. Prints the time of one full run (every
indicator of every unit, with tomorrow's projection for warnings) and its peak memory. Prints
numbers, never pass/fail.

    .venv/bin/python bench/bench_inspection.py [ITEMS]            # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_i16 \\
        .venv/bin/python bench/bench_inspection.py [ITEMS]        # an empty PostgreSQL database

The data is made with bulk inserts; use a throwaway database.
"""

from __future__ import annotations

import datetime
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.accounts.models import UnitKind  # noqa: E402
from gongkai.catalog.models import Category, Genre, Item, ItemVersion  # noqa: E402
from gongkai.inspection import actions  # noqa: E402
from gongkai.inspection.models import ColumnKind, ColumnType, ExactName, WrongForm  # noqa: E402
from tests.factories import make_organ  # noqa: E402

COLUMNS = 200
TOWNSHIPS = 9
CHUNK = 20_000
KINDS = [ColumnKind.NEWS, ColumnKind.NOTICE, ColumnKind.POLICY, ColumnKind.UPDATABLE]


def timed(label: str, func) -> object:
    started = time.perf_counter()
    result = func()
    print(f"{label:<48} {time.perf_counter() - started:9.2f} s", flush=True)
    return result


def insert(model, rows: list[dict]) -> None:
    """Plain INSERTs with executemany (bulk_create builds a model object per row, which is what
    takes the time at a million rows). Columns left out get the field's default, prepared once;
    only the given values are adapted per row."""
    fields = list(model._meta.concrete_fields)
    given = set(rows[0])
    defaults = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in given
    }
    ops = connection.ops
    adapt = {}
    for f in fields:
        if f.attname in given:
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                adapt[f.attname] = ops.adapt_datetimefield_value
            elif kind == "DateField":
                adapt[f.attname] = ops.adapt_datefield_value
    names = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})"
    order = [f.attname for f in fields]
    prepared = [
        [
            (adapt[name](row[name]) if name in adapt else row[name])
            if name in row
            else defaults[name]
            for name in order
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def build(items: int) -> None:
    city = make_organ(name="基准市人民政府", short_name="基准市", code="bcity", kind=UnitKind.CITY)
    units = [city] + [
        make_organ(parent=city, name=f"基准镇{n}人民政府", short_name=f"基准镇{n}", code=f"b{n}")
        for n in range(TOWNSHIPS)
    ]
    columns = [
        Category.objects.create(code=f"bench-col-{n}", name=f"栏目{n}", kind="column")
        for n in range(COLUMNS)
    ]
    ColumnType.objects.bulk_create(
        ColumnType(category=c, kind=KINDS[n % len(KINDS)] if n % 10 else ColumnKind.STATIC)
        for n, c in enumerate(columns)
    )
    WrongForm.objects.create(wrong="书计", correct="书记")
    WrongForm.objects.create(wrong="中华人名共和国", correct="中华人民共和国", serious=True)
    ExactName.objects.create(name="张志强", titles="镇长")
    genres = list(Genre.objects.filter(code__in=["notice", "news", "normative", "report"]))
    now = timezone.now()
    first_id = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for start in range(0, items, CHUNK):
        rows, versions = [], []
        for n in range(start, min(items, start + CHUNK)):
            pk = first_id + n
            unit = units[n % len(units)]
            published = now - datetime.timedelta(hours=(n * 7919) % (3 * 365 * 24))
            rows.append(
                {
                    "id": pk,
                    "organ_id": unit.pk,
                    "unit_id": unit.pk,
                    "index_number": f"B{pk:09d}",
                    "is_imported": True,
                    "secrecy": "non_secret",
                    "published_version_id": pk,
                    "first_published_at": published,
                    "created_at": published,
                }
            )
            mistake = "党委书计" if n % 5000 == 0 else ""
            versions.append(
                {
                    "id": pk,
                    "item_id": pk,
                    "number": 1,
                    "state": "published",
                    "title": f"关于第{n}项工作的通知",
                    "summary": "工作安排。",
                    "formed_date": published.date(),
                    "body": f"<p>全镇第{n}项工作按计划推进，{mistake}请各村认真落实。</p>",
                    "category_id": columns[n % COLUMNS].pk,
                    "genre_id": genres[n % len(genres)].pk,
                    "published_at": published,
                    "updated_at": published,
                    "fingerprint": "0" * 64,
                }
            )
        with transaction.atomic():
            insert(Item, rows)
            insert(ItemVersion, versions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"database: {connection.vendor}, items: {items}, columns: {COLUMNS}, "
          f"units: {TOWNSHIPS + 1}")  # fmt: skip
    call_command("migrate", verbosity=0)
    timed(f"insert {items} items (bulk)", lambda: build(items))
    tracemalloc.start()
    stored = timed("daily inspection (all units, all indicators)", actions.inspection_run)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'results stored':<48} {stored:9d}")
    print(f"{'peak Python memory during the run (tracemalloc)':<48} {peak / 2**20:9.1f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak resident set size of the process':<48} {rss:9.1f} MiB")


if __name__ == "__main__":
    main()
