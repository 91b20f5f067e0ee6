from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from gongkai.accounts.actions import home_unit
from gongkai.audit.log import record

# Set in the fresh session after an idle sign-out, so the sign-in page can say why.
IDLE_FLAG = "signed_out_idle"


class IdleTimeoutMiddleware:
    """Ends a staff session after SESSION_IDLE_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - int(last) > settings.SESSION_IDLE_MINUTES * 60:
                record(
                    actor=user,
                    action="accounts.session_expired",
                    obj=user,
                    unit=home_unit(user),
                )
                logout(request)
                request.session[IDLE_FLAG] = True
            else:
                request.session["last_seen"] = now
        return self.get_response(request)
