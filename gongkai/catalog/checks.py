"""The pre-publication confidentiality and personal-data checks of an item version (条例17;
"上网信息不涉密"). `gongkai.lib.scan` finds classification marks, identity and bank card numbers,
mobile numbers and e-mail addresses in the title, summary, body and the text of every
attachment; each hit is stored as a `Finding` with the text around it, so the reviewer sees it
in context. The organ's and the drafting unit's own published phone and e-mail are allowed.

Checks run while a draft is written (`draft_findings`, nothing stored), when a version is saved
and submitted, again just before it is published, and over everything published whenever the
rules change and on a schedule (`rescan`, the resumable job of `jobs.rescan_published`).

An attachment that could not be read completely (a scan OCR could not read, text cut at the
extraction cap) is "partly checked": it holds publication back until a reviewer confirms it by
eye (Attachment.needs_confirmation, publishing.problems)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from gongkai.catalog.models import Attachment, Finding, FindingSource, Item, ItemVersion
from gongkai.catalog.richtext import plain_text
from gongkai.lib.scan import KIND_LABELS, mask, scan_text

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


def _hits(source: Source, allow: dict[str, list[str]]):
    yield from scan_text(source.text, allow=allow)


def run_checks(version: ItemVersion, *, now: datetime.datetime | None = None) -> list[Finding]:
    """Scan the version, replace its stored findings with the current ones and return the ones
    not seen before. Findings still present keep their `first_seen_at` (and a reviewer's
    clearing)."""
    now = now or timezone.now()
    existing = list(version.findings.all())
    attachments = list(version.attachments.filter(purged_at__isnull=True))
    new, stale = diff_findings(version, existing, attachments, allowed_contacts(version.item), now)
    if stale:
        Finding.objects.filter(pk__in=stale).delete()
    Finding.objects.filter(version=version).update(last_seen_at=now)
    Finding.objects.bulk_create(new)
    version.checks_run_at = now
    ItemVersion.objects.filter(pk=version.pk).update(checks_run_at=now)
    return new


def diff_findings(
    version: ItemVersion,
    existing: list[Finding],
    attachments: list[Attachment],
    allow: dict[str, list[str]],
    now: datetime.datetime,
) -> tuple[list[Finding], list[int]]:
    """(new findings to store, pks of stored ones no longer found) for `version`."""
    existing_by_key = {
        _key(f.source, f.attachment_id, f.kind, f.start, f.end, f.text): f for f in existing
    }
    seen: set[tuple] = set()
    new: list[Finding] = []
    sources = [
        Source(FindingSource.TITLE, None, version.title),
        Source(FindingSource.SUMMARY, None, version.summary),
        Source(FindingSource.BODY, None, plain_text(version.body)),
    ] + [Source(FindingSource.ATTACHMENT, a, a.text) for a in attachments]
    for source in sources:
        if not source.text:
            continue
        for hit in _hits(source, allow):
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
            if key in existing_by_key:
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
    stale = [f.pk for key, f in existing_by_key.items() if key not in seen]
    return new, stale


def draft_findings(item: Item | None, *, title: str, summary: str, body: str) -> list[dict]:
    """What the checks find in a draft being typed (nothing stored): for the editor's live
    panel, each with its place, the text around it and the masked form of the hit."""
    allow = allowed_contacts(item) if item is not None else {}
    found = []
    for source, label, text in (
        (FindingSource.TITLE, FindingSource.TITLE.label, title),
        (FindingSource.SUMMARY, FindingSource.SUMMARY.label, summary),
        (FindingSource.BODY, FindingSource.BODY.label, plain_text(body)),
    ):
        for hit in scan_text(text or "", allow=allow):
            found.append(
                {
                    "source": source,
                    "source_label": label,
                    "kind": hit.kind,
                    "label": Finding.KIND_LABELS.get(hit.kind, KIND_LABELS.get(hit.kind, hit.kind)),
                    "severity": hit.severity,
                    "text": hit.text,
                    "masked": mask(hit.text),
                    "message": hit.message,
                    "before": text[max(0, hit.start - CONTEXT_CHARS) : hit.start],
                    "after": text[hit.end : hit.end + CONTEXT_CHARS],
                }
            )
    return found


def summary_line(findings: list[Finding]) -> str:
    """One line for an e-mail: "手机号码 2 处、电子邮箱 1 处"."""
    counts: dict[str, int] = {}
    for finding in findings:
        label = finding.get_kind_display()
        counts[label] = counts.get(label, 0) + 1
    return "、".join(f"{label} {n} 处" for label, n in counts.items())
