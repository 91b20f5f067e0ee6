"""Every setting read from the environment is documented, and the example environment file is
accepted by the settings as it stands, commented-out defaults included."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (ROOT / "gongkai/settings.py").read_text()
READ = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")
EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")


def _variables() -> list[str]:
    names = sorted(set(READ.findall(SETTINGS)))
    assert len(names) > 30, "the pattern no longer finds the settings"
    return names


@pytest.mark.parametrize("name", _variables())
def test_every_environment_variable_is_documented(name):
    assert f"`{name}`" in (ROOT / "docs/configuration.md").read_text(), name
    example_names = {
        m.group(1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if (m := EXAMPLE_LINE.match(line))
    }
    assert name in example_names, name


def _example_environment() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if match := EXAMPLE_LINE.match(line):
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            values[match.group(1)] = value
    return values


def test_the_example_environment_file_is_accepted(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in _example_environment()}
    env.update(_example_environment())
    env.update(GONGKAI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PRODUCTION, s.DATABASES['default']['ENGINE'], s.EMAIL_USE_SSL, "
        "s.RATELIMITS['mailbox.submit'], s.DEFAULT_FROM_EMAIL)"
    )
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "True",
        "django.db.backends.postgresql",
        "True",
        "5/h;20/d",
        "政务公开",
        "<gongkai@zhuwang.example.gov.cn>",
    ]
