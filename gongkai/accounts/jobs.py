"""Background jobs of accounts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from gongkai.accounts.models import LoginFailure
from gongkai.core.jobs import job

# Failures older than this no longer decide anything; the audit log keeps the history.
KEEP_FAILURES = datetime.timedelta(days=1)


@job("accounts.prune_login_failures", every_seconds=3600)
def prune_login_failures() -> int:
    """Delete sign-in failures that have aged out of every lockout window."""
    keep = max(KEEP_FAILURES, datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES))
    deleted, _rows = LoginFailure.objects.filter(at__lt=timezone.now() - keep).delete()
    return deleted
