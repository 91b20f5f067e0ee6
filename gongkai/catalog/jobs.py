"""The catalog's background jobs (imported by the worker). Each derives its work from the
database and is idempotent, so a worker that was stopped catches up on its next pass."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog import actions, checks, notify, rescan, timeliness
from gongkai.catalog.models import Finding, Item, Secrecy, VersionState
from gongkai.core.jobs import job


@job("catalog.publish_scheduled", every_seconds=60)
def publish_scheduled() -> int:
    """Publish signed-off versions whose go_live_at has come (through the publishing guard)."""
    return actions.publish_due()


@job("catalog.recheck_published", every_seconds=600)
def recheck_published() -> int:
    """Go on with the rescan of every public version (rescan.py: a new run after a change of
    the rules and once a day, newest first, resumable) and tell the 公开办 and the 保密审查员
    about findings nobody has been told about yet. Returns how many."""
    now = timezone.now()
    rescan.run(now=now)
    unnotified = Finding.objects.filter(
        version__state=VersionState.PUBLISHED, notified_at__isnull=True, cleared_at__isnull=True
    ).select_related("version__item__unit")
    by_version: dict[int, list[Finding]] = {}
    for finding in unnotified:
        by_version.setdefault(finding.version_id, []).append(finding)
    for found in by_version.values():
        version = found[0].version
        item = version.item
        with transaction.atomic():
            link = notify.item_link(item.pk)
            for perm in ("catalog.office_review", "catalog.secrecy_review"):
                notify.email_perm(
                    perm,
                    item.unit,
                    subject=_("【已发布信息检查发现问题】%(t)s") % {"t": version.title},
                    body="\n".join(
                        [
                            _("复查在已发布的信息“%(t)s”（索引号 %(n)s）中发现：%(what)s。")
                            % {
                                "t": version.title,
                                "n": item.index_number,
                                "what": checks.summary_line(found),
                            },
                            _("请核实；含个人信息时请立即紧急撤回，再修订为新版本。"),
                            link,
                        ]
                    ),
                )
            Finding.objects.filter(pk__in=[f.pk for f in found]).update(notified_at=now)
    return sum(len(f) for f in by_version.values())


@job("catalog.withheld_reminders", every_seconds=6 * 3600)
def withheld_reminders() -> int:
    """Remind the office and the 保密审查员 once when a withheld item is due for re-assessment."""
    today = timezone.localdate()
    due = Item.objects.filter(reassess_due__lte=today).exclude(secrecy=Secrecy.SECRET)
    reminded = 0
    for item in due.select_related("unit"):
        if item.reassess_reminded_for == item.reassess_due:
            continue
        version = item.current_version()
        title = version.title if version else str(item.pk)
        with transaction.atomic():
            for perm in ("catalog.office_review", "catalog.secrecy_review"):
                notify.email_perm(
                    perm,
                    item.unit,
                    subject=_("【不予公开信息待复核】%(t)s") % {"t": title},
                    body="\n".join(
                        [
                            _("“%(t)s”于 %(d)s 到期复核（条例第十八条）。不予公开理由：%(r)s")
                            % {"t": title, "d": item.reassess_due, "r": item.disclosure_reason},
                            notify.item_link(item.pk),
                        ]
                    ),
                )
            Item.objects.filter(pk=item.pk).update(reassess_reminded_for=item.reassess_due)
        reminded += 1
    return reminded


@job("catalog.due_dates", every_seconds=3600)
def fill_unknown_due_dates() -> int:
    """Compute the due dates that were unknown for lack of calendar data, once it arrives."""
    return timeliness.recompute_unknown()
