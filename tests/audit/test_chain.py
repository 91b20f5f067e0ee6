"""The audit log's hash chain: `gongkai audit verify`, tampering found, concurrent writers,
export and purge after the retention period."""

from __future__ import annotations

import datetime
import io
import itertools
import threading
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from gongkai.audit import chain
from gongkai.audit.log import record
from gongkai.audit.models import AuditAnchor, AuditEntry

TABLE = "audit_auditentry"
TRIGGER = "audit_auditentry_no_update_delete"


def tamper(sql: str, params: list) -> None:
    """What someone with database access might do (on PostgreSQL past the trigger, as the
    table's owner could)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def run_verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def write_rows(cast, n: int = 5) -> list[AuditEntry]:
    actor = cast.admin if cast else None
    unit = cast.zhuwang if cast else None
    rows = [record(actor=actor, action="test.thing", unit=unit, note=f"N{i}") for i in range(n)]
    # Tests run inside a transaction that never commits: seal as the commit would.
    chain.seal_pending()
    return [AuditEntry.objects.get(pk=row.pk) for row in rows]


def test_rows_are_chained_and_verify_passes(cast):
    rows = write_rows(cast)
    for earlier, later in itertools.pairwise(rows):
        assert later.seq == earlier.seq + 1
        assert later.prev_hash == earlier.row_hash
    code, out, _ = run_verify()
    assert code == 0
    assert "完整" in out


def test_verify_names_a_changed_row(cast):
    rows = write_rows(cast)
    tamper("UPDATE audit_auditentry SET note = 'rewritten' WHERE id = %s", [rows[2].pk])
    code, _, err = run_verify()
    assert code == 1
    assert f"序号 {rows[2].seq}" in err
    assert "内容被改动" in err


def test_verify_finds_a_removed_row(cast):
    rows = write_rows(cast)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [rows[1].pk])
    code, _, err = run_verify()
    assert code == 1
    assert f"记录 id {rows[2].pk}" in err


def test_verify_finds_a_cut_off_tail(cast):
    rows = write_rows(cast)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [rows[-1].pk])
    code, _, err = run_verify()
    assert code == 1
    assert "链尾" in err


def test_verify_finds_a_rehashed_row_by_its_successor(cast):
    rows = write_rows(cast)
    victim = AuditEntry.objects.get(pk=rows[1].pk)
    victim.note = "rewritten"
    new_hash = chain.digest(victim)
    tamper(
        "UPDATE audit_auditentry SET note = 'rewritten', row_hash = %s WHERE id = %s",
        [new_hash, victim.pk],
    )
    code, _, err = run_verify()
    assert code == 1
    assert f"序号 {rows[2].seq}" in err


def test_create_and_bulk_create_join_the_chain(cast):
    write_rows(cast, 2)
    AuditEntry.objects.create(actor_name="system", action="test.create")
    AuditEntry.objects.bulk_create([AuditEntry(actor_name="system", action="test.bulk")] * 1)
    assert chain.verify().ok


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="SQLite: the file-database test below"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(cast):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    record(actor=None, action="test.concurrent", note=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 60
    assert chain.verify().ok


WRITER = """
import django, sys
django.setup()
from django.db import transaction
from gongkai.audit.log import record
for i in range(25):
    with transaction.atomic():
        record(actor=None, action="test.concurrent", note=f"{sys.argv[1]}-{i}")
"""


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_concurrent_processes_never_fork_the_chain_on_sqlite(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(
        os.environ, GONGKAI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings"
    )
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "gongkai", "migrate", "-v0"], env=env, check=True, timeout=120
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(n)], env=env)  # noqa: S603
        for n in range(4)
    ]
    assert all(w.wait(timeout=120) == 0 for w in writers)
    check = subprocess.run(
        [sys.executable, "-m", "gongkai", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert "100 条" in check.stdout or "条记录" in check.stdout


@pytest.mark.django_db(transaction=True)
def test_a_row_is_sealed_as_soon_as_its_transaction_commits(cast):
    with transaction.atomic():
        entry = record(actor=None, action="test.thing")
        second = record(actor=None, action="test.thing")
        assert AuditEntry.objects.get(pk=entry.pk).seq is None  # not before the commit
    sealed = AuditEntry.objects.get(pk=entry.pk)
    assert sealed.seq is not None
    assert AuditEntry.objects.get(pk=second.pk).seq == sealed.seq + 1
    assert chain.verify().ok


def test_a_row_left_unsealed_is_sealed_by_verify(cast):
    write_rows(cast, 2)
    entry = record(actor=None, action="test.thing")  # as if the writer died after committing
    assert AuditEntry.objects.get(pk=entry.pk).seq is None
    assert run_verify()[0] == 0
    assert AuditEntry.objects.get(pk=entry.pk).seq is not None


def test_a_rolled_back_write_leaves_the_chain_intact(cast):
    write_rows(cast, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, action="test.rolled_back")
        raise RuntimeError
    write_rows(cast, 2)
    assert chain.verify().ok


OLD = datetime.datetime(2025, 1, 10, 2, tzinfo=datetime.UTC)
NOW = datetime.datetime(2025, 12, 1, 2, tzinfo=datetime.UTC)


def _old_and_new_rows() -> tuple[list[AuditEntry], list[AuditEntry]]:
    with time_machine.travel(OLD, tick=False):
        old = write_rows(None, 3)
    with time_machine.travel(NOW, tick=False):
        new = write_rows(None, 2)
    return old, new


def test_purge_refuses_rows_inside_the_retention_period(db, tmp_path):
    _old_and_new_rows()
    with time_machine.travel(NOW, tick=False), pytest.raises(chain.RetentionError):
        chain.purge(before=NOW - datetime.timedelta(days=30), export_to=tmp_path / "a.jsonl")
    assert not (tmp_path / "a.jsonl").exists()
    assert AuditEntry.objects.count() == 5


def test_purge_exports_then_removes_old_rows_and_the_chain_still_verifies(db, tmp_path):
    old, new = _old_and_new_rows()
    export = tmp_path / "audit-2025-01.jsonl"
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command(
            "audit", "purge", "--before", "2025-02-01", "--export", str(export), stdout=out
        )
    assert "3 条" in out.getvalue()
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in new]).count() == 2
    lines = export.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert chain.verify_export(Path(export)) is None
    anchor = AuditAnchor.objects.get()
    assert (anchor.last_seq, anchor.last_hash) == (old[-1].seq, old[-1].row_hash)
    assert run_verify()[0] == 0
    assert AuditEntry.objects.filter(action="audit.purge").exists()


def test_a_changed_export_is_found(db, tmp_path):
    _old_and_new_rows()
    export = tmp_path / "audit.jsonl"
    with time_machine.travel(NOW, tick=False):
        chain.purge(before=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC), export_to=export)
    export.write_text(export.read_text(encoding="utf-8").replace("N1", "NX"), encoding="utf-8")
    broken = chain.verify_export(export)
    assert broken is not None
    assert "内容被改动" in broken.reason


def test_export_command_writes_every_row(cast, tmp_path):
    write_rows(cast, 3)
    target = tmp_path / "all.jsonl"
    call_command("audit", "export", str(target), stdout=io.StringIO())
    assert len(target.read_text(encoding="utf-8").splitlines()) == AuditEntry.objects.count()
    assert chain.verify_export(target) is None


def test_retention_below_six_months_is_refused(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, AUDIT_RETENTION_MONTHS="3", GONGKAI_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; "
            "os.environ['DJANGO_SETTINGS_MODULE']='gongkai.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_RETENTION_MONTHS" in result.stderr


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_lets_sealing_fill_in_the_chain_but_not_change_the_row(cast):
    entry = record(actor=None, action="test.thing", note="first")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditentry SET seq = 999, note = 'x' WHERE id = %s", [entry.pk]
        )
    chain.seal_pending()
    sealed = AuditEntry.objects.get(pk=entry.pk)
    assert sealed.seq is not None and sealed.note == "first"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET seq = 999 WHERE id = %s", [entry.pk])


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_a_purge_of_recent_rows_even_with_the_flag(cast):
    entry = record(actor=None, action="test.thing")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL gongkai.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
