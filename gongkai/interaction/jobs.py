"""Background jobs of interaction. Each derives its work from the database and is idempotent."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.jobs import job


@job("interaction.remind_overdue_letters", every_seconds=3600)
def remind_overdue_letters() -> int:
    """E-mail the department (and the organ's handlers) once about a forwarded letter that is
    past its due date; `due_reminded_for` remembers the due date reminded about."""
    from django.conf import settings

    from gongkai.accounts import permissions
    from gongkai.core.mail import enqueue_email
    from gongkai.interaction.actions import emails_of_role_holders
    from gongkai.interaction.models import Letter, LetterStatus, MailboxSettings

    today = timezone.localdate()
    sent = 0
    candidates = Letter.objects.filter(status=LetterStatus.FORWARDED, due_date__lt=today)
    for letter_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            letter = (
                Letter.objects.select_for_update(of=("self",))
                .select_related("unit", "forwarded_to")
                .filter(pk=letter_id, status=LetterStatus.FORWARDED)
                .first()
            )
            if letter is None or letter.due_reminded_for == letter.due_date:
                continue
            dept, due = letter.forwarded_to, letter.due_date
            if dept is None or due is None:  # the constraint says a forwarded letter has both
                continue
            handlers = list(permissions.PERMISSIONS["interaction.handle"])
            recipients = emails_of_role_holders(dept, handlers, exact=True)
            recipients += emails_of_role_holders(
                letter.unit, [MailboxSettings.for_unit(letter.unit).handler_role], exact=True
            )
            enqueue_email(
                to=recipients,
                subject=_("来信 %(number)s 已超过办理期限") % {"number": letter.number},
                body=_(
                    "转给%(dept)s的来信《%(subject)s》（编号 %(number)s）应于 %(due)s 前办结，"
                    "目前仍未答复。\n办理：%(link)s\n"
                )
                % {
                    "dept": dept.short_name,
                    "subject": letter.subject,
                    "number": letter.number,
                    "due": due.isoformat(),
                    "link": settings.SITE_URL
                    + reverse("interaction:staff_letter", args=[letter.pk]),
                },
            )
            Letter.objects.filter(pk=letter.pk).update(due_reminded_for=letter.due_date)
            sent += 1
    return sent


@job("interaction.purge_abuse_counters", every_seconds=3600)
def purge_abuse_counters() -> int:
    """Forget rate-limit windows that have ended and CAPTCHA nonces whose tokens expired."""
    from gongkai.lib import captcha, ratelimit

    return ratelimit.purge_expired() + captcha.purge_spent()
