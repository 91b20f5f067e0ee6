"""The demo's city (one township passes, one has warnings, one a veto), the jobs the worker runs
and the `gongkai probe` command reporting to a server."""

from __future__ import annotations

import http.server
import threading

import pytest
from django.core.management import call_command

from gongkai.core.demo import all_steps, build
from gongkai.core.worker import discover_jobs
from gongkai.inspection import demo as _inspection_demo  # noqa: F401  (registers the step)
from gongkai.inspection import queries
from gongkai.inspection.models import ProbeReport


def test_demo_city_has_a_passing_a_warned_and_a_vetoed_township(db, settings, tmp_path, frozen):
    from gongkai.portal import demo as _portal_demo  # noqa: F401

    settings.MEDIA_ROOT = tmp_path
    wanted = {"core.units_and_accounts", "portal.content", "inspection.self_inspection"}
    build([s for s in all_steps() if s.name in wanted])
    from gongkai.accounts.models import Unit

    verdicts = {u.code: queries.card(u).verdict for u in Unit.objects.organs()}
    assert verdicts["fengjia"] == "pass"
    assert verdicts["xiacun"] == "veto"
    assert verdicts["zhuwang"] in ("warning", "veto")
    count = ProbeReport.objects.count()
    build([s for s in all_steps() if s.name in wanted])  # twice adds nothing
    assert ProbeReport.objects.count() == count


def test_the_worker_runs_the_inspection_jobs():
    names = {j.name for j in discover_jobs()}
    assert {"inspection.daily", "inspection.crawl", "inspection.probe"} <= names


class _Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<html>ok</html>")

    def log_message(self, *args):
        pass


@pytest.fixture
def target():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_probe_command_reports_each_visit_to_the_server(live_server, cast, target):
    from gongkai.accounts.actions import token_create

    token = token_create(actor=None, user=cast.admin)[1]
    call_command(
        "probe", target, "--server", live_server.url, "--unit", "zhuwang", "--token", token,
        "--count", "1",
    )  # fmt: skip
    report = ProbeReport.objects.get()
    assert report.unit == cast.zhuwang and report.ok and report.url == target


def test_probe_command_without_a_token_says_so(db, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.delenv("GONGKAI_PROBE_TOKEN", raising=False)
    with pytest.raises(CommandError, match="令牌"):
        call_command("probe", "http://x/", "--server", "http://y", "--unit", "zhuwang")
