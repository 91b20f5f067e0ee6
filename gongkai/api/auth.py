"""Bearer-token authentication for the API: `Authorization: Bearer <token>`.

A token is looked up by its SHA-256 (the token itself is never stored). It works while it is not
revoked, not past its expiry and its user is active; the request then acts as that user, with the
same permissions as in the web pages, narrowed by the token's scope: every token may read, and a
write (any method but GET, HEAD, OPTIONS) needs the write area the path belongs to (WRITE_PATHS).
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from gongkai.accounts.models import ApiToken, TokenScope, User

# last_used_at is written at most this often per token, so busy clients do not write each call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
API_ROOT = "/api/v1/"
# The write area of each path under /api/v1/ (first matching prefix). A write to a path in no area
# is refused to every token: a new endpoint must be given its area here (a test checks).
WRITE_PATHS: tuple[tuple[str, str], ...] = (
    ("staff/catalog/", TokenScope.CATALOG),
    # Handing published items over to the archive belongs with the catalog.
    ("staff/archives", TokenScope.CATALOG),
    ("applications", TokenScope.APPLICATIONS),
    ("mailbox/", TokenScope.INTERACTION),
    ("hotline/", TokenScope.INTERACTION),
    ("reading-point/", TokenScope.INTERACTION),
    ("staff/annual-reports/", TokenScope.REPORTS),
    ("inspection/", TokenScope.INSPECTION),
)


def area_of(path: str) -> str | None:
    """The write area a request path belongs to, or None."""
    _, _, rest = path.partition(API_ROOT)
    for prefix, area in WRITE_PATHS:
        if rest.startswith(prefix):
            return str(area)
    return None


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        now = timezone.now()
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None or row.is_expired(now):
            return None
        if request.method not in SAFE_METHODS and not row.may_write(area_of(request.path)):
            raise AuthorizationError(
                message="此令牌的权限范围不包括这项修改操作（只读或未授权的业务范围）。"
            )
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            # Conditional, so concurrent calls write once.
            ApiToken.objects.filter(pk=row.pk, last_used_at=row.last_used_at).update(
                last_used_at=now
            )
        request.user = row.user
        return row.user


token_auth = TokenAuth()
