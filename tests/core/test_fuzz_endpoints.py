"""Every public and staff endpoint under hostile values: control characters, NUL, lone
surrogates, a megabyte of text, huge and negative integers, wrong JSON types. Nothing may answer
with a server error, and a refusal (4xx) changes nothing in the database.

The endpoints are not listed by hand: the HTML pages come from the URL resolver, the API's
operations from its OpenAPI document, the field and parameter names from the forms and the
document. Values are sampled per parameter (a fixed seed; set FUZZ_SEED to vary it), so the
whole sweep stays well under a minute."""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import os
import pkgutil
import random
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

import gongkai
from gongkai.accounts.actions import token_create
from gongkai.accounts.models import Role
from gongkai.api.main import api
from tests.applications.conftest import register
from tests.catalog.conftest import publish_new
from tests.factories import make_user
from tests.interaction.conftest import submit

SEED = int(os.environ.get("FUZZ_SEED", "20261206"))
MB_TEXT = "长" * 1_000_000
HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "名\x01字\x1f",
    "\x0b\x0c\x7f\x85",
    "\ud800",  # a lone surrogate (JSON bodies only: it cannot be sent in a form or an address)
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%_\\",
    "１２３",
]
HOSTILE_NUMBERS = ["-1", "0", "10000", "9" * 21, str(2**63), str(2**64), "1e999", "NaN", "1.5"]
WRONG_TYPES: list[Any] = [[], {}, None, True, 1.5, 10**30, -(2**63) - 1, "abc", [{"a": 1}]]
# Tables whose rows count attempts: a refusal may add to them on purpose.
COUNTERS = {"accounts_loginfailure", "interaction_ratecounter", "interaction_spentcaptcha"}
# Rows updated by any authenticated call (a token's last use), refused or not.
UPDATED_ON_USE = {"accounts_apitoken", "django_session"}
# Pages that would end the session the sweep runs in.
SKIP_NAMES = {"logout"}


def _address_text(value: str) -> str:
    return value if "\ud800" not in value else value.replace("\ud800", "\ufffd")


# -- what to send to --------------------------------------------------------------------------


def html_patterns() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(name, route, [(converter, parameter)]) of every page outside the API."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("api/"):
                    continue
                name = f"{namespace}{p.name or ''}"
                params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
                found.append((name, route, [(c or "str", n) for c, n in params]))

    walk(get_resolver().url_patterns, "", "")
    return found


def field_names() -> list[str]:
    """Every field name of every form in gongkai, and every name the views read from GET."""
    names: set[str] = set()
    for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, forms.BaseForm):
                names.update(getattr(value, "base_fields", {}))
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        names.update(re.findall(r"GET\.get\(\s*\"(\w+)\"", source))
        names.update(re.findall(r"POST\.get\(\s*\"(\w+)\"", source))
    return sorted(names)


class Sweep:
    def __init__(self, client, ids: dict[str, int], rng: random.Random) -> None:
        self.client, self.ids, self.rng = client, ids, rng
        self.failures: list[str] = []
        self.requests = 0
        self.refusals = 0
        tables = sorted(
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy and m._meta.db_table not in COUNTERS
        )
        # Table names come from the models, never from input.
        quote = connection.ops.quote_name
        if connection.vendor == "postgresql":
            # The writes of the test's own transaction so far, per table: one cheap query that
            # also sees updates.
            names = ", ".join(f"'{t}'" for t in tables if t not in UPDATED_ON_USE)
            writes = "n_tup_ins + n_tup_upd + n_tup_del"
            self.count_sql = f"SELECT relname, {writes} FROM pg_stat_xact_user_tables WHERE relname IN ({names}) ORDER BY relname"  # noqa: E501, S608
        else:
            counts = [f"'{t}', (SELECT COUNT(*) FROM {quote(t)})" for t in tables]  # noqa: S608
            self.count_sql = f"SELECT {', '.join(counts)}"
        self.before = self.counts()

    def counts(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql)
            rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            return {name: n for name, n in rows}
        flat = rows[0]
        return dict(zip(flat[::2], flat[1::2], strict=True))

    def send(self, label: str, method: str, path: str, **kwargs: Any) -> None:
        """`method` is a method of the test client (get, post…), or "raw:<VERB>" to send the
        JSON text in kwargs["raw"] as it is."""
        self.requests += 1
        try:
            if method.startswith("raw:"):
                response = self.client.generic(
                    method[4:], path, kwargs.pop("raw"), content_type="application/json", **kwargs
                )
            else:
                response = getattr(self.client, method)(path, **kwargs)
        except Exception as exc:  # the test client re-raises a view's exception
            self.failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
            self.before = self.counts()
            return
        after = self.counts()
        if response.status_code >= 500:
            self.failures.append(f"{label}: {response.status_code}")
        elif 400 <= response.status_code < 500 and after != self.before:
            self.refusals += 1
            changed = sorted(
                t for t in after.keys() | self.before.keys() if after.get(t) != self.before.get(t)
            )
            self.failures.append(f"{label}: refused ({response.status_code}) but changed {changed}")
        elif 400 <= response.status_code < 500:
            self.refusals += 1
        self.before = after

    # -- value sources

    def text(self) -> str:
        return self.rng.choice(HOSTILE_TEXT)

    def anything(self) -> str:
        pool = HOSTILE_TEXT + HOSTILE_NUMBERS
        return self.rng.choice(pool)

    def id_for(self, name: str) -> int:
        for key, value in self.ids.items():
            if key in name:
                return value
        return self.ids["default"]


# -- the HTML pages ---------------------------------------------------------------------------


def fill_route(sweep: Sweep, route: str, params, hostile_at: int | None) -> str:
    path = "/" + route
    for index, (converter, name) in enumerate(params):
        if converter == "int":
            value = rng_number(sweep) if index == hostile_at else str(sweep.id_for(name))
        elif converter == "slug":
            value = "zhuwang" if "code" in name or "unit" in name else "x-1"
        elif index == hostile_at:
            value = _address_text(sweep.text())[:200]
        else:
            value = "2025" if "year" in name else "zhuwang"
        path = re.sub(rf"<(?:\w+:)?{name}>", value.replace("\\", "\\\\"), path, count=1)
    return path


def rng_number(sweep: Sweep) -> str:
    return sweep.rng.choice(["9" * 21, str(2**63), str(2**64), "0"])


def sweep_pages(sweep: Sweep, names: list[str]) -> int:
    patterns = [p for p in html_patterns() if p[0].rsplit(":", 1)[-1] not in SKIP_NAMES]
    for name, route, params in patterns:
        path = fill_route(sweep, route, params, None)
        query = {n: _address_text(sweep.anything()) for n in sweep.rng.sample(names, 8)}
        sweep.send(f"GET {name} {query}"[:300], "get", path, data=query)
        if params:
            hostile_path = fill_route(sweep, route, params, sweep.rng.randrange(len(params)))
            sweep.send(f"GET {name} {hostile_path[:120]}", "get", hostile_path)
        data: dict[str, Any] = {}
        for n in sweep.rng.sample(names, 40):
            data[n] = _address_text(sweep.rng.choice([*HOSTILE_TEXT, *HOSTILE_NUMBERS, ""]))
        if sweep.rng.random() < 0.15:
            data[sweep.rng.choice(names)] = MB_TEXT
        if sweep.rng.random() < 0.5:
            data[sweep.rng.choice(["attachment", "file", "files", "id_document", "upload"])] = (
                SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n\x00" + os.urandom(64))
            )
        sweep.send(f"POST {name} {sorted(data)[:8]}", "post", path, data=data)
    return len(patterns)


# -- the API ------------------------------------------------------------------------------------


def sample_value(schema: dict[str, Any], components: dict[str, Any], name: str, sweep: Sweep):
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        schema = next((s for s in schema["anyOf"] if s.get("type") != "null"), {})
    kind = schema.get("type")
    if kind == "integer":
        return sweep.id_for(name)
    if kind == "boolean":
        return True
    if kind == "number":
        return 1
    if kind == "array":
        return []
    if kind == "object":
        props = schema.get("properties", {})
        return {
            k: sample_value(v, components, k, sweep)
            for k, v in props.items()
            if k in schema.get("required", [])
        }
    if schema.get("format") == "date":
        return "2025-03-03"
    if schema.get("format") == "date-time":
        return "2025-03-03T10:00:00+08:00"
    return "zhuwang" if name in {"unit", "organ", "unit_code", "department"} else "测试"


def hostile_json(sweep: Sweep) -> Any:
    return sweep.rng.choice(
        [*HOSTILE_TEXT, *WRONG_TYPES, MB_TEXT if sweep.rng.random() < 0.05 else ""]
    )


def sweep_api(sweep: Sweep, headers: dict[str, str]) -> int:
    spec = api.get_openapi_schema()
    components = spec["components"]["schemas"]
    operations = 0
    for template, methods in spec["paths"].items():
        for method, operation in methods.items():
            operations += 1
            params = operation.get("parameters", [])
            path_params = {p["name"]: p for p in params if p["in"] == "path"}

            def build(hostile=None, template=template, path_params=path_params) -> str:
                path = template
                for name, param in path_params.items():
                    if name == hostile:
                        value = (
                            sweep.rng.choice(HOSTILE_NUMBERS)
                            if param["schema"].get("type") == "integer"
                            else _address_text(sweep.text())[:100]
                        )
                    elif param["schema"].get("type") == "integer":
                        value = str(sweep.id_for(name))
                    else:
                        value = "2025" if name == "year" else "zhuwang"
                    path = path.replace("{" + name + "}", value).replace(
                        "{path:" + name + "}", value
                    )
                return path

            base = build()
            label = f"{method.upper()} {template}"
            for name in path_params:
                bad = build(hostile=name)
                sweep.send(f"{label} path {bad[:100]}", method, bad, **headers)
            query = [p["name"] for p in params if p["in"] == "query"]
            for name in sweep.rng.sample(query, min(3, len(query))):
                value = _address_text(sweep.anything())
                sweep.send(
                    f"{label} ?{name}={value[:30]!r}", method, base, data={name: value}, **headers
                )
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                schema = body["application/json"]["schema"]
                valid = sample_value(schema, components, "", sweep)
                ref = components.get(schema.get("$ref", "").rsplit("/", 1)[-1], {})
                props = list(ref.get("properties", {}))
                for prop in sweep.rng.sample(props, min(4, len(props))):
                    payload = {**valid, prop: hostile_json(sweep)}
                    raw = json.dumps(payload)  # a lone surrogate goes out as "\ud800"
                    sweep.send(f"{label} {prop}", f"raw:{method.upper()}", base, raw=raw, **headers)
                whole = ["[]", '"x"', "{bad json", "null", json.dumps({"x": "\ud800"})]
                for raw in sweep.rng.sample(whole, 2):
                    sweep.send(
                        f"{label} body {raw[:12]}",
                        f"raw:{method.upper()}",
                        base,
                        raw=raw,
                        **headers,
                    )
            elif "multipart/form-data" in body:
                # As bytes: a lone surrogate goes out as the invalid UTF-8 a real client sends.
                purpose = sweep.text().encode("utf-8", "surrogatepass")
                form = {"purpose": purpose, "redacted": "maybe"}
                form["file"] = SimpleUploadedFile("x.pdf", b"%PDF-\x00" + os.urandom(64))
                sweep.send(f"{label} multipart", "post", base, data=form, **headers)
    return operations


# -- the test -----------------------------------------------------------------------------------


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTCHA_TEST_MODE = True
    settings.RATELIMITS = {}
    user = make_user(
        "fuzzer",
        roles=[(cast.city, Role.ADMIN)]
        + [(cast.zhuwang, role) for role in Role.values if role != Role.ADMIN],
    )
    item = publish_new(cast, title="道路维修通知")
    application = register(cast, datetime.date(2025, 3, 3))
    letter = submit(cast.zhuwang).letter
    ids = {
        "item": item.pk,
        "version": item.versions.first().pk,
        "case": application.pk,
        "application": application.pk,
        "letter": letter.pk,
        "unit": cast.zhuwang.pk,
        "user": cast.drafter.pk,
        "default": 1,
    }
    return user, ids


def test_no_endpoint_answers_hostile_input_with_a_server_error_or_a_change(client, world):
    user, ids = world
    client.force_login(user)
    sweep = Sweep(client, ids, random.Random(SEED))
    pages = sweep_pages(sweep, field_names())
    _row, token = token_create(actor=None, user=user)
    sweep.before = sweep.counts()
    operations = sweep_api(sweep, {"HTTP_AUTHORIZATION": f"Bearer {token}"})
    print(f"{pages} pages, {operations} API operations, {sweep.requests} requests")
    assert pages > 100 and operations > 70
    assert sweep.refusals > sweep.requests // 4  # most hostile input is refused, not ignored
    assert not sweep.failures, "\n".join(sweep.failures[:60])
