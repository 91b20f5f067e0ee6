"""The several-servers settings: REDIS_URL brings the shared cache and cached sessions, S3_BUCKET
puts uploaded files in object storage; without them, one server's defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "d = s.STORAGES['default']; o = d.get('OPTIONS', {}); "
    "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION', '-'), "
    "s.SESSION_ENGINE, d['BACKEND'], o.get('bucket_name', '-'), o.get('endpoint_url', '-'), "
    "o.get('location', '-'))"
)


def _settings(tmp_path: Path, **env: str) -> list[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_PREFIX", "DATABASE_URL"}
    }
    environment.update(GONGKAI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings")
    environment.update(env)
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_one_server_needs_no_redis_and_keeps_files_on_disk(tmp_path):
    assert _settings(tmp_path) == [
        "django.core.cache.backends.locmem.LocMemCache",
        "-",
        "django.contrib.sessions.backends.db",
        "django.core.files.storage.FileSystemStorage",
        "-",
        "-",
        "-",
    ]


def test_redis_and_a_bucket_are_taken_from_the_environment(tmp_path):
    assert _settings(
        tmp_path,
        REDIS_URL="redis://10.0.0.5:6379/2",
        S3_BUCKET="gongkai",
        S3_ENDPOINT_URL="http://minio.internal:9000",
        S3_PREFIX="rushan",
    ) == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.0.0.5:6379/2",
        "gongkai.core.sessions",
        "storages.backends.s3.S3Storage",
        "gongkai",
        "http://minio.internal:9000",
        "rushan",
    ]
