"""Several servers drill: two `gongkai serve` and two `gongkai worker` processes on one
PostgreSQL, one Redis and one S3-compatible store (moto's server), driven through both servers at
once. It checks, and prints, that everything behaves as on one server:

- the rate limit of a public form and the sign-in lockout are shared by the servers;
- a session started on one server is valid on the other;
- a change made through one server shows at once on the other (memoised figures and ETags);
- 索引号 and application numbers handed out concurrently through both servers are never doubled;
- scheduled publication runs once per item, and no job runs more often than its interval;
- every e-mail is delivered exactly once;
- a file uploaded through one server is stored in the bucket and downloads through the other.

Usage (the database named is dropped and created afresh, so its name must contain "drill"):

    .venv/bin/python bench/drill_multiserver.py \\
        --database-url postgres://postgres@127.0.0.1:5432/gongkai_drill \\
        --redis-url redis://127.0.0.1:6379/14

Exit status 0 when every check passed, 1 otherwise (2 when it could not run at all). Runs in
about a minute; tests/core/test_multiserver_drill.py runs it in CI.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUCKET = "gongkai-drill"
PASSWORD_LIMIT = 5
STATUS_LIMIT = 8
POLL_SECONDS = 2
ITEMS = 12
APPLICATIONS = 16
MESSAGES = 30


class DrillError(Exception):
    pass


# -- reporting ---------------------------------------------------------------------------------

RESULTS: list[tuple[bool, str]] = []
# Runs the drill itself made due early (so the interval check allows for them).
EXTRA_RUNS: dict[str, int] = {}


def check(ok: bool, text: str) -> bool:
    RESULTS.append((bool(ok), text))
    print(f"  [{'OK' if ok else 'FAILED'}] {text}", flush=True)
    return bool(ok)


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


# -- HTTP --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and CSRF like a browser; any server of the pair may be asked."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def csrf(self, url: str) -> str:
        status, _headers, body = self.request(url)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not found:
            raise DrillError(f"no form at {url} ({status})")
        return found.group(1).decode()

    def post_form(self, url: str, fields: dict[str, str], *, token_from: str | None = None):
        token = self.csrf(token_from or url)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.request(url, data=body, headers={"Referer": url})


def api(base: str, token: str, method: str, path: str, body: object = None) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    status, _h, raw = Browser().request(
        base + "/api/v1" + path, data=data, headers=headers, method=method
    )
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw[:500].decode(errors="replace")


def upload(base: str, token: str, path: str, name: str, data: bytes) -> tuple[int, object]:
    boundary = secrets.token_hex(12)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    status, _h, raw = Browser().request(base + "/api/v1" + path, data=body, headers=headers)
    return status, json.loads(raw or b"null") if raw.startswith(b"{") else raw[:500]


# -- processes ---------------------------------------------------------------------------------


class Processes:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> None:
        data_dir = self.workdir / name
        data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.workdir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "gongkai", *args],
            cwd=ROOT,
            env={**self.env, "GONGKAI_DATA_DIR": str(data_dir)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self, name: str) -> bool:
        return self.procs[name].poll() is None

    def stop_all(self) -> None:
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise DrillError(f"{what}: not within {timeout:.0f} s")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the drill ---------------------------------------------------------------------------------


def fresh_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "drill" not in name:
        raise DrillError(f"the database name must contain 'drill' (it is dropped): {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'")


def drop_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def run(args: argparse.Namespace) -> int:
    import boto3
    import redis
    from moto.server import ThreadedMotoServer

    from tests.smtp import SmtpSink

    began = time.monotonic()
    redis.Redis.from_url(args.redis_url, socket_connect_timeout=2).ping()
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-drill-"))
    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="drill",
        aws_secret_access_key="drill-secret",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=BUCKET)
    fresh_database(args.database_url)
    sink = SmtpSink().__enter__()

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_", "GONGKAI_", "S3_", "REDIS_"))
        and k not in {"DATABASE_URL", "COV_CORE_SOURCE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=endpoint,
        S3_ACCESS_KEY_ID="drill",
        S3_SECRET_ACCESS_KEY="drill-secret",
        S3_REGION="us-east-1",
        S3_PREFIX="drill",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        WORKER_POLL_SECONDS=str(POLL_SECONDS),
        LOGIN_MAX_FAILURES_PER_ACCOUNT=str(PASSWORD_LIMIT),
        RATELIMITS=f"applications.status={STATUS_LIMIT}/15m",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    # This process reads and prepares the same database with the same settings.
    os.environ.update(env)
    os.environ.update(GONGKAI_DATA_DIR=str(workdir / "drill"), LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    step("setting up: one PostgreSQL, one Redis, one S3 bucket, two servers, two workers")
    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.accounts.actions import token_create
    from tests.factories import make_cast, make_user

    cast = make_cast()
    make_user("drill-lockout")
    tokens = {
        role: token_create(actor=None, user=getattr(cast, role))[1]
        for role in ("drafter", "secrecy_reviewer", "office_reviewer", "leader")
    }
    print(f"  database {args.database_url.rsplit('/', 1)[-1]} migrated; cast and tokens created")

    procs = Processes(workdir, env)
    ports = {"A": free_port(), "B": free_port()}
    try:
        for name, port in ports.items():
            procs.start(name, "serve", "--no-worker", "--port", str(port), "--workers", "2")
        for name in ("worker1", "worker2"):
            procs.start(name, "worker")
        workers_started = time.monotonic()
        queue_mail()
        servers = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}

        def ready(name: str) -> bool:
            if not procs.alive(name):
                raise DrillError(f"server {name} exited:\n{procs.log(name)[-3000:]}")
            try:
                return Browser().request(servers[name] + "/")[0] == 200
            except OSError:
                return False

        for name in servers:
            wait_until(lambda n=name: ready(n), 120, f"server {name} answering")
        wait_until(
            lambda: all("worker started" in procs.log(w) for w in ("worker1", "worker2")),
            60,
            "both workers started",
        )
        print(
            f"  servers A {servers['A']}, B {servers['B']}; workers 1 and 2 polling every "
            f"{POLL_SECONDS} s ({time.monotonic() - began:.0f} s so far)"
        )
        A, B = servers["A"], servers["B"]
        pair = [A, B]

        drill_rate_limit(pair)
        drill_lockout_and_sessions(pair)
        published = drill_catalog(pair, tokens)
        drill_cache(pair, tokens)
        drill_applications(pair, tokens)
        drill_files(pair, tokens, s3, workdir)
        drill_mail(sink)
        drill_jobs(published, workers_started)
        for name in procs.procs:
            check(procs.alive(name), f"process {name} still running at the end")
    except DrillError as exc:
        check(False, f"drill stopped: {exc}")
        for name in procs.procs:
            tail = procs.log(name)[-2000:]
            print(f"\n--- log of {name} (end)\n{tail}")
    finally:
        procs.stop_all()
        sink.__exit__(None, None, None)
        moto.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            drop_database(args.database_url)

    failed = [text for ok, text in RESULTS if not ok]
    print(
        f"\n{len(RESULTS) - len(failed)} checks passed, {len(failed)} failed "
        f"({time.monotonic() - began:.0f} s)"
    )
    return 1 if failed else 0


def drill_rate_limit(pair: list[str]) -> None:
    step(f"rate limit: {STATUS_LIMIT + 4} status look-ups from one address, alternating servers")
    statuses = []
    for n in range(STATUS_LIMIT + 4):
        base = pair[n % 2]
        status, _h, _body = Browser().post_form(
            base + "/yishenqing/chaxun/", {"number": "GK-0000-0000", "code": "000000"}
        )
        statuses.append(status)
    allowed = statuses.count(200)
    check(
        allowed == STATUS_LIMIT and statuses[STATUS_LIMIT:] == [429] * 4,
        f"{allowed} allowed then {statuses.count(429)} refused with 429 (limit {STATUS_LIMIT} "
        f"shared by A and B): {statuses}",
    )
    import redis as redis_module
    from django.conf import settings

    from gongkai.interaction.models import RateCounter
    from gongkai.lib.ratelimit import _key_digest

    digest = _key_digest("applications.status", "127.0.0.1")
    client = redis_module.Redis.from_url(settings.REDIS_URL)
    keys = client.keys(f"gongkai:ratelimit:applications.status:{digest}:*")
    counts = [int(client.get(key) or 0) for key in keys]
    check(
        counts == [STATUS_LIMIT + 4] and not RateCounter.objects.exists(),
        f"the count is one Redis key holding {counts}, nothing in the database table",
    )


def drill_lockout_and_sessions(pair: list[str]) -> None:
    step(f"sign-in: {PASSWORD_LIMIT} wrong passwords alternating servers, then the right one")
    from tests.factories import PASSWORD

    answers = []
    for n in range(PASSWORD_LIMIT):
        base = pair[n % 2]
        url = base + "/staff/accounts/login/"
        _s, _h, body = Browser().post_form(
            url, {"username": "drill-lockout", "password": f"wrong-{n}"}
        )
        answers.append("locked" if "登录失败次数过多" in body.decode() else "refused")
    url = pair[1] + "/staff/accounts/login/"
    status, _h, body = Browser().post_form(url, {"username": "drill-lockout", "password": PASSWORD})
    locked = status == 200 and "登录失败次数过多" in body.decode()
    check(
        locked and answers[-1] == "locked",
        f"after {PASSWORD_LIMIT} failures through A and B the right password is refused on B "
        f"(answers {answers})",
    )

    step("session: sign in on A, carry on with the same cookie on B")
    browser = Browser()
    status, _headers, _b = browser.post_form(
        pair[0] + "/staff/accounts/login/", {"username": "drafter", "password": PASSWORD}
    )
    signed_in = status == 302
    status_b, headers_b, _ = browser.request(pair[1] + "/staff/")
    check(
        signed_in and status_b == 200,
        f"signed in on A ({status}), the workbench on B answers {status_b} "
        f"{headers_b.get('Location', '')}",
    )
    from django.core.cache import cache

    session_keys = [c.value for c in browser.jar if c.name == "sessionid"]
    cached = (
        bool(session_keys)
        and cache.get("django.contrib.sessions.cached_db" + session_keys[0]) is not None
    )
    check(cached, "the session is in Redis (and in the database)")


SCHEDULED: list[datetime.datetime] = []  # go_live_at of the items signed off for later


def _walk(base_of, tokens: dict[str, str], n: int, scheduled: bool) -> dict:
    """Create, submit, review and sign off item n, each step through the server base_of(step)."""
    status, item = api(
        base_of(0),
        tokens["drafter"],
        "POST",
        "/staff/catalog/items",
        {
            "unit": "zhuwang",
            "title": f"多服务器演练第{n}号通知",
            "formed_date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "body": f"<p>演练内容 {n}。</p>",
        },
    )
    if status != 201:
        raise DrillError(f"creating item {n}: {status} {item}")
    pk = item["id"]
    steps = [
        ("drafter", f"/staff/catalog/items/{pk}/submit", {}),
        ("secrecy_reviewer", f"/staff/catalog/items/{pk}/secrecy", {"verdict": "非涉密"}),
        ("office_reviewer", f"/staff/catalog/items/{pk}/office-approve", {"note": "同意"}),
        ("leader", f"/staff/catalog/items/{pk}/sign-off", {}),
    ]
    for i, (role, path, body) in enumerate(steps, start=1):
        if path.endswith("/sign-off") and scheduled:
            from django.utils import timezone

            go_live = timezone.localtime() + datetime.timedelta(seconds=10)
            SCHEDULED.append(go_live)
            body = {"go_live_at": go_live.strftime("%Y-%m-%dT%H:%M:%S")}
        status, out = api(base_of(i), tokens[role], "POST", path, body)
        if status != 200:
            raise DrillError(f"item {n} {path.rsplit('/', 1)[-1]}: {status} {out}")
    return out


def drill_catalog(pair: list[str], tokens: dict[str, str]) -> list[int]:
    from django.utils import timezone

    step(
        f"索引号: {ITEMS} items through both servers at once, half published now, half "
        "scheduled for the workers"
    )

    def one(n: int) -> dict:
        return _walk(lambda i: pair[(n + i) % 2], tokens, n, scheduled=bool(n % 2))

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        outs = list(pool.map(one, range(ITEMS)))
    now_published = [o for o in outs if o["state"] == "published"]
    scheduled = [o for o in outs if o["state"] != "published"]
    check(
        len(now_published) == ITEMS // 2 and len(scheduled) == ITEMS // 2,
        f"{len(now_published)} published at sign-off, {len(scheduled)} scheduled",
    )
    from django.db.models import F

    from gongkai.catalog.models import Item
    from gongkai.core.models import JobRun

    last = max(SCHEDULED)
    wait_until(lambda: timezone.now() > last, 30, "the scheduled time")
    # The job ran when the workers started, before the items were due; rather than wait out its
    # one-minute interval, move its last run back a minute. Both workers then race for it.
    JobRun.objects.filter(
        name="catalog.publish_scheduled", last_finished_at__gte=F("last_started_at")
    ).update(
        last_started_at=F("last_started_at") - datetime.timedelta(minutes=1),
        last_finished_at=F("last_finished_at") - datetime.timedelta(minutes=1),
    )
    EXTRA_RUNS["catalog.publish_scheduled"] = 1
    print("  made catalog.publish_scheduled due now (as if a minute had passed)")

    def all_published() -> bool:
        ids = [o["id"] for o in scheduled]
        return Item.objects.filter(pk__in=ids, index_number__gt="").count() == len(ids)

    wait_until(all_published, 60, "scheduled items published by the workers")
    numbers = list(
        Item.objects.filter(pk__in=[o["id"] for o in outs]).values_list("index_number", flat=True)
    )
    doubled = [n for n, c in Counter(numbers).items() if c > 1]
    check(
        all(numbers) and not doubled,
        f"{len(set(numbers))} distinct 索引号 for {ITEMS} items "
        f"({min(numbers)} … {max(numbers)}), none doubled",
    )
    return [o["id"] for o in outs]


def drill_cache(pair: list[str], tokens: dict[str, str]) -> None:
    step("cache: a page seen on B, an item published through A, the page on B again")
    A, B = pair
    before_a = Browser().request(A + "/gk/zhuwang/")
    before = Browser().request(B + "/gk/zhuwang/")
    etag = before[1].get("ETag", "")
    out = _walk(lambda i: A, tokens, 900, scheduled=False)
    title = "多服务器演练第900号通知"
    after = Browser().request(B + "/gk/zhuwang/")
    revalidated = Browser().request(B + "/gk/zhuwang/", headers={"If-None-Match": etag})
    check(
        before_a[0] == before[0] == 200
        and title not in before[2].decode()
        and title in after[2].decode()
        and out["state"] == "published",
        "B shows the item published through A at once",
    )
    check(
        bool(etag) and after[1].get("ETag") != etag and revalidated[0] == 200,
        f"B's ETag moved ({etag} → {after[1].get('ETag')}); B answers the old one with "
        f"{revalidated[0]}, not 304",
    )
    import redis as redis_module
    from django.conf import settings

    memo = redis_module.Redis.from_url(settings.REDIS_URL).keys("gongkai:*portal.memo:*")
    check(len(memo) > 0, f"portal figures shared through Redis ({len(memo)} cached entries)")


def drill_applications(pair: list[str], tokens: dict[str, str]) -> None:
    step(
        f"application numbers: {APPLICATIONS} applications registered through both servers at once"
    )

    def one(n: int) -> tuple[int, object]:
        return api(
            pair[n % 2],
            tokens["drafter"],
            "POST",
            "/applications",
            {
                "organ": "zhuwang",
                "channel": "in_person",
                "received_date": "2026-03-02",
                "applicant_type": "natural_person",
                "applicant_name": f"申请人{n}",
                "id_doc_type": "id_card",
                "id_doc_number": "11010519491231002X",
                "phone": "13812345678",
                "email": f"applicant{n}@example.com",
                "address": "山东省乳山市诸往镇驻地",
                "description": f"2025年诸往镇第{n}批补助名单",
                "provide_form": "paper",
                "delivery": "mail",
            },
        )

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(APPLICATIONS)))
    bad = [r for r in results if r[0] != 201]
    if bad:
        raise DrillError(f"registering: {bad[0]}")
    from gongkai.applications.models import Application

    numbers = list(Application.objects.values_list("number", flat=True))
    doubled = [n for n, c in Counter(numbers).items() if c > 1]
    check(
        len(numbers) == APPLICATIONS and not doubled,
        f"{len(set(numbers))} distinct application numbers for {APPLICATIONS} applications "
        f"({min(numbers)} … {max(numbers)}), none doubled",
    )


def drill_files(pair: list[str], tokens: dict[str, str], s3, workdir: Path) -> None:
    step("files: an attachment uploaded through A, downloaded through B")
    from tests.lib.files import make_docx

    A, B = pair
    status, item = api(
        A,
        tokens["drafter"],
        "POST",
        "/staff/catalog/items",
        {"unit": "zhuwang", "title": "附件演练", "formed_date": datetime.date.today().isoformat()},
    )
    if status != 201:
        raise DrillError(f"creating the item for the file: {status} {item}")
    data = make_docx(["多服务器演练附件：全镇财政预算收入3200万元"])
    status, attachment = upload(
        A, tokens["drafter"], f"/staff/catalog/items/{item['id']}/attachments", "预算.docx", data
    )
    if status != 201:
        raise DrillError(f"uploading: {status} {attachment}")
    url = B + urllib.parse.urlsplit(attachment["url"]).path
    got = Browser().request(url, headers={"Authorization": f"Bearer {tokens['drafter']}"})
    check(
        got[0] == 200 and got[2] == data,
        f"uploaded {len(data)} bytes through A, B returns {len(got[2])} identical bytes",
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    attachments = [k for k in keys if k.startswith("drill/catalog/")]
    letters = [k for k in keys if k.startswith("drill/applications/")]
    local = [p for p in workdir.rglob("*") if "media" in p.parts and p.is_file()]
    check(
        len(attachments) == 1 and not local,
        f"stored in the bucket as {attachments[0] if attachments else '(missing)'}, nothing on "
        "any server's disk",
    )
    check(
        len(letters) >= APPLICATIONS,
        f"the {len(letters)} receipts generated for the applications are in the bucket too",
    )


def queue_mail() -> None:
    from gongkai.core.mail import enqueue_email

    for n in range(MESSAGES):
        enqueue_email(to=[f"r{n}@example.com"], subject=f"drill-{n:02d}", body="演练邮件")


def drill_mail(sink) -> None:
    step(f"mail: {MESSAGES} messages queued at the start, while both workers run")
    from gongkai.core.models import OutgoingEmail

    def all_sent() -> bool:
        return not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()

    wait_until(all_sent, 90, "every queued message sent")
    subjects = Counter(sink.subjects())
    drill = {s: c for s, c in subjects.items() if s.startswith("drill-")}
    total = OutgoingEmail.objects.count()
    check(
        len(drill) == MESSAGES and set(drill.values()) == {1},
        f"{len(drill)} drill messages delivered, each once",
    )
    check(
        sum(subjects.values()) == total and max(subjects.values()) == 1,
        f"{sum(subjects.values())} messages delivered in all for {total} queued "
        "(the whole outbox), none twice",
    )


def drill_jobs(items: list[int], workers_started: float) -> None:
    step("jobs: scheduled publication once per item, no job more often than its interval")
    from gongkai.audit.models import AuditEntry
    from gongkai.core.models import JobRun
    from gongkai.core.worker import discover_jobs

    publications = Counter(
        AuditEntry.objects.filter(action="catalog.item_publish").values_list("object_id", flat=True)
    )
    per_item = [publications.get(str(pk), 0) for pk in items]
    check(
        per_item.count(1) == len(items),
        f"each of the {len(items)} items published exactly once (counts {sorted(set(per_item))})",
    )
    elapsed = time.monotonic() - workers_started
    runs = {run.name: run for run in JobRun.objects.all()}
    lines, ok = [], True
    for job in discover_jobs():
        run = runs.get(job.name)
        count = run.runs if run else 0
        allowed = int(elapsed // job.every_seconds) + 1 + EXTRA_RUNS.get(job.name, 0)
        ok &= count <= allowed
        lines.append(f"{job.name} {count}/{allowed}")
    check(ok, f"runs per job within {elapsed:.0f} s (ran/at most): " + ", ".join(lines))
    by = Counter(run.claimed_by.split(":")[1] for run in runs.values() if run.claimed_by)
    check(len(by) >= 1, f"jobs claimed by {len(by)} worker process(es): {dict(by)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongkai_drill"
        ),
        help="PostgreSQL database to create afresh (its name must contain 'drill')",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print("the drill needs PostgreSQL (--database-url postgres://…)", file=sys.stderr)
        return 2
    try:
        return run(args)
    except DrillError as exc:
        print(f"drill could not run: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
