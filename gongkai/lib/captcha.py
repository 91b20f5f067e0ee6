"""An accessible CAPTCHA for public forms, with no outside service and no image.

The question is a small sum written out in Chinese ("三加五等于几？"), so a screen reader reads it
aloud and an older visitor can answer it with digits ("8"), full-width digits ("８") or Chinese
numerals ("八"). The form carries a signed token (django.core.signing, so it expires) holding a
random nonce and a keyed digest of the answer (the answer itself is never in the page). A token
passes once: its nonce is written to a table when it is accepted, so a replayed token fails even
on another server process.

Use it by adding a field to any form (or inheriting CaptchaForm):

    class LetterForm(forms.Form):
        ...
        captcha = CaptchaField()

Each time the form is rendered the field asks a new question. Tests may set
`CAPTCHA_TEST_MODE = True`, in which the answer `TEST_ANSWER` passes without a token; the real
path keeps working in test mode, and production refuses to start with it on (settings.py).
"""

from __future__ import annotations

import datetime
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "TEST_ANSWER",
    "CaptchaError",
    "CaptchaField",
    "CaptchaForm",
    "CaptchaWidget",
    "Challenge",
    "new_challenge",
    "parse_answer",
    "solve_question",
    "verify",
]

TEST_ANSWER = "PASSED"
_SALT = "gongkai.lib.captcha"
_DIGITS = "零一二三四五六七八九"
_OPS = {"加": 1, "减": -1}


class CaptchaError(ValidationError):
    """The answer was wrong, the token expired, was tampered with or was already used."""


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def max_age_seconds() -> int:
    return int(getattr(settings, "CAPTCHA_MAX_AGE_MINUTES", 30)) * 60


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals: 7 → 七, 12 → 十二, 20 → 二十, 35 → 三十五."""
    if not 0 <= n < 100:
        raise ValueError("only 0–99")
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def parse_answer(text: str) -> int | None:
    """Read an answer in digits (half- or full-width) or Chinese numerals; None if unreadable."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    value = value.replace("两", "二").replace("〇", "零")
    if not value or len(value) > 6:
        return None
    if value.isascii() and value.isdigit():
        return int(value)
    if value.startswith("负"):
        inner = parse_answer(value[1:])
        return -inner if inner is not None else None
    if all(ch in _DIGITS for ch in value):
        return int("".join(str(_DIGITS.index(ch)) for ch in value))
    if value.count("十") == 1:
        head, _sep, tail = value.partition("十")
        if len(head) > 1 or len(tail) > 1 or not all(ch in _DIGITS for ch in head + tail):
            return None
        tens = _DIGITS.index(head) if head else 1
        ones = _DIGITS.index(tail) if tail else 0
        return tens * 10 + ones
    return None


def solve_question(question: str) -> int:
    """The answer to a question `new_challenge` asked (for tests driving a real browser)."""
    body = question.split("：")[-1].replace("等于几？", "")
    for word, sign in _OPS.items():
        if word in body:
            left, right = body.split(word)
            a, b = parse_answer(left), parse_answer(right)
            if a is None or b is None:
                break
            return a + sign * b
    raise ValueError(f"not a captcha question: {question!r}")


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge() -> Challenge:
    """A fresh question and its token. The sum stays within 0–20 so every answer is easy."""
    a = secrets.randbelow(10) + 1
    b = secrets.randbelow(10) + 1
    word = secrets.choice(list(_OPS))
    if word == "减" and b > a:
        a, b = b, a
    answer = a + _OPS[word] * b
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, answer)}, salt=_SALT)
    question = gettext("请计算：%(a)s%(op)s%(b)s等于几？") % {
        "a": chinese_number(a),
        "op": word,
        "b": chinese_number(b),
    }
    return Challenge(question=question, token=token)


def _spend(nonce: str) -> bool:
    """Record the nonce as used; False when it was used before (a replay)."""
    from gongkai.interaction.models import SpentCaptcha

    now = timezone.now()
    try:
        with transaction.atomic():
            SpentCaptcha.objects.create(
                nonce=nonce, expires_at=now + datetime.timedelta(seconds=max_age_seconds())
            )
    except IntegrityError:
        return False
    return True


def verify(token: str, answer: str) -> None:
    """Accept the answer once, or raise CaptchaError with a message for the visitor."""
    if getattr(settings, "CAPTCHA_TEST_MODE", False) and (answer or "").strip() == TEST_ANSWER:
        return
    if not (answer or "").strip():
        raise CaptchaError(gettext("请回答验证题。"), code="required")
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise CaptchaError(gettext("验证题已过期，请回答新的验证题。"), code="expired") from None
    except signing.BadSignature:
        raise CaptchaError(gettext("验证题无效，请回答新的验证题。"), code="invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        raise CaptchaError(gettext("验证题无效，请回答新的验证题。"), code="invalid")
    value = parse_answer(answer)
    if value is None or not hmac.compare_digest(
        _digest(payload["n"], value), str(payload.get("h"))
    ):
        raise CaptchaError(gettext("验证题答案不正确，请回答新的验证题。"), code="wrong")
    if not _spend(payload["n"]):
        raise CaptchaError(gettext("这道验证题已经用过，请回答新的验证题。"), code="replayed")


def purge_spent(now: datetime.datetime | None = None) -> int:
    """Forget used nonces whose tokens have expired anyway (a job calls this)."""
    from gongkai.interaction.models import SpentCaptcha

    deleted, _ = SpentCaptcha.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


class CaptchaWidget(forms.Widget):
    """A hidden token and a text box; every render asks a new question."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        return (data.get(f"{name}_token", ""), data.get(f"{name}_answer", ""))

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_answer" not in data

    def id_for_label(self, id_):
        return f"{id_}_answer" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        challenge = new_challenge()
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id") or f"id_{name}"
        invalid = attrs.get("aria-invalid")
        return format_html(
            '<span class="captcha">'
            '<span class="captcha-question" id="{qid}">{question}</span>'
            '<input type="hidden" name="{name}_token" value="{token}">'
            '<input type="text" name="{name}_answer" id="{aid}" inputmode="numeric" '
            'autocomplete="off" maxlength="6" required aria-describedby="{qid}"{invalid} '
            'class="captcha-answer">'
            '<span class="helptext">{hint}</span></span>',
            qid=f"{base_id}_question",
            question=challenge.question,
            name=name,
            token=challenge.token,
            aid=f"{base_id}_answer",
            invalid=format_html(' aria-invalid="{}"', invalid) if invalid else "",
            hint=gettext("填写数字即可，如 8"),
        )


class CaptchaField(forms.Field):
    widget = CaptchaWidget
    default_error_messages = {"required": _("请回答验证题。")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("验证题"))
        super().__init__(**kwargs)

    def clean(self, value):
        token, answer = value if isinstance(value, tuple | list) and len(value) == 2 else ("", "")
        verify(str(token), str(answer))
        return True


class CaptchaForm(forms.Form):
    """A base for public forms: its last field is the CAPTCHA."""

    captcha = CaptchaField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Keep the question after the subclass's own fields.
        self.fields["captcha"] = self.fields.pop("captcha")
