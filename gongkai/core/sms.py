"""Text messages (短信) to applicants, through a pluggable gateway.

`settings.SMS_BACKEND` names a class with a `send(phone, text)` method; the default
(ConsoleSmsBackend) writes the message to the log, so development and a site without an SMS
contract lose nothing. An office's provider (the SMS services of the big cloud platforms, or a
government SMS platform) is connected by writing a subclass of BaseSmsBackend that calls the
provider's API with the credentials in SMS_OPTIONS, and naming it in SMS_BACKEND: see "Text
messages" in docs/configuration.md.

`send_sms` runs after the surrounding transaction commits, so a rolled-back change sends
nothing, and a gateway failure is logged without undoing the change that sent the message."""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class BaseSmsBackend:
    """The adapter point: subclass and implement `send`. `options` is settings.SMS_OPTIONS
    (key=value pairs: account, key, signature, template id, as the provider needs)."""

    def __init__(self, options: dict[str, str] | None = None) -> None:
        self.options = dict(options or {})

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Development: the message goes to the log instead of a phone."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: messages are kept in `outbox` (a list of (phone, text))."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        type(self).outbox.append((phone, text))


def mobile_number(phone: str) -> str | None:
    """The mainland mobile number in `phone` (spaces, dashes and +86 ignored), or None for a
    landline or anything else a text message cannot reach."""
    digits = re.sub(r"[\s\-()（）]", "", phone or "")
    digits = digits.removeprefix("+86").removeprefix("0086")
    return digits if MOBILE.match(digits) else None


def get_backend() -> BaseSmsBackend:
    backend = import_string(getattr(settings, "SMS_BACKEND", "gongkai.core.sms.ConsoleSmsBackend"))
    return backend(getattr(settings, "SMS_OPTIONS", {}))


def send_sms(*, phone: str, text: str) -> bool:
    """Send `text` to `phone` once the transaction commits; False when `phone` is no mobile."""
    number = mobile_number(phone)
    if number is None:
        return False

    def _send() -> None:
        try:
            get_backend().send(number, text)
        except Exception:  # a gateway fault must not break the page that sent the message
            logger.exception("SMS to %s failed", number)

    transaction.on_commit(_send)
    return True
