"""Several workers at once: every job run and every e-mail is claimed by exactly one of them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from gongkai.core import worker
from gongkai.core.jobs import Job
from gongkai.core.models import JobRun

ROOT = Path(__file__).resolve().parents[2]


def test_workers_running_at_once_send_each_message_exactly_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        GONGKAI_DATA_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    gongkai = [sys.executable, "-m", "gongkai"]
    enqueue = (
        "from gongkai.core.mail import enqueue_email\n"
        "for n in range(30):\n"
        "    enqueue_email(to=['a@example.com'], subject=f'{0}-{{n:02d}}', body='.')"
    )

    def together(*args: str, n: int = 4) -> list[str]:
        procs = [
            subprocess.Popen(  # noqa: S603
                [*gongkai, *args],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(n)
        ]
        outputs = [p.communicate(timeout=300) for p in procs]
        assert all(p.returncode == 0 for p in procs), outputs
        return [out for out, _ in outputs]

    together("migrate", "--noinput", n=1)

    # The outbox sender itself, in four processes at once: messages are claimed one by one.
    together("shell", "-c", enqueue.format("a"), n=1)
    outputs = together(
        "shell", "-c", "from gongkai.core.mail import send_queued\nprint('sent', send_queued())"
    )
    printed = "".join(outputs)
    for n in range(30):
        assert printed.count(f"Subject: a-{n:02d}\n") == 1, n
    assert (
        sum(
            int(line.split()[1])
            for out in outputs
            for line in out.splitlines()
            if line.startswith("sent ")
        )
        == 30
    )

    # Four whole workers: one wins the job's claim, the others find it not due.
    together("shell", "-c", enqueue.format("b"), n=1)
    outputs = together("worker", "--once")
    printed = "".join(outputs)
    for n in range(30):
        assert printed.count(f"Subject: b-{n:02d}\n") == 1, n
    assert sum("core.send_email: 完成" in out for out in outputs) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_from_separate_connections_have_one_winner():
    job = Job("x.race", lambda: None, every_seconds=60)
    JobRun.objects.create(name=job.name)
    start = threading.Barrier(8)
    winners: list[bool] = []

    def claim() -> None:
        try:
            start.wait()
            winners.append(worker.claim(job) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(winners) == [False] * 7 + [True]
