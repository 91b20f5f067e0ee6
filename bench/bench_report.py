"""How long the annual report takes with a large record: one organ's report built live from
1,000,000 catalog items and 100,000 applications, its DOCX, and the city roll-up over every
organ's finalised report. Prints numbers, never pass/fail.

    .venv/bin/python bench/bench_report.py [ITEMS] [APPLICATIONS] [ORGANS]   # SQLite, temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_report.py                               # an empty PG database

The measured organ (诸往镇) holds a tenth of the items and applications; the rest are spread
over the other organs below the city. Use a throwaway database.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.accounts.models import Role, UnitKind  # noqa: E402
from gongkai.applications.codes import ApplicantType, Decision  # noqa: E402
from gongkai.applications.models import Application, State  # noqa: E402
from gongkai.catalog.models import Genre, Item, ItemVersion, Validity, VersionState  # noqa: E402
from gongkai.reports import documents, exports, rollup  # noqa: E402
from gongkai.reports.models import AnnualReport, Origin, ReportState, ReportVersion  # noqa: E402
from tests.factories import make_cast, make_organ, make_user  # noqa: E402

YEAR = 2025
LOCAL = ZoneInfo("Asia/Shanghai")
BATCH = 5000
SHARE = 0.10
rng = random.Random(2025)


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    print(f"{label:<52} {time.perf_counter() - started:8.3f} s", flush=True)
    return result


def pick_organ(organs, measured):
    return measured if rng.random() < SHARE else organs[rng.randrange(len(organs))]


class RawRows:
    """Rows for one table, inserted without building model instances (Django's bulk_create
    spends most of its time there): executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, model) -> None:
        self.model = model
        self.fields = model._meta.concrete_fields
        template = model()
        now = timezone.now()
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        sqlite = connection.vendor == "sqlite"
        self.converters = {f.attname: self._converter(f, sqlite) for f in self.fields}
        self.base = []
        for field in self.fields:
            value = getattr(template, field.attname)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            value = field.get_db_prep_save(value, connection)
            self.base.append(self.converters[field.attname](value))
        self.rows: list[list] = []

    @staticmethod
    def _converter(field, sqlite: bool):
        kind = field.get_internal_type()
        if not sqlite:
            return lambda v: v
        if kind == "DateTimeField":
            return lambda v: (
                v.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                if isinstance(v, datetime.datetime)
                else v
            )
        if kind == "DateField":
            return lambda v: v.isoformat() if isinstance(v, datetime.date) else v
        if kind == "BooleanField":
            return lambda v: None if v is None else int(v)
        return lambda v: v

    def add(self, **values) -> None:
        row = list(self.base)
        for name, value in values.items():
            row[self.index[name]] = self.converters[name](value)
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        columns = [f.column for f in self.fields]
        raw = connection.connection
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                quoted = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            quoted = ", ".join(f'"{c}"' for c in columns)
            raw.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', self.rows)
        self.rows = []


def reset_sequences(*models) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def fill_items(total: int, organs, measured) -> None:
    genres = dict(Genre.objects.values_list("code", "pk"))
    other = [pk for code, pk in genres.items() if code not in ("regulation", "normative")]
    start_id = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_day = datetime.date(2015, 1, 1)
    span = (datetime.date(2025, 12, 31) - first_day).days
    items, versions = RawRows(Item), RawRows(ItemVersion)
    connection.ensure_connection()
    for offset in range(0, total, BATCH * 20):
        with transaction.atomic():
            for n in range(offset, min(offset + BATCH * 20, total)):
                pk = start_id + n
                organ = pick_organ(organs, measured)
                formed = first_day + datetime.timedelta(days=rng.randrange(span))
                day = formed + datetime.timedelta(days=rng.randrange(1, 40))
                published = datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LOCAL)
                roll = rng.random()
                genre = (
                    genres["normative"]
                    if roll < 0.10
                    else genres["regulation"]
                    if roll < 0.105
                    else other[n % len(other)]
                )
                validity, validity_date = Validity.VALID, None
                if rng.random() < 0.08:
                    validity = (Validity.REPEALED, Validity.EXPIRED, Validity.AMENDED)[n % 3]
                    validity_date = formed + datetime.timedelta(days=rng.randrange(30, 2000))
                items.add(
                    id=pk,
                    organ_id=organ.pk,
                    unit_id=organ.pk,
                    index_number=f"BENCH/{pk}",
                    is_imported=True,
                    secrecy="non_secret",
                    published_version_id=pk,
                    first_published_at=published,
                    validity=validity,
                    validity_date=validity_date,
                )
                versions.add(
                    id=pk,
                    item_id=pk,
                    number=1,
                    state=VersionState.PUBLISHED,
                    title=f"信息{pk}",
                    formed_date=formed,
                    genre_id=genre,
                    fingerprint="f" * 64,
                    published_at=published,
                    due_date=formed + datetime.timedelta(days=28),
                )
            items.flush()
            versions.flush()
    reset_sequences(Item, ItemVersion)


DECISIONS = [d.value for d in Decision]
TYPES = list(ApplicantType.values)


def fill_applications(total: int, organs, measured) -> None:
    first_day = datetime.date(2023, 1, 1)
    span = (datetime.date(2025, 12, 31) - first_day).days
    rows = RawRows(Application)
    start_id = (Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    connection.ensure_connection()
    with transaction.atomic():
        for n in range(total):
            organ = pick_organ(organs, measured)
            received = first_day + datetime.timedelta(days=rng.randrange(span))
            concluded = None
            if rng.random() < 0.93:
                concluded = received + datetime.timedelta(days=rng.randrange(5, 45))
            decision = rng.choice(DECISIONS) if concluded else ""
            closed = decision.startswith("3.6")
            rows.add(
                id=start_id + n,
                number=f"BENCH{n:07d}",
                organ_id=organ.pk,
                query_code_digest="0" * 64,
                channel="in_person",
                received_date=received,
                state=(State.CLOSED if closed else State.REPLIED)
                if concluded
                else State.REGISTERED,
                applicant_type=rng.choice(TYPES),
                applicant_name=f"申请人{n}",
                description="基准测试申请",
                decision=decision,
                concluded_date=concluded,
                reply_date=concluded if decision and not closed else None,
                imported=True,
            )
            if len(rows.rows) == BATCH * 4:
                rows.flush()
        rows.flush()
    reset_sequences(Application)


def finalise_everyone(organs, actor) -> None:
    """A finalised version for every organ, frozen from its live figures (what 定稿 stores)."""
    now = timezone.now()
    for organ in organs:
        doc = documents.live_document(organ, YEAR)
        report = AnnualReport.objects.create(
            unit=organ,
            year=YEAR,
            format="2021",
            origin=Origin.SYSTEM,
            state=ReportState.PUBLISHED,
            title=documents.default_title(organ, YEAR),
        )
        ReportVersion.objects.create(
            report=report,
            number=1,
            document=doc,
            title=report.title,
            finalised_by=actor,
            finalised_at=now,
            published_at=now if organ.pk % 3 else None,
        )


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    applications = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    n_organs = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    print(
        f"database: {connection.vendor}; items {items}, applications {applications}, "
        f"organs {n_organs} (诸往镇 holds {SHARE:.0%})",
        flush=True,
    )
    call_command("migrate", verbosity=0)
    cast = make_cast()
    organs = [cast.city, cast.zhuwang, cast.other_township]
    for n in range(n_organs - len(organs)):
        kind = UnitKind.TOWNSHIP if n % 2 else UnitKind.DEPARTMENT
        organs.append(
            make_organ(parent=cast.city, name=f"基准机关{n}", code=f"bench{n}", kind=kind)
        )
    others = [o for o in organs if o.pk != cast.zhuwang.pk]
    timed(f"insert {items} items (+ versions)", lambda: fill_items(items, others, cast.zhuwang))
    timed(
        f"insert {applications} applications",
        lambda: fill_applications(applications, others, cast.zhuwang),
    )
    # What autovacuum (PostgreSQL) would have done by now: statistics, and on PostgreSQL the
    # visibility map that lets the covering indexes answer without reading the tables.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    mine = Item.objects.filter(organ=cast.zhuwang).count()
    apps = Application.objects.filter(organ=cast.zhuwang).count()
    print(f"诸往镇: {mine} items, {apps} applications", flush=True)

    doc = timed(
        "one organ's report, live (JSON document)",
        lambda: documents.live_document(cast.zhuwang, YEAR),
    )
    print(
        f"   applications 1/total={doc['applications']['1']['total']}, "
        f"normative in force={doc['proactive']['normative_document']['in_force']}",
        flush=True,
    )
    timed("the same again (warm)", lambda: documents.live_document(cast.zhuwang, YEAR))
    timed("   its DOCX", lambda: exports.to_docx(doc, "bench"))
    timed("   its JSON text", lambda: exports.to_json(doc))

    head = make_user("bench-city", roles=[(cast.city, Role.OFFICE_HEAD)])
    timed(
        f"finalise all {len(organs)} organs (setup, not a target)",
        lambda: finalise_everyone(organs, head),
    )
    data = timed(
        "city roll-up (sums, late list, comparison)", lambda: rollup.build(cast.city, YEAR)
    )
    print(
        f"   counted {len(data.counted)}, late {len(data.late)}, "
        f"new applications {data.totals['applications']['1']['total']}",
        flush=True,
    )
    client = Client()
    client.force_login(head)
    client.get("/staff/reports/")  # first request: URL modules, templates, the API schema
    response = timed(
        "city roll-up JSON over HTTP",
        lambda: client.get(f"/staff/reports/rollup/{cast.city.code}/{YEAR}/json/"),
    )
    assert response.status_code == 200, response.status_code
    json.loads(response.content)
    page = timed(
        "city roll-up page over HTTP",
        lambda: client.get(f"/staff/reports/rollup/{cast.city.code}/{YEAR}/"),
    )
    assert page.status_code == 200, page.status_code


if __name__ == "__main__":
    main()
