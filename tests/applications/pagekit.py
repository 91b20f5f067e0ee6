"""Helpers for the page tests of applications: form data, posting a step, the online form."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from tests.applications.conftest import applicant

D = datetime.date


def iso(day: datetime.date) -> str:
    return day.isoformat()


def online_form(**overrides: Any) -> dict[str, Any]:
    """What a citizen types into the portal form (CAPTCHA answered in test mode)."""
    data = applicant(**overrides)
    data.setdefault("form_token", overrides.get("form_token", ""))
    data["captcha_answer"] = "PASSED"
    data["captcha_token"] = ""
    return {k: v for k, v in data.items() if v is not None}


def step(client, app, name: str, **fields: Any):
    """POST one step of the case page; field names get the step's prefix."""
    data = {
        f"{name}-{k}": (iso(v) if isinstance(v, datetime.date) else v) for k, v in fields.items()
    }
    extra = {k: data.pop(f"{name}-{k}") for k in ("verdict", "from") if f"{name}-{k}" in data}
    data.update(extra)
    return client.post(reverse("applications:step", args=[app.pk, name]), data)


def text_of(response) -> str:
    return response.content.decode()
