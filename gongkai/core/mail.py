"""Queue e-mail through the outbox (see OutgoingEmail)."""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.core.models import OutgoingEmail


def enqueue_email(*, to: Iterable[str], subject: str, body: str) -> OutgoingEmail | None:
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    return OutgoingEmail.objects.create(to=recipients, subject=subject[:200], body=body)
