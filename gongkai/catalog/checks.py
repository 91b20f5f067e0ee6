"""The pre-publication confidentiality and personal-data checks of an item version (条例17;
"上网信息不涉密"). `gongkai.lib.scan` finds classification marks, identity and bank card numbers,
mobile numbers and e-mail addresses in the title, summary, body and the text of every
attachment; each hit is stored as a `Finding` with the text around it, so the reviewer sees it
in context. The organ's and the drafting unit's own published phone and e-mail are allowed.

Checks run when a version is submitted, again just before it is published, and every night over
everything published (jobs.recheck_published)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from gongkai.catalog.models import Attachment, Finding, FindingSource, Item, ItemVersion
from gongkai.catalog.richtext import plain_text
from gongkai.lib.scan import scan_text

CONTEXT_CHARS = 40


@dataclass(frozen=True)
class Source:
    source: str
    attachment: Attachment | None
    text: str


def allowed_contacts(item: Item) -> dict[str, list[str]]:
    """Contact data the organ and the drafting unit publish on purpose (指南): never a finding."""
    phones: list[str] = []
    emails: list[str] = []
    for unit in (item.organ, item.unit):
        phones += [v.strip() for v in (unit.phone, unit.fax) if v and v.strip()]
        if unit.email and unit.email.strip():
            emails.append(unit.email.strip())
    return {"phones": phones, "emails": emails}


def sources_of(version: ItemVersion) -> list[Source]:
    """Every text of the version that goes online."""
    sources = [
        Source(FindingSource.TITLE, None, version.title),
        Source(FindingSource.SUMMARY, None, version.summary),
        Source(FindingSource.BODY, None, plain_text(version.body)),
    ]
    for attachment in version.attachments.filter(purged_at__isnull=True):
        sources.append(Source(FindingSource.ATTACHMENT, attachment, attachment.text))
    return [s for s in sources if s.text]


def _key(source: str, attachment_id: int | None, kind: str, start: int, end: int, text: str):
    return (source, attachment_id, kind, start, end, text)


def run_checks(version: ItemVersion, *, now: datetime.datetime | None = None) -> list[Finding]:
    """Scan the version, replace its stored findings with the current ones and return the ones
    not seen before. Findings still present keep their `first_seen_at`."""
    now = now or timezone.now()
    allow = allowed_contacts(version.item)
    existing = {
        _key(f.source, f.attachment_id, f.kind, f.start, f.end, f.text): f
        for f in version.findings.all()
    }
    seen: set[tuple] = set()
    new: list[Finding] = []
    for source in sources_of(version):
        for hit in scan_text(source.text, allow=allow):
            text = source.text[hit.start : hit.end][:200]
            key = _key(
                source.source,
                source.attachment.pk if source.attachment else None,
                hit.kind,
                hit.start,
                hit.end,
                text,
            )
            if key in seen:
                continue
            seen.add(key)
            if key in existing:
                continue
            new.append(
                Finding(
                    version=version,
                    source=source.source,
                    attachment=source.attachment,
                    kind=hit.kind,
                    severity=hit.severity,
                    text=text,
                    message=(getattr(hit, "message", "") or "")[:300],
                    start=hit.start,
                    end=hit.end,
                    context_before=source.text[max(0, hit.start - CONTEXT_CHARS) : hit.start],
                    context_after=source.text[hit.end : hit.end + CONTEXT_CHARS],
                    first_seen_at=now,
                    last_seen_at=now,
                )
            )
    stale = [f.pk for key, f in existing.items() if key not in seen]
    if stale:
        Finding.objects.filter(pk__in=stale).delete()
    Finding.objects.filter(version=version).update(last_seen_at=now)
    Finding.objects.bulk_create(new)
    version.checks_run_at = now
    ItemVersion.objects.filter(pk=version.pk).update(checks_run_at=now)
    return new


def summary_line(findings: list[Finding]) -> str:
    """One line for an e-mail: "手机号码 2 处、电子邮箱 1 处"."""
    counts: dict[str, int] = {}
    for finding in findings:
        label = finding.get_kind_display()
        counts[label] = counts.get(label, 0) + 1
    return "、".join(f"{label} {n} 处" for label, n in counts.items())
