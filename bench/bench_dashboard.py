"""How long the statistics dashboard takes to build its figures with a large history: 100,000
applications, 20,000 publications and 10,000 mailbox letters over two years, as a township
drafter and as the city administrator (the city total) see them. Prints numbers, never
pass/fail.

    .venv/bin/python bench/bench_dashboard.py [APPLICATIONS]     # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_dashboard.py [APPLICATIONS] # an empty PostgreSQL database

The database is migrated and filled; use a throwaway one. Run again on the same database
(GONGKAI_DATA_DIR or DATABASE_URL) to time it without refilling. Each timing is the best of
five runs, so a busy machine disturbs it less.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from gongkai.accounts.models import Unit, User  # noqa: E402
from gongkai.applications.codes import Decision  # noqa: E402
from gongkai.applications.models import Application, State  # noqa: E402
from gongkai.catalog.models import Item, ItemVersion, VersionState  # noqa: E402
from gongkai.dashboard import charts, scope  # noqa: E402
from gongkai.interaction.models import HandlerRole, Letter, LetterStatus  # noqa: E402
from gongkai.workdays.calendar import WorkCalendar  # noqa: E402
from tests.factories import make_cast  # noqa: E402

YEAR = 2025
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
BATCH = 5000


def timed(label: str, func, repeat: int = 1) -> object:
    """Run `func` `repeat` times and print the fastest run (the others met a busy machine)."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    runs = f" (best of {repeat})" if repeat > 1 else ""
    print(f"{label + runs:<52} {best:8.3f} s")
    return result


def _days(rng: random.Random, year_from: int) -> datetime.date:
    start = datetime.date(year_from, 1, 1)
    return start + datetime.timedelta(days=rng.randrange(730))


def fill_applications(organs, rows: int, rng: random.Random) -> None:
    calendar = WorkCalendar()
    decisions = [d.value for d in Decision]
    weights = [40, 15] + [1] * 8 + [8, 2, 2] + [1] * 5 + [2, 1, 3]
    due_of: dict[datetime.date, datetime.date] = {}
    batch = []
    for n in range(rows):
        received = _days(rng, YEAR - 1)
        if received not in due_of:
            due_of[received] = calendar.add_workdays(received, 20)
        concluded = received + datetime.timedelta(days=rng.randrange(0, 50))
        open_case = concluded > datetime.date(YEAR, 12, 31) or rng.random() < 0.03
        decision = rng.choices(decisions, weights)[0]
        replied_case = not decision.startswith("3.6.")
        batch.append(
            Application(
                number=f"B-{n:07d}",
                organ=organs[n % len(organs)],
                query_code_digest="0" * 64,
                channel="online",
                applicant_type="natural_person",
                applicant_name="申请人",
                description="基准测试",
                received_date=received,
                state=State.PROCESSING
                if open_case
                else (State.REPLIED if replied_case else State.CLOSED),
                decision="" if open_case else decision,
                concluded_date=None if open_case else concluded,
                reply_date=None if open_case or not replied_case else concluded,
                due_date=None if rng.random() < 0.01 else due_of[received],
            )
        )
        if len(batch) == BATCH:
            Application.objects.bulk_create(batch)
            batch = []
    Application.objects.bulk_create(batch)


def fill_publications(organs, rows: int, rng: random.Random) -> None:
    items = Item.objects.bulk_create(
        [Item(organ=organs[n % len(organs)], unit=organs[n % len(organs)]) for n in range(rows)],
        batch_size=BATCH,
    )
    versions = []
    for item in items:
        formed = _days(rng, YEAR - 1)
        published = formed + datetime.timedelta(days=rng.randrange(1, 40))
        versions.append(
            ItemVersion(
                item=item,
                state=VersionState.PUBLISHED,
                title="基准测试信息",
                formed_date=formed,
                due_date=formed + datetime.timedelta(days=28),
                published_at=datetime.datetime.combine(
                    published, datetime.time(rng.randrange(8, 20)), BEIJING
                ),
                fingerprint="f" * 64,
            )
        )
    ItemVersion.objects.bulk_create(versions, batch_size=BATCH)


def fill_letters(organs, rows: int, rng: random.Random) -> None:
    letters = []
    for n in range(rows):
        received = datetime.datetime.combine(
            _days(rng, YEAR - 1), datetime.time(rng.randrange(0, 24)), BEIJING
        )
        answered = received + datetime.timedelta(hours=rng.randrange(2, 400))
        letters.append(
            Letter(
                unit=organs[n % len(organs)],
                number=f"B{n:08d}",
                year=received.year,
                serial=n + 1,
                idempotency_key=f"bench-{n}",
                query_code_hash="x",
                handler_role=HandlerRole.LEADER,
                writer_name="写信人",
                subject="基准测试",
                content="内容",
                received_at=received,
                status=LetterStatus.ANSWERED,
                reply="答复",
                answered_at=answered,
            )
        )
    Letter.objects.bulk_create(letters, batch_size=BATCH)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"database: {connection.vendor}, applications: {rows}")
    call_command("migrate", verbosity=0)
    if Unit.objects.filter(code="zhuwang").exists():
        # A database this script filled before: time it again without refilling.
        print(f"reusing the rows already there ({Application.objects.count()} applications)")
        cast = SimpleNamespace(
            drafter=User.objects.get(username="drafter"), admin=User.objects.get(username="admin")
        )
    else:
        cast = make_cast()
        organs = [cast.zhuwang, cast.other_township]
        rng = random.Random(2025)
        timed(f"insert {rows} applications", lambda: fill_applications(organs, rows, rng))
        timed(f"insert {rows // 5} publications", lambda: fill_publications(organs, rows // 5, rng))
        timed(f"insert {rows // 10} letters", lambda: fill_letters(organs, rows // 10, rng))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    township = scope.choices_for(cast.drafter)[0]
    city = scope.choices_for(cast.admin)[0]
    for label, chosen in (("township (half the rows)", township), ("city total (all)", city)):
        timed(f"build figures, {label}", lambda chosen=chosen: charts.build(chosen, YEAR), 5)
        dashboard = charts.build(chosen, YEAR)
        concluded = dashboard.charts[0].total[-1] if dashboard.charts[0].total else 0
        print(f"  {YEAR}: {concluded} applications concluded in the figures")

    client = Client()
    url = reverse("dashboard:index")
    with override_settings(DEBUG=True):
        for user, label in ((cast.drafter, "township drafter"), (cast.admin, "city administrator")):
            client.force_login(user)
            client.get(url, {"year": YEAR})  # warm the template cache
            reset_queries()
            response = timed(f"whole page, {label}", lambda: client.get(url, {"year": YEAR}), 5)
            print(f"  status {response.status_code}, {len(connection.queries)} queries a page")
        client.force_login(cast.admin)
        csv_url = reverse("dashboard:csv", args=["reply-days"])
        timed(
            "CSV of reply working days, city total", lambda: client.get(csv_url, {"year": YEAR}), 5
        )


if __name__ == "__main__":
    main()
