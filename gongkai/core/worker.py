"""The background worker: runs each registered job when it is due.

All scheduling state is in the JobRun table, so any number of workers may run (each job is
claimed with a conditional UPDATE, and only one claim wins), and a worker started after days
down runs every overdue job on its first pass.

While a job runs, a thread of its worker refreshes the claim's heartbeat every
`heartbeat_seconds()`; a claim whose heartbeat is older than `stale_after()` (three missed beats,
less than one poll interval) belongs to a worker that was killed or lost its machine, and the next
worker to look takes the job over. A worker that finds a job held by someone else wakes again when
that claim would go stale, so a killed worker's job resumes within one poll interval.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import socket
import threading
import time
import traceback
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from gongkai.core.jobs import Job, all_jobs
from gongkai.core.models import JobRun

logger = logging.getLogger(__name__)

# `gongkai serve` sets this in the environment of the worker it starts: the worker stops when
# that server process is gone, so a killed server leaves no orphan behind.
PARENT_PID_ENV = "GONGKAI_WORKER_PARENT_PID"


@dataclass
class Outcome:
    job: str
    ok: bool
    result: str = ""
    error: str = ""
    seconds: float = 0.0


def discover_jobs() -> list[Job]:
    """Import every installed app's `jobs` module and return the registered jobs."""
    autodiscover_modules("jobs")
    return all_jobs()


def _refresh_connections() -> None:
    """Drop broken or expired database connections between jobs (a database restart must not
    kill the worker), but never inside a caller's transaction."""
    if not connection.in_atomic_block:
        close_old_connections()


def _is_due(job: Job, now: datetime.datetime) -> Q:
    """Never run, its interval has passed, or its last run never finished (a dead worker's run
    is due again at once, not after the job's interval; `_is_free` decides whether it is dead)."""
    return (
        Q(last_started_at__isnull=True)
        | Q(last_started_at__lte=now - datetime.timedelta(seconds=job.every_seconds))
        | _running()
    )


# Who holds a claim: host, process and a random part (a pid comes back after a restart).
WORKER_ID = f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


def heartbeat_seconds() -> float:
    """How often a running job's claim is refreshed: a quarter of the poll interval (>= 1 s)."""
    return max(1.0, settings.WORKER_POLL_SECONDS / 4)


def stale_after() -> datetime.timedelta:
    """A claim whose heartbeat is this old belongs to a dead worker: three missed beats."""
    return datetime.timedelta(seconds=3 * heartbeat_seconds())


def _running() -> Q:
    """Started and not finished since (whether its worker still lives or not)."""
    return Q(last_started_at__isnull=False) & (
        Q(last_finished_at__isnull=True) | Q(last_finished_at__lt=F("last_started_at"))
    )


def _is_free(now: datetime.datetime) -> Q:
    """Not running, or running under a claim whose heartbeat has stopped. A claim without a
    heartbeat at all was made before heartbeats existed and counts as stale."""
    return ~_running() | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - stale_after())


# The claim of the job this thread is running, for jobs that hand out claims of their own (the
# e-mail outbox): anything they claimed before it belongs to a run that is over or dead.
_current = threading.local()


def current_claim_started_at() -> datetime.datetime | None:
    return getattr(_current, "started_at", None)


def claim(job: Job, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Mark `job` as started if it is due and nobody runs it; returns the claim time, or None
    when it is not due or another worker holds it. One UPDATE, so only one claimant wins."""
    now = now or timezone.now()
    JobRun.objects.get_or_create(name=job.name)
    won = (
        JobRun.objects.filter(name=job.name)
        .filter(_is_due(job, now) & _is_free(now))
        .update(last_started_at=now, heartbeat_at=now, claimed_by=WORKER_ID)
    )
    return now if won else None


def _ours(job: Job, started_at: datetime.datetime):
    return JobRun.objects.filter(name=job.name, last_started_at=started_at, claimed_by=WORKER_ID)


def finish(job: Job, started_at: datetime.datetime, *, result: str = "", error: str = "") -> None:
    # Only our own claim is updated: if ours was declared abandoned and another worker re-ran the
    # job meanwhile, its record wins.
    _ours(job, started_at).update(
        last_finished_at=max(timezone.now(), started_at),
        last_result=result[:200],
        last_error=error,
        runs=F("runs") + 1,
    )


class Heartbeat:
    """A thread that refreshes the claim on `job` until stopped; its own database connection."""

    def __init__(self, job: Job, started_at: datetime.datetime) -> None:
        self.job = job
        self.started_at = started_at
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"heartbeat {job.name}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(heartbeat_seconds()):
                try:
                    if not _ours(self.job, self.started_at).update(heartbeat_at=timezone.now()):
                        # Declared dead and taken over (the database was away too long): the
                        # other run's record wins; ours finishes without overwriting it.
                        logger.warning("job %s: claim taken over by another worker", self.job.name)
                        return
                except Exception:
                    logger.warning("job %s: heartbeat failed", self.job.name, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()


def run_job(job: Job, started_at: datetime.datetime) -> Outcome:
    """Run a claimed job; a failure is logged and recorded, never raised."""
    began = time.monotonic()
    _current.started_at = started_at
    try:
        with Heartbeat(job, started_at):
            value = job.func()
    except Exception as exc:
        seconds = time.monotonic() - began
        logger.exception("job %s failed after %.1fs", job.name, seconds)
        error = "".join(traceback.format_exception(exc))[-10000:]
        _refresh_connections()
        finish(job, started_at, result="失败", error=error)
        return Outcome(job.name, ok=False, error=f"{type(exc).__name__}: {exc}", seconds=seconds)
    finally:
        _current.started_at = None
    seconds = time.monotonic() - began
    result = "" if value is None else str(value)
    logger.info("job %s done in %.1fs%s", job.name, seconds, f": {result}" if result else "")
    finish(job, started_at, result=result)
    return Outcome(job.name, ok=True, result=result, seconds=seconds)


def next_takeover(jobs: list[Job]) -> datetime.datetime | None:
    """When the earliest claim held by another worker goes stale if its heartbeat stops now."""
    beats = JobRun.objects.filter(
        _running(), name__in=[job.name for job in jobs], heartbeat_at__isnull=False
    ).values_list("heartbeat_at", flat=True)
    earliest = min(beats, default=None)
    return None if earliest is None else earliest + stale_after()


def run_due_jobs(
    jobs: list[Job] | None = None, *, stop: threading.Event | None = None
) -> list[Outcome]:
    """One pass: claim and run every job that is due. Returns what ran."""
    outcomes = []
    for job in discover_jobs() if jobs is None else jobs:
        if stop is not None and stop.is_set():
            break
        _refresh_connections()
        try:
            started_at = claim(job)
        except Exception:
            # The database is away (restart, network): try again on the next pass.
            logger.exception("could not claim job %s", job.name)
            continue
        if started_at is not None:
            outcomes.append(run_job(job, started_at))
    return outcomes


def pending_migrations() -> int:
    """How many migrations the database still lacks (the code was upgraded, `serve` not yet)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _parent_gone() -> bool:
    expected = os.environ.get(PARENT_PID_ENV)
    return bool(expected) and str(os.getppid()) != expected


def run_forever(stop: threading.Event, poll_seconds: int | None = None) -> None:
    """Pass after pass until `stop` is set (or the server that started us is gone)."""
    poll = poll_seconds or settings.WORKER_POLL_SECONDS
    jobs = discover_jobs()
    logger.info(
        "worker started (pid %s, every %ss): %s",
        os.getpid(),
        poll,
        ", ".join(j.name for j in jobs) or "no jobs",
    )
    waiting_logged = False
    while not stop.is_set():
        if _parent_gone():
            logger.warning("the server that started this worker is gone; stopping")
            break
        try:
            missing = pending_migrations()
        except Exception:
            logger.exception("could not read the database's migration state")
            missing = -1
        _refresh_connections()
        # Jobs of new code on an old schema would fail; `gongkai serve` (or `gongkai migrate`)
        # brings the database up to date and the worker carries on by itself.
        if missing > 0 and not waiting_logged:
            logger.warning(
                "the database is not up to date (%s migrations missing); "
                "waiting for `gongkai migrate`",
                missing,
            )
            waiting_logged = True
        wake_in = float(poll)
        if not missing:
            waiting_logged = False
            try:
                run_due_jobs(jobs, stop=stop)
                # A job held by another worker: look again when that claim would go stale, so a
                # killed worker's job does not wait for a whole further poll interval.
                takeover = next_takeover(jobs)
                if takeover is not None:
                    until = (takeover - timezone.now()).total_seconds() + 0.2
                    wake_in = min(wake_in, max(until, 1.0))
            except Exception:
                # Recording a result failed (the database went away mid-pass): the heartbeats
                # stop, the claims go stale and the next passes pick the jobs up again.
                logger.exception("worker pass failed")
        # Sleep in short steps so an orphaned worker notices quickly too.
        deadline = time.monotonic() + wake_in
        while not stop.is_set() and time.monotonic() < deadline and not _parent_gone():
            stop.wait(min(2.0, max(0.0, deadline - time.monotonic())))
    _refresh_connections()
    logger.info("worker stopped (pid %s)", os.getpid())
