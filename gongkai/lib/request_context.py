"""Who and from where the current request comes, for audit rows written deep inside actions."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip_of(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT allows."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def set_client_ip(ip: str | None) -> object:
    return _client_ip.set(ip)


def reset_client_ip(token: object) -> None:
    _client_ip.reset(token)  # type: ignore[arg-type]


def current_client_ip() -> str | None:
    return _client_ip.get()
