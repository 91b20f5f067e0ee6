"""The background worker: runs each registered job when it is due.

All scheduling state is in the JobRun table, so any number of workers may run (each job is
claimed with a conditional UPDATE, and only one claim wins), and a worker started after days
down runs every overdue job on its first pass.
"""

from __future__ import annotations

import datetime
import logging
import os
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
    return Q(last_started_at__isnull=True) | Q(
        last_started_at__lte=now - datetime.timedelta(seconds=job.every_seconds)
    )


def _is_free(job: Job, now: datetime.datetime) -> Q:
    """Not running: never started, finished since its last start, or its claim is abandoned."""
    return (
        Q(last_started_at__isnull=True)
        | Q(last_finished_at__gte=F("last_started_at"))
        | Q(last_started_at__lt=now - datetime.timedelta(seconds=job.timeout_seconds))
    )


def claim(job: Job, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Mark `job` as started if it is due and nobody runs it; returns the claim time, or None
    when it is not due or another worker holds it. One UPDATE, so only one claimant wins."""
    now = now or timezone.now()
    JobRun.objects.get_or_create(name=job.name)
    won = (
        JobRun.objects.filter(name=job.name)
        .filter(_is_due(job, now) & _is_free(job, now))
        .update(last_started_at=now)
    )
    return now if won else None


def finish(job: Job, started_at: datetime.datetime, *, result: str = "", error: str = "") -> None:
    # Only our own claim is updated: if ours was declared abandoned and another worker re-ran the
    # job meanwhile, its record wins.
    JobRun.objects.filter(name=job.name, last_started_at=started_at).update(
        last_finished_at=max(timezone.now(), started_at),
        last_result=result[:200],
        last_error=error,
        runs=F("runs") + 1,
    )


def run_job(job: Job, started_at: datetime.datetime) -> Outcome:
    """Run a claimed job; a failure is logged and recorded, never raised."""
    began = time.monotonic()
    try:
        value = job.func()
    except Exception as exc:
        seconds = time.monotonic() - began
        logger.exception("job %s failed after %.1fs", job.name, seconds)
        error = "".join(traceback.format_exception(exc))[-10000:]
        _refresh_connections()
        finish(job, started_at, result="失败", error=error)
        return Outcome(job.name, ok=False, error=f"{type(exc).__name__}: {exc}", seconds=seconds)
    seconds = time.monotonic() - began
    result = "" if value is None else str(value)
    logger.info("job %s done in %.1fs%s", job.name, seconds, f": {result}" if result else "")
    finish(job, started_at, result=result)
    return Outcome(job.name, ok=True, result=result, seconds=seconds)


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
        if missing:
            # Jobs of new code on an old schema would fail; `gongkai serve` (or `gongkai migrate`)
            # brings the database up to date and the worker carries on by itself.
            if not waiting_logged and missing > 0:
                logger.warning(
                    "the database is not up to date (%s migrations missing); "
                    "waiting for `gongkai migrate`",
                    missing,
                )
                waiting_logged = True
        else:
            waiting_logged = False
            try:
                run_due_jobs(jobs, stop=stop)
            except Exception:
                # Recording a result failed (the database went away mid-pass): the claims
                # time out and the next passes pick the jobs up again.
                logger.exception("worker pass failed")
        # Sleep in short steps so an orphaned worker notices quickly too.
        deadline = time.monotonic() + poll
        while not stop.is_set() and time.monotonic() < deadline and not _parent_gone():
            stop.wait(min(2.0, max(0.0, deadline - time.monotonic())))
    _refresh_connections()
    logger.info("worker stopped (pid %s)", os.getpid())
