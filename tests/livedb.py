"""The test database, shared with other processes (servers and workers started by a test).

On PostgreSQL that is the test database itself: the test must use `transactional_db`, so what it
creates is committed and seen by the other processes, and what they write is seen by the test.
On SQLite the test database lives in memory, which no other process can open: `publish()` copies
it into a file, and the test reads the results back from that file with `query()`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


class SharedDatabase:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.vendor = connection.vendor
        self.file = tmp_path / "shared.sqlite3"
        if self.vendor not in {"sqlite", "postgresql"}:
            raise RuntimeError(f"no shared database for {self.vendor}")

    @property
    def url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.file}"
        s = connection.settings_dict
        auth = urllib.parse.quote(s["USER"] or "", safe="")
        if s.get("PASSWORD"):
            auth += ":" + urllib.parse.quote(s["PASSWORD"], safe="")
        host = s.get("HOST") or "127.0.0.1"
        return f"postgres://{auth}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"

    def publish(self) -> None:
        """Make what the test created so far visible to other processes."""
        if self.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        env.update(
            DATABASE_URL=self.url,
            GONGKAI_DATA_DIR=str(self.tmp_path / "data"),
            DJANGO_SETTINGS_MODULE="gongkai.settings",
            # The same SECRET_KEY as the test: rate-limit digests and signed values match.
            SECRET_KEY=_secret_key(),
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run `sql` (with %s placeholders) against the shared database."""
        if self.vendor == "sqlite":
            db = sqlite3.connect(self.file, timeout=10)
            try:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                db.close()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def popen(self, *args: str, log: Path, **env: str) -> subprocess.Popen[bytes]:
        """`gongkai ARGS` in a new process group, output to `log`."""
        with log.open("ab") as out:
            return subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gongkai", *args],
                cwd=ROOT,
                env=self.env(**env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


def _secret_key() -> str:
    from django.conf import settings

    return settings.SECRET_KEY


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`gongkai serve --no-worker` on the shared database, in its own process group."""

    def __init__(self, shared: SharedDatabase, name: str = "server", **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = shared.tmp_path / f"{name}.log"
        self.proc = shared.popen(
            "serve", "--no-worker", "--port", str(self.port), "--workers", "2", log=self.log, **env
        )

    def wait_ready(self, timeout: float = 120) -> None:
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                with urllib.request.urlopen(self.url + "/staff/accounts/login/", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("server did not answer:\n" + self.log.read_text())

    def stop(self) -> None:
        import contextlib
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
