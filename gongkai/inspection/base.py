"""The building blocks of the indicators: the context of one unit on one day, the outcome, and
the helpers both the vetoes (vetoes.py) and the scored indicators (scored.py) use."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.catalog.models import Disclosure, Finding, Item, Secrecy, VersionState
from gongkai.inspection import wording
from gongkai.inspection.rules import Thresholds

FINDINGS_LIMIT = 5000  # above this many versions with findings, one joined query instead
MAX_ITEMS = 20  # items listed per indicator; the value gives the full count
# The personal-data kinds of gongkai.lib.scan (issue 12's near-misses included).
PERSONAL_KINDS = (
    "id_card",
    "id_card_unverified",
    "bank_card",
    "bank_card_unverified",
    "disability_cert",
    "subsistence_cert",
    "home_address",
    "roster_name",
    "mobile",
    "email",
)
INTERPRETED_GENRES = ("normative", "regulation")
NORMATIVE_GENRES = ("normative",)


@dataclass
class Outcome:
    status: str
    value: str = ""
    threshold: str = ""
    note: str = ""
    items: list[dict[str, str]] = field(default_factory=list)


@dataclass
class RunData:
    """What is computed once per run for all units (the wording scan reads every public text)."""

    wording_hits: dict[int, list[wording.Hit]] | None = None


@dataclass
class Context:
    unit: Unit
    today: datetime.date
    t: Thresholds
    run: RunData = field(default_factory=RunData)

    def start_of(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def days_since(self, moment: datetime.datetime | None) -> int | None:
        if moment is None:
            return None
        return (self.today - timezone.localdate(moment)).days

    def live_findings(self, kinds):
        """Check findings on the live public version of the unit's public items. Filtered from
        the finding side (the few findings), not through a subquery of all public items."""
        end = self.start_of(self.today + datetime.timedelta(days=1))
        found = Finding.objects.filter(kind__in=kinds)
        # Versions with such findings first (a short list): the database's planner would
        # otherwise walk every public item to reach a nearly empty table.
        versions = list(found.values_list("version_id", flat=True).distinct()[:FINDINGS_LIMIT])
        if len(versions) < FINDINGS_LIMIT:
            found = found.filter(version_id__in=versions)
        return found.filter(
            version__state=VersionState.PUBLISHED,
            version__item__organ=self.unit,
            version__item__published_version=F("version"),
            version__item__disclosure=Disclosure.PROACTIVE,
            version__item__first_published_at__lt=end,
        ).exclude(version__item__secrecy=Secrecy.SECRET)

    def public_items(self):
        # Items published up to the end of the inspected day (a frozen "today" in the past must
        # not see later publications).
        end = self.start_of(self.today + datetime.timedelta(days=1))
        return Item.objects.published().filter(organ=self.unit, first_published_at__lt=end)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    veto: bool
    rule: str
    compute: Callable[[Context], Outcome]


def url_for(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def item_row(pk: int, title: str, extra: str = "") -> dict[str, str]:
    label = f"{title}（{extra}）" if extra else title
    return {"label": label, "url": url_for("catalog:item_detail", pk)}


def guide_contacts(unit: Unit) -> list[tuple[str, str]]:
    return [
        ("办公地址", unit.address),
        ("办公时间", unit.opening_hours),
        ("联系电话", unit.phone),
        ("传真", unit.fax),
        ("互联网联系方式", unit.email or unit.website),
    ]


def wording_hits(ctx: Context) -> list[wording.Hit]:
    if ctx.run.wording_hits is None:
        end = ctx.start_of(ctx.today + datetime.timedelta(days=1))
        ctx.run.wording_hits = wording.scan_public(end)
    return ctx.run.wording_hits.get(ctx.unit.pk, [])
