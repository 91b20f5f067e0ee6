"""Run nginx with the server block of docs/operations.md (the static-publishing one) as it stands,
on a local port, serving a given publishing directory and proxying to a given app port. Used by
the nginx test and the bench."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def documented_block() -> str:
    text = DOC.read_text()
    match = re.search(r"<!-- staticpub-nginx.*?-->\s*```nginx\n(.*?)```", text, re.S)
    if match is None:
        raise RuntimeError("the static-publishing nginx block is missing from operations.md")
    return match.group(1)


def config(prefix: Path, *, published: Path, port: int, app_port: int, workers: int = 1) -> str:
    block = documented_block()
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    block = re.sub(r"\n\s*ssl_certificate(_key)? [^\n]*", "", block)
    block = block.replace("root /var/lib/gongkai/published;", f"root {published};")
    block = block.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    temp = "\n".join(
        f"    {name}_temp_path {prefix}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Started as root, nginx's workers would run as nobody and not read a private tmp dir.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
{user}worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
{temp}
{block}
}}
"""


class Nginx:
    def __init__(self, prefix: Path, *, published: Path, port: int, app_port: int, workers=1):
        self.prefix, self.port = prefix, port
        prefix.mkdir(parents=True, exist_ok=True)
        (prefix / "nginx.conf").write_text(
            config(prefix, published=published, port=port, app_port=app_port, workers=workers)
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed")
        conf = self.prefix / "nginx.conf"
        check = subprocess.run(  # noqa: S603  (our own nginx, our own config)
            [binary, "-t", "-p", str(self.prefix), "-c", str(conf)], capture_output=True, text=True
        )
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.process = subprocess.Popen([binary, "-p", str(self.prefix), "-c", str(conf)])  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("nginx did not start: " + (self.prefix / "error.log").read_text())

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def free_port(start: int, end: int) -> int:
    for port in range(start, end):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{end}")
