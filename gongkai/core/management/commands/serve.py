"""`gongkai serve`: the production server.

Brings the database up to date (`migrate`), collects the static files (served by WhiteNoise),
optionally loads the demo data, then runs gunicorn with N HTTP worker processes serving
gongkai.wsgi:application. Unless --no-worker, the gunicorn master also keeps one background
worker (`gongkai worker`) running as its child: restarted if it dies, stopped when the server
stops, and stopping by itself if the server is killed outright.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.urls import reverse
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from gongkai.core.worker import PARENT_PID_ENV, pending_migrations

logger = logging.getLogger("gongkai.serve")

# A worker that keeps dying is restarted at most this often, so a broken one cannot spin.
RESTART_PAUSE_SECONDS = 10
STOP_TIMEOUT_SECONDS = 20


class BackgroundWorker:
    """The `gongkai worker` child process of the gunicorn master."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.owner_pid = os.getpid()
        self.stopping = False
        self.next_start = 0.0

    def start(self) -> None:
        env = dict(os.environ, **{PARENT_PID_ENV: str(os.getpid())})
        self.owner_pid = os.getpid()
        self.proc = subprocess.Popen([sys.executable, "-m", "gongkai", "worker"], env=env)
        self.next_start = time.monotonic() + RESTART_PAUSE_SECONDS
        logger.info("后台任务进程已启动 (pid %s)", self.proc.pid)

    def check(self) -> None:
        """Restart the worker if it has died. Called by the gunicorn master about once a second."""
        if self.stopping or self.proc is None or os.getpid() != self.owner_pid:
            return
        # The master reaps every child, ours included; poll() then reports it gone with code 0.
        code = self.proc.poll()
        if code is None or time.monotonic() < self.next_start:
            return
        logger.warning("后台任务进程 (pid %s) 意外退出，正在重启", self.proc.pid)
        self.start()

    def stop(self) -> None:
        # Forked HTTP workers inherit this object; only the process that started the worker
        # may stop it.
        if self.stopping or self.proc is None or os.getpid() != self.owner_pid:
            return
        self.stopping = True
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                logger.warning(
                    "后台任务进程 %s 未在 %s 秒内退出，强制结束",
                    self.proc.pid,
                    STOP_TIMEOUT_SECONDS,
                )
                self.proc.kill()
                self.proc.wait()
        logger.info("后台任务进程已停止")


class _Arbiter(Arbiter):
    def manage_workers(self) -> None:
        super().manage_workers()
        background = getattr(self.app, "background", None)
        if background is not None:
            background.check()


class GongkaiServer(BaseApplication):
    def __init__(self, options: dict[str, Any], background: BackgroundWorker | None) -> None:
        self.options = options
        self.background = background
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from gongkai.wsgi import application

        return application

    def run(self) -> None:
        try:
            _Arbiter(self).run()
        except RuntimeError as exc:
            print(f"\n错误：{exc}\n", file=sys.stderr)
            sys.exit(1)
        finally:
            if self.background is not None:
                self.background.stop()


def browser_url(host: str, port: int) -> str:
    if host in {"0.0.0.0", ""}:  # noqa: S104
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def bind_address(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        return f"[{host}]:{port}"
    return f"{host}:{port}"


class Command(BaseCommand):
    help = (
        "生产用服务器：更新数据库结构、收集静态文件，用 gunicorn 启动网站，"
        "并在后台运行任务进程（除非指定 --no-worker）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；0.0.0.0 为所有网卡）"
        )
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--workers", type=int, default=2, help="处理网页请求的进程数（默认 2）")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不启动后台任务进程（另行运行 gongkai worker 时使用）",
        )
        parser.add_argument("--demo", action="store_true", help="启动前载入演示数据并列出演示账号")

    def handle(
        self, *args, host: str, port: int, workers: int, no_worker: bool, demo: bool, **options
    ):
        began = time.monotonic()
        if not 1 <= port <= 65535:
            raise CommandError(f"端口必须在 1 到 65535 之间，而不是 {port}", returncode=2)
        if not 1 <= workers <= 64:
            raise CommandError(f"--workers 必须在 1 到 64 之间，而不是 {workers}", returncode=2)
        if demo and settings.PRODUCTION:
            raise CommandError(
                "生产模式下不载入演示数据：演示账号的密码是公开的。请去掉 --demo。", returncode=2
            )
        verbose = options["verbosity"] >= 1

        missing = pending_migrations()
        if missing:
            if verbose:
                self.stdout.write(f"正在更新数据库结构（{missing} 个迁移）…")
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            call_command("demo", verbosity=options["verbosity"], stdout=self.stdout)
        # Never hand an open database connection (an SQLite handle above all) to forked workers.
        connections.close_all()
        self.stdout.flush()

        background = None if no_worker else BackgroundWorker()
        url = browser_url(host, port)
        login_path = reverse("accounts:login")
        out = self.stdout

        def when_ready(server) -> None:
            if background is not None:
                background.start()
            if verbose:
                out.write(
                    f"\ngongkai 已启动（用时 {time.monotonic() - began:.1f} 秒）。"
                    f"请在浏览器中打开 {url}\n工作人员登录：{url.rstrip('/')}{login_path}\n"
                    "按 Ctrl+C 停止。\n"
                )
                out.flush()

        def on_exit(server) -> None:
            if background is not None:
                background.stop()

        server_options: dict[str, Any] = {
            "bind": [bind_address(host, port)],
            "workers": workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 120,
            "graceful_timeout": 20,
            "keepalive": 5,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "gongkai",
            "control_socket_disable": True,
            "when_ready": when_ready,
            "on_exit": on_exit,
        }
        GongkaiServer(server_options, background).run()
