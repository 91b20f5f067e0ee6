"""The public version of an exchange: proposed with the writer's data taken out, checked again
before a clerk submits it and before a leader approves it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.interaction import redaction
from gongkai.interaction.models import Letter
from gongkai.lib import textextract

PUBLIC_FIELDS = ("public_subject", "public_content", "public_reply")


def writer_identifiers(letter: Letter) -> dict:
    """What `redaction` needs: the writer's name and contacts, and the organ's own contact data
    (its hotline in a reply is meant to be public)."""
    units = [u for u in (letter.unit, letter.answered_unit, letter.forwarded_to) if u is not None]
    return {
        "names": [letter.writer_name],
        "contacts": [c for c in (letter.writer_phone, letter.writer_email) if c],
        "allowed": redaction.Allowed.of(
            phones=[u.phone for u in units if u.phone], emails=[u.email for u in units if u.email]
        ),
    }


def proposed_public_version(letter: Letter) -> dict[str, str]:
    """The saved public version, or a first one with the writer's data and numbers taken out."""
    who = writer_identifiers(letter)
    return {
        "public_subject": letter.public_subject or redaction.redact(letter.subject, **who),
        "public_content": letter.public_content or redaction.redact(letter.content, **who),
        "public_reply": letter.public_reply or redaction.redact(letter.reply, **who),
    }


def publication_findings(letter: Letter, texts: dict[str, str]) -> list[redaction.Finding]:
    who = writer_identifiers(letter)
    found: list[redaction.Finding] = []
    for key in PUBLIC_FIELDS:
        found.extend(redaction.findings(texts.get(key) or "", **who))
    return sorted(found, key=lambda f: f.severity != "high")


def check_public_texts(letter: Letter, texts: dict[str, str]) -> dict[str, str]:
    """The cleaned public texts; ValidationError while one is empty or anything personal is left."""
    cleaned = {key: (texts.get(key) or "").strip() for key in PUBLIC_FIELDS}
    errors = {key: _("公开版本不能为空。") for key, value in cleaned.items() if not value}
    if errors:
        raise ValidationError(errors)
    if len(cleaned["public_subject"]) > 100:
        raise ValidationError({"public_subject": _("公开标题不能超过 100 字。")})
    serious = [f for f in publication_findings(letter, cleaned) if f.severity == "high"]
    if serious:
        raise ValidationError(
            _("公开版本中仍有个人信息，请删除后再提交：%(list)s")
            % {"list": "；".join(f"{f.label}「{f.text}」" for f in serious)}
        )
    return cleaned


def check_public_attachment(letter: Letter, confirmed: bool) -> None:
    """A leader has looked at every page, and the readable text holds nothing personal."""
    if not letter.attachment:
        raise ValidationError({"publish_attachment": _("这封信没有附件。")})
    if not confirmed:
        raise ValidationError(
            {
                "attachment_checked": _(
                    "公开附件前，请打开附件逐页查看，确认其中没有来信人的个人信息，并勾选确认。"
                )
            }
        )
    try:
        with letter.attachment.open("rb") as fh:
            text = textextract.extract(fh.read(), letter.attachment_name).text
    except (textextract.ExtractError, OSError):
        text = ""
    serious = [
        f for f in redaction.findings(text, **writer_identifiers(letter)) if f.severity == "high"
    ]
    if serious:
        raise ValidationError(
            {
                "publish_attachment": _("附件中含有个人信息（%(kinds)s），不能公开附件。")
                % {"kinds": "、".join(sorted({f.label for f in serious}))}
            }
        )
