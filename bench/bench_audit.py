"""How the audit log pages behave with a large log: the first page, a text search and the full
CSV export, as a township office head sees them. Prints numbers, never pass/fail.

    .venv/bin/python bench/bench_audit.py [ROWS]                 # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_audit.py [ROWS]             # an empty PostgreSQL database

The database is migrated and filled; use a throwaway one (the audit rows cannot be deleted).
"""

from __future__ import annotations

import datetime
import os
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
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.audit import chain  # noqa: E402
from gongkai.audit.log import record  # noqa: E402
from gongkai.audit.models import AuditEntry  # noqa: E402
from tests.factories import make_cast  # noqa: E402


def timed(label: str, func) -> object:
    started = time.perf_counter()
    result = func()
    print(f"{label:<44} {time.perf_counter() - started:8.3f} s")
    return result


def fill(cast, rows: int) -> None:
    units = [cast.zhuwang, cast.office, cast.station, cast.other_township, None]
    start = timezone.now() - datetime.timedelta(days=365)
    batch = []
    for n in range(rows):
        unit = units[n % len(units)]
        batch.append(
            AuditEntry(
                at=start + datetime.timedelta(seconds=n * 60),
                actor_name=("drafter", "reviewer", "leader", "system")[n % 4],
                action=("catalog.item_update", "accounts.login", "catalog.item_publish")[n % 3],
                object_type="accounts.unit",
                object_id=str(n % 500),
                object_repr=f"第{n}号信息",
                unit=unit,
                before={"title": f"旧标题{n}", "summary": "x" * 40},
                after={"title": f"新标题{n}", "summary": "x" * 40},
                ip="10.0.0.1",
                note="",
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"database: {connection.vendor}, rows: {rows}")
    call_command("migrate", verbosity=0)
    cast = make_cast()
    timed(f"insert {rows} rows (sealed into the chain)", lambda: fill(cast, rows))
    report = timed(f"verify the hash chain ({rows} rows)", chain.verify)
    assert report.ok, report.broken

    def writes(n: int = 500) -> None:
        for i in range(n):
            with transaction.atomic():
                record(actor=None, action="bench.write", note=f"N{i}")

    started = time.perf_counter()
    writes()
    elapsed = time.perf_counter() - started
    print(
        f"{'500 audited transactions, one row each':<44} {elapsed:8.3f} s "
        f"({500 / elapsed:.0f}/s, sealed after each commit)"
    )
    client = Client()
    client.force_login(cast.office_head)
    url = reverse("audit:list")
    with override_settings(DEBUG=False):
        timed("list, first page (office head)", lambda: client.get(url))
        timed("list, page 200", lambda: client.get(url, {"page": 200}))
        timed("list, text search in before/after", lambda: client.get(url, {"q": "新标题4242"}))
        timed(
            "list, date range of one week",
            lambda: client.get(
                url,
                {
                    "date_from": (timezone.localdate() - datetime.timedelta(days=200)).isoformat(),
                    "date_to": (timezone.localdate() - datetime.timedelta(days=193)).isoformat(),
                },
            ),
        )

        def export() -> int:
            response = client.get(reverse("audit:export"))
            return sum(len(chunk) for chunk in response.streaming_content)

        size = timed("CSV export of every visible row", export)
    print(f"CSV size: {size / 1_000_000:.1f} MB")


if __name__ == "__main__":
    main()
