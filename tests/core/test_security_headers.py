"""Security headers (CSP without inline scripts, HSTS in production), templates free of inline
scripts and handlers, and refused requests logged in one line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from gongkai.core.headers import POLICY

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# <script> without src= that is not a JSON data block (json_script writes type="application/json").
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
HX_ON = re.compile(r"\shx-on[:-]", re.I)


def template_files() -> list[Path]:
    files = list(TEMPLATES.rglob("*.html"))
    files += list((Path(settings.BASE_DIR) / "gongkai").rglob("templates/**/*.html"))
    assert len(files) > 50
    return files


def test_no_template_has_an_inline_script_handler_or_javascript_link():
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL, HX_ON):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {match.group(0)}")
    assert not found, "\n".join(found)


def test_the_scan_would_catch_each_kind():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="x" type="application/json">{}</script>')
    assert HANDLER.search('<button onclick="x()">')
    assert JS_URL.search('<a href="javascript:history.back()">')
    assert HX_ON.search('<b hx-on::after-request="x">')


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_pages_carry_the_policy(client, db, url):
    response = client.get(url, follow=True)
    policy = response.headers["Content-Security-Policy"]
    assert policy == POLICY
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_api_responses_carry_the_policy(client, db):
    response = client.get("/api/v1/items")
    assert response.headers["Content-Security-Policy"] == POLICY


def test_hsts_is_sent_over_https_when_configured(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = client.get("/accounts/login/")
    assert "Strict-Transport-Security" not in plain.headers


def test_production_turns_hsts_on_by_default(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        GONGKAI_PRODUCTION="true",
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEYS="a" * 43 + "=",
        FIELD_HASH_KEY="h" * 40,
        GONGKAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    for name in ("CAPTCHA_TEST_MODE", "DEBUG", "SECURE_HSTS_SECONDS", "TWO_FACTOR_REQUIRED"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_HSTS_SECONDS, settings.TWO_FACTOR_REQUIRED)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True"]


def test_a_refused_request_is_logged_in_one_line_without_a_traceback(client, cast, caplog):
    import datetime

    from tests.applications.conftest import register

    application = register(cast, datetime.date(2025, 3, 3))
    client.force_login(cast.drafter)
    url = reverse("applications:reveal_identity", args=[application.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(url)
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None
    message = record.getMessage()
    assert "\n" not in message
    assert url in message
    assert "user=drafter" in message
