"""Rate limits for public forms, per client address and per form ("scope").

Counters are fixed windows, one per address, scope and window, shared by every server process:
in Redis when REDIS_URL is set (one atomic INCR, expiring with its window), otherwise in a
database table (a conditional UPDATE, or an INSERT for the window's first hit). The per-process
default cache would let each process count on its own. The address is kept only as a keyed
digest. Should Redis be unreachable, counting falls back to the database table, so the limits
still hold.

Limits come from `settings.RATELIMITS` ({scope: "N/period;N/period"}, period s, m, h or d with an
optional multiplier such as 15m), falling back to DEFAULT_LIMITS; `RATELIMIT_ENABLED = False`
switches counting off. Use in a view:

    decision = ratelimit.hit_request(request, "mailbox.submit")
    if not decision.allowed:
        return ratelimit.too_many_requests(request, decision)

or decorate it with `@ratelimit.limit("mailbox.status")` (counts POSTs by default).
"""

from __future__ import annotations

import datetime
import functools
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from gongkai.lib.request_context import client_ip_of

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_LIMITS",
    "Decision",
    "Rate",
    "hit",
    "hit_request",
    "limit",
    "parse_rates",
    "rates_for",
    "too_many_requests",
]

# Sensible defaults for a township site; override per scope with RATELIMITS.
DEFAULT_LIMITS: dict[str, str] = {
    "mailbox.submit": "5/h;20/d",  # letters per address
    "mailbox.attempt": "30/10m",  # form posts per address, valid or not (guessing the CAPTCHA)
    "mailbox.status": "10/15m;50/d",  # status look-ups: number + query code
    "applications.submit": "5/h;20/d",
    "applications.status": "10/15m;50/d",
    "applications.resend": "5/h;10/d",  # "forgot my code": number + contact guesses
}
FALLBACK = "30/10m"

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until the fullest window ends
    scope: str = ""


def parse_rates(text: str) -> list[Rate]:
    """ "5/h;20/d" → [Rate(5, 3600), Rate(20, 86400)]; ValueError naming the bad part."""
    rates = []
    for part in str(text).split(";"):
        if not part.strip():
            continue
        match = _RATE.match(part)
        if not match:
            raise ValueError(f"bad rate {part!r}: expected N/period, e.g. 5/h or 20/15m")
        count, multiplier, unit = match.groups()
        rates.append(Rate(int(count), int(multiplier or 1) * _UNITS[unit]))
    if not rates:
        raise ValueError("empty rate")
    return rates


def rates_for(scope: str) -> list[Rate]:
    configured = getattr(settings, "RATELIMITS", {}) or {}
    return parse_rates(configured.get(scope) or DEFAULT_LIMITS.get(scope) or FALLBACK)


def _key_digest(scope: str, key: str) -> str:
    return salted_hmac("gongkai.lib.ratelimit", f"{scope}\x00{key}").hexdigest()


_redis_clients: dict[str, Any] = {}


def _redis() -> Any | None:
    """A client for REDIS_URL (one per process and URL), or None without Redis."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    client = _redis_clients.get(url)
    if client is None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=1, retry=Retry(NoBackoff(), 1)
        )
        _redis_clients[url] = client
    return client


def _increment_redis(client: Any, scope: str, digest: str, rate: Rate, window_start: int) -> int:
    key = f"gongkai:ratelimit:{scope}:{digest}:{rate.seconds}:{window_start}"
    pipe = client.pipeline(transaction=True)  # MULTI/EXEC: the count and its expiry together
    pipe.incr(key)
    pipe.expireat(key, window_start + rate.seconds + 1)
    count, _ = pipe.execute()
    return int(count)


def _increment(scope: str, digest: str, rate: Rate, window_start: int) -> int:
    client = _redis()
    if client is not None:
        try:
            return _increment_redis(client, scope, digest, rate, window_start)
        except Exception:
            logger.warning("rate limit: Redis unreachable, counting in the database", exc_info=True)
    return _increment_db(scope, digest, rate, window_start)


def _increment_db(scope: str, digest: str, rate: Rate, window_start: int) -> int:
    from gongkai.interaction.models import RateCounter

    lookup = {"scope": scope, "key": digest, "period": rate.seconds, "window_start": window_start}
    with transaction.atomic():
        if not RateCounter.objects.filter(**lookup).update(count=F("count") + 1):
            expires = datetime.datetime.fromtimestamp(window_start + rate.seconds, tz=datetime.UTC)
            try:
                with transaction.atomic():
                    RateCounter.objects.create(count=1, expires_at=expires, **lookup)
            except IntegrityError:
                # Another process created the row between our UPDATE and INSERT.
                RateCounter.objects.filter(**lookup).update(count=F("count") + 1)
        return RateCounter.objects.filter(**lookup).values_list("count", flat=True).get()


def hit(
    scope: str, key: str, *, rates: list[Rate] | None = None, now: float | None = None
) -> Decision:
    """Count one attempt of `key` (an address) on `scope`; allowed while every window holds."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return Decision(allowed=True, scope=scope)
    now = time.time() if now is None else now
    digest = _key_digest(scope, key)
    retry_after = 0
    for rate in rates or rates_for(scope):
        window_start = int(now // rate.seconds * rate.seconds)
        if _increment(scope, digest, rate, window_start) > rate.count:
            retry_after = max(retry_after, math.ceil(window_start + rate.seconds - now))
    return Decision(allowed=retry_after == 0, retry_after=retry_after, scope=scope)


def client_key(request: HttpRequest) -> str:
    return client_ip_of(request) or "unknown"


def hit_request(request: HttpRequest, scope: str) -> Decision:
    return hit(scope, client_key(request))


def _wait_text(seconds: int) -> str:
    if seconds >= 3600:
        return gettext("%(n)s 小时") % {"n": math.ceil(seconds / 3600)}
    if seconds >= 60:
        return gettext("%(n)s 分钟") % {"n": math.ceil(seconds / 60)}
    return gettext("%(n)s 秒") % {"n": max(seconds, 1)}


def too_many_requests(request: HttpRequest, decision: Decision) -> HttpResponse:
    """The 429 page: says plainly what happened and how long to wait; nothing was saved."""
    response = render(
        request, "lib/ratelimited.html", {"wait": _wait_text(decision.retry_after)}, status=429
    )
    response["Retry-After"] = str(max(decision.retry_after, 1))
    return response


def limit(scope: str, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """View decorator: count each request with one of `methods`; answer 429 past the limit."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                decision = hit_request(request, scope)
                if not decision.allowed:
                    return too_many_requests(request, decision)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete counters whose window has ended (a job calls this)."""
    from gongkai.interaction.models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
