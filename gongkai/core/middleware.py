from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongkai.lib.request_context import client_ip_of, reset_client_ip, set_client_ip


class RequestContextMiddleware:
    """Makes the client's address available to audit rows written inside actions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_client_ip(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)
