"""A worker killed mid-job (SIGKILL, no chance to clean up): another worker takes the job over
within one poll interval, and the message it was sending goes out exactly once."""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import time

import pytest
from django.utils import timezone

from gongkai.core import worker
from gongkai.core.mail import enqueue_email
from gongkai.core.models import JobRun
from tests.livedb import SharedDatabase
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 10  # a heartbeat every 2.5 s, a claim stale after 7.5 s


def _wait(condition, timeout: float, what: str, logs) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout}s:\n" + logs())


def test_a_job_of_a_killed_worker_is_taken_over_within_one_poll_interval(tmp_path):
    # Only the e-mail job is due; every other job ran a moment ago.
    now = timezone.now()
    for job in worker.discover_jobs():
        if job.name != "core.send_email":
            JobRun.objects.create(name=job.name, last_started_at=now, last_finished_at=now)
    enqueue_email(to=["citizen@example.com"], subject="kill-drill", body="答复已出。")
    shared = SharedDatabase(tmp_path)
    shared.publish()

    procs = []
    logs = {name: tmp_path / f"{name}.log" for name in ("a", "b")}

    def output() -> str:
        return "\n".join(f"--- {n}\n{p.read_text()}" for n, p in logs.items() if p.exists())

    with SmtpSink(stall=1) as smtp:
        mail_env = {
            "WORKER_POLL_SECONDS": str(POLL),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "300",
        }
        try:
            first = shared.popen("worker", log=logs["a"], **mail_env)
            procs.append(first)
            # The first worker hangs in the middle of sending (the server never answers DATA).
            _wait(smtp.stalled.is_set, 90, "the first worker's send", output)
            second = shared.popen("worker", log=logs["b"], **mail_env)
            procs.append(second)
            _wait(lambda: "worker started" in logs["b"].read_text(), 90, "second worker", output)

            # Alive and beating: the second worker leaves the job alone for longer than the
            # claim would take to go stale.
            time.sleep(POLL)
            holder = shared.query(
                "SELECT claimed_by, last_finished_at FROM core_jobrun WHERE name = %s",
                ("core.send_email",),
            )
            assert f":{first.pid}:" in holder[0][0] and holder[0][1] is None, output()
            assert smtp.subjects() == []

            os.kill(first.pid, signal.SIGKILL)
            killed_at = datetime.datetime.now(tz=datetime.UTC)
            first.wait(timeout=10)

            def finished_run():
                return shared.query(
                    "SELECT claimed_by, last_started_at, runs FROM core_jobrun "
                    "WHERE name = %s AND last_finished_at IS NOT NULL",
                    ("core.send_email",),
                )

            _wait(finished_run, 3 * POLL, "the takeover", output)
            claimed_by, started_at, runs = finished_run()[0]
            if isinstance(started_at, str):  # SQLite read without Django
                started_at = datetime.datetime.fromisoformat(started_at)
            if started_at.tzinfo is None:
                started_at = started_at.replace(tzinfo=datetime.UTC)
            assert f":{second.pid}:" in claimed_by
            taken_over_after = (started_at - killed_at).total_seconds()
            print(f"taken over {taken_over_after:.1f} s after the kill (poll interval {POLL} s)")
            assert 0 < taken_over_after <= POLL, (taken_over_after, output())
            assert runs == 1 and smtp.subjects() == ["kill-drill"]

            message = shared.query(
                "SELECT status, attempts FROM core_outgoingemail WHERE subject = %s",
                ("kill-drill",),
            )
            assert message == [("sent", 2)]  # the interrupted attempt counts as one
            time.sleep(1.5)
            assert smtp.subjects() == ["kill-drill"]  # once, not twice
        finally:
            for proc in procs:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
