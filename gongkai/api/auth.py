"""Bearer-token authentication for the API: `Authorization: Bearer <token>`.

A token is looked up by its SHA-256 (the token itself is never stored). It works while it is not
revoked and its user is active; the request then acts as that user, with the same permissions as
in the web pages.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from gongkai.accounts.models import ApiToken, User

# last_used_at is written at most this often per token, so busy clients do not write each call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            # Conditional, so concurrent calls write once.
            ApiToken.objects.filter(pk=row.pk, last_used_at=row.last_used_at).update(
                last_used_at=now
            )
        request.user = row.user
        return row.user


token_auth = TokenAuth()
