"""The staff workbench: each app contributes the queues of work waiting for the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Queue:
    """One box on the workbench: a title, a count and the first few rows."""

    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    url: str = ""
    tone: str = "normal"  # normal | warning | danger
    empty_text: str = "暂无待办"


Provider = Callable[[HttpRequest], list[Queue]]
_PROVIDERS: list[tuple[int, Provider]] = []


def register(provider: Provider, order: int = 100) -> None:
    if all(p is not provider for _, p in _PROVIDERS):
        _PROVIDERS.append((order, provider))


def queues_for(request: HttpRequest) -> list[Queue]:
    result: list[Queue] = []
    for _, provider in sorted(_PROVIDERS, key=lambda p: p[0]):
        result.extend(provider(request))
    return result
