"""Background jobs. A job derives everything it needs from the database and is idempotent, so a
worker that was down for days catches up on its first pass (nothing lives only in a queue)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], int | None]
    every_seconds: int


_JOBS: dict[str, Job] = {}


def job(name: str, every_seconds: int = 60) -> Callable[[Callable[[], int | None]], Callable[[], int | None]]:
    """Register `func` as a background job run at most every `every_seconds`."""

    def decorate(func: Callable[[], int | None]) -> Callable[[], int | None]:
        _JOBS[name] = Job(name=name, func=func, every_seconds=every_seconds)
        return func

    return decorate


def all_jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda j: j.name)
