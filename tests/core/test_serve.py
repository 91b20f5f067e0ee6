"""`gongkai serve` for real: a fresh data directory gets migrated, demo data, static files and a
running background worker; stopping the server stops everything it started."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.management.commands.serve import bind_address, browser_url

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _group(pgid: int) -> list[str]:
    """Command lines of the live (non-zombie) processes of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(cmdline)
    return found


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Server:
    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(GONGKAI_DATA_DIR=str(tmp_path), WORKER_POLL_SECONDS="1")
        self.log_path = tmp_path / "serve.log"
        self.log = self.log_path.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gongkai", "serve", "--port", str(self.port), *args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 90) -> float:
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            assert self.proc.poll() is None, self.output()
            try:
                if _get(self.url + "/")[0] == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("server did not answer:\n" + self.output())

    def output(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # what systemd sends to the main process
            self.proc.wait(timeout=60)

    def kill_leftovers(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture
def serve(tmp_path):
    servers: list[Server] = []

    def start(*args: str) -> Server:
        servers.append(Server(tmp_path, *args))
        return servers[-1]

    yield start
    for server in servers:
        server.kill_leftovers()


def test_serve_demo_migrates_serves_pages_and_static_files_and_stops_cleanly(serve):
    server = serve("--demo", "--workers", "2")
    server.wait_ready()

    assert _get(server.url + "/staff/accounts/login/")[0] == 200
    status, css = _get(server.url + "/static/css/site.css")
    assert status == 200 and css == (ROOT / "static/css/site.css").read_bytes()
    output = server.output()
    assert "city-admin" in output and "gongkai-demo-2026" in output
    assert f"请在浏览器中打开 {server.url}/" in output

    deadline = time.monotonic() + 30
    while not any("gongkai worker" in cmd for cmd in _group(server.proc.pid)):
        assert time.monotonic() < deadline, _group(server.proc.pid)
        time.sleep(0.2)
    # Two HTTP processes, the master and the background worker.
    assert len(_group(server.proc.pid)) == 4

    server.stop()
    assert server.proc.returncode == 0
    deadline = time.monotonic() + 10
    while _group(server.proc.pid):
        assert time.monotonic() < deadline, f"left behind: {_group(server.proc.pid)}"
        time.sleep(0.2)
    assert "后台任务进程已停止" in server.output()


def test_serve_without_worker_starts_no_background_process(serve):
    server = serve("--no-worker", "--workers", "1")
    server.wait_ready()
    time.sleep(1)
    assert not any("gongkai worker" in cmd for cmd in _group(server.proc.pid))
    assert len(_group(server.proc.pid)) == 2
    server.stop()
    assert server.proc.returncode == 0


def test_a_dead_background_worker_is_restarted(serve):
    server = serve("--workers", "1")
    server.wait_ready()

    def worker_pids() -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmd = (stat.parent / "cmdline").read_bytes()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == server.proc.pid and fields[0] != "Z" and b"gongkai\0worker" in cmd:
                pids.append(int(stat.parent.name))
        return pids

    deadline = time.monotonic() + 30
    while not worker_pids():
        assert time.monotonic() < deadline
        time.sleep(0.2)
    first = worker_pids()[0]
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 40
    while not [pid for pid in worker_pids() if pid != first]:
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.5)
    assert "意外退出，正在重启" in server.output()
    server.stop()


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "70000"], ["--workers", "0"]])
def test_serve_refuses_bad_numbers_before_touching_anything(args):
    with pytest.raises(CommandError) as refused:
        call_command("serve", *args)
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_serve_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--demo")
    assert refused.value.returncode == 2
    assert "--demo" in str(refused.value)


def test_the_printed_address_is_one_a_browser_can_open():
    assert browser_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"  # noqa: S104
    assert browser_url("::", 8000) == "http://[::1]:8000/"
    assert browser_url("192.168.1.5", 80) == "http://192.168.1.5:80/"
    assert bind_address("::1", 8000) == "[::1]:8000"
    assert bind_address("127.0.0.1", 8000) == "127.0.0.1:8000"
