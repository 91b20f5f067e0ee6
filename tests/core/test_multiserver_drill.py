"""The several-servers drill (bench/drill_multiserver.py) as a test: two `gongkai serve` and two
`gongkai worker` processes on one PostgreSQL, Redis and S3-compatible store; every check it
prints must pass. It needs PostgreSQL (DATABASE_URL) and Redis (TEST_REDIS_URL, default
redis://127.0.0.1:6379/13), and is skipped, saying why, without them."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

pytestmark = pytest.mark.multiserver


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the several-servers drill needs PostgreSQL: set DATABASE_URL to run it")
    auth = urllib.parse.quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db.get('PORT') or 5432}/{db['NAME']}_drill"


def _require_redis() -> None:
    redis = pytest.importorskip("redis", reason="the drill needs the redis package")
    pytest.importorskip("moto.server", reason="the drill needs moto[server]")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"the several-servers drill needs Redis at {REDIS_URL} ({exc})")


def test_two_servers_and_two_workers_behave_as_one(capsys):
    database_url = _database_url()
    _require_redis()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    run = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "bench/drill_multiserver.py",
            "--database-url",
            database_url,
            "--redis-url",
            REDIS_URL,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    with capsys.disabled():  # what the drill checked belongs in the CI log
        print("\n" + run.stdout)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    assert " 0 failed" in run.stdout
