"""Settings come from the environment, and production refuses to start on unsafe ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "GONGKAI_PRODUCTION", "DEBUG", "DATABASE_URL"}
    }
    environment.update(
        GONGKAI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings", **env
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    run = _start(tmp_path, GONGKAI_PRODUCTION="true")
    assert run.returncode != 0
    assert "started" not in run.stdout
    assert "SECRET_KEY is not set" in run.stderr
    assert "GONGKAI_PRODUCTION=true" in run.stderr
    assert not (tmp_path / "secret_key").exists()


# Production also needs the keys that encrypt identity numbers (docs/configuration.md).
FIELD_KEYS = {"FIELD_ENCRYPTION_KEYS": "a" * 43 + "=", "FIELD_HASH_KEY": "h" * 40}


def test_production_with_a_secret_key_starts(tmp_path):
    run = _start(tmp_path, GONGKAI_PRODUCTION="true", SECRET_KEY="x" * 50, **FIELD_KEYS)
    assert run.returncode == 0, run.stderr
    assert "started" in run.stdout


def test_production_refuses_debug(tmp_path):
    run = _start(
        tmp_path, GONGKAI_PRODUCTION="true", SECRET_KEY="x" * 50, DEBUG="true", **FIELD_KEYS
    )
    assert run.returncode != 0
    assert "DEBUG must be off in production" in run.stderr


def test_the_embedded_default_keeps_its_own_key_beside_the_database(tmp_path):
    assert _start(tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _start(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    # So do the keys of the encrypted identity numbers: no configuration needed.
    field_key = (tmp_path / "field_encryption_key").read_text()
    assert len(field_key) == 44
    assert (tmp_path / "field_hash_key").stat().st_mode & 0o777 == 0o600


def test_a_malformed_boolean_is_refused_with_its_name(tmp_path):
    run = _start(tmp_path, GONGKAI_PRODUCTION="maybe")
    assert run.returncode != 0
    assert "GONGKAI_PRODUCTION must be true or false" in run.stderr
