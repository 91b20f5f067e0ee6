"""Background jobs. A job derives everything it needs from the database and is idempotent, so a
worker that was down for days catches up on its first pass (nothing lives only in a queue).

Register a job in the app's `jobs.py` (the worker imports every installed app's `jobs` module):

    from gongkai.core.jobs import job

    @job("catalog.publish_scheduled", every_seconds=60)
    def publish_scheduled() -> int:
        ...  # returns how many rows it handled, or None

The worker (gongkai/core/worker.py) runs a job when `last_started_at + every_seconds` has passed,
after claiming it with a conditional UPDATE of its JobRun row. While the job runs its worker keeps
a heartbeat on the claim; a claim whose heartbeat stopped (the worker was killed) is taken over
by the next worker to look, within one poll interval, and the job runs again from the start
(which is why a job must be idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

JobFunc = Callable[[], int | None]


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc
    every_seconds: int


_JOBS: dict[str, Job] = {}


def job(name: str, every_seconds: int = 60) -> Callable[[JobFunc], JobFunc]:
    """Register `func` as a background job run at most every `every_seconds`."""
    if every_seconds < 1:
        raise ValueError("every_seconds must be positive")
    if len(name) > 80:
        raise ValueError("job names are at most 80 characters (JobRun.name)")

    def decorate(func: JobFunc) -> JobFunc:
        _JOBS[name] = Job(name=name, func=func, every_seconds=every_seconds)
        return func

    return decorate


def all_jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda j: j.name)


# Core's own jobs live here, in the module the worker imports for the core app. The imports
# stay inside the functions: other apps import this module for the decorator alone.


@job("core.send_email", every_seconds=30)
def send_email() -> int:
    """Send the e-mail outbox (OutgoingEmail rows), with retries and stuck-claim recovery."""
    from gongkai.core.mail import send_queued
    from gongkai.core.worker import current_claim_started_at

    # Only the worker holding this job's claim sends, so a message still "sending" from before
    # the claim was left by a worker that died mid-send: it goes back in the queue now.
    return send_queued(abandoned_before=current_claim_started_at())


@job("core.clear_sessions", every_seconds=24 * 3600)
def clear_sessions() -> None:
    """Delete expired sessions, so the session table does not grow for ever."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
