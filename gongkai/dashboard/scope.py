"""Whose figures the dashboard shows: the unit picker and the year picker.

A member of staff sees the organs (行政机关) they hold `unit.view` on, each alone, and, when
there are several, their sum: a city user sees the city total and may pick any organ below it;
a township user sees only their township. A user whose roles cover no organ at all (the staff
of a station) sees the work of their own units instead: the applications assigned to them, the
items they drafted and the letters forwarded to them. A sibling township never appears.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit

PERM = "unit.view"
# Years before this are not offered: the regulation in force dates from 2008, the system later.
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Scope:
    """One choice of the unit picker. `key` is the picker value ("" for the sum of all)."""

    key: str
    label: str
    unit_ids: tuple[int, ...]
    by_organ: bool = True

    def applications(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.by_organ:
            return qs.filter(organ_id__in=self.unit_ids)
        return qs.filter(department_id__in=self.unit_ids)

    def versions(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.by_organ:
            return qs.filter(item__organ_id__in=self.unit_ids)
        return qs.filter(item__unit_id__in=self.unit_ids)

    def letters(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.by_organ:
            return qs.filter(unit_id__in=self.unit_ids)
        return qs.filter(forwarded_to_id__in=self.unit_ids)


def _tops(units: list[Unit]) -> list[Unit]:
    """The units of `units` that have no ancestor in `units`."""
    paths = [u.path for u in units]
    return [u for u in units if not any(p != u.path and u.path.startswith(p) for p in paths)]


def choices_for(user: Any) -> list[Scope]:
    """The unit picker of `user`: the total first (when there is more than one choice), then
    each organ (or, for staff covering no organ, each of their own units) in tree order."""
    covered = list(
        permissions.units_for(user, PERM)
        .only("id", "path", "code", "name", "short_name", "is_organ", "is_active")
        .order_by("path")
    )
    organs = [u for u in covered if u.is_organ]
    choices: list[Scope] = []
    if organs:
        for organ in organs:
            has_below = any(o.path != organ.path and o.path.startswith(organ.path) for o in organs)
            label = _("%(name)s（本级）") % {"name": organ.name} if has_below else organ.name
            if not organ.is_active:
                label += _("（已停用）")
            choices.append(Scope(organ.code, label, (organ.pk,)))
        if len(organs) > 1:
            tops = _tops(organs)
            if len(tops) == 1:
                label = _("%(name)s及下级机关合计（%(n)s 个机关）") % {
                    "name": tops[0].short_name,
                    "n": len(organs),
                }
            else:
                label = _("全部机关合计（%(n)s 个机关）") % {"n": len(organs)}
            choices.insert(0, Scope("", label, tuple(o.pk for o in organs)))
        return choices
    for top in _tops(covered):
        ids = tuple(u.pk for u in covered if u.path.startswith(top.path))
        choices.append(Scope(top.code, top.name, ids, by_organ=False))
    if len(choices) > 1:
        all_ids = tuple(u.pk for u in covered)
        choices.insert(0, Scope("", _("全部单位合计"), all_ids, by_organ=False))
    return choices


def pick_scope(choices: list[Scope], raw: str | None) -> tuple[Scope, str]:
    """The chosen scope and a message when `raw` named nothing the user may see (the first
    choice is shown then). `choices` must not be empty."""
    wanted = (raw or "").strip()
    if not wanted:  # the default, also for a link from someone whose first choice is a total
        return choices[0], ""
    for scope in choices:
        if scope.key == wanted:
            return scope, ""
    return choices[0], _("找不到所选单位，或您无权查看该单位的统计，已显示“%(label)s”。") % {
        "label": choices[0].label
    }


def pick_year(raw: str | None, today: datetime.date | None = None) -> tuple[int, str]:
    """The chosen year and a message when `raw` is not a year between FIRST_YEAR and this year
    (this year is shown then)."""
    this_year = (today or timezone.localdate()).year
    if raw is None or raw.strip() == "":
        return this_year, ""
    text = raw.strip()
    if text.isascii() and text.isdigit() and len(text) == 4:
        year = int(text)
        if FIRST_YEAR <= year <= this_year:
            return year, ""
    problem = _("年份“%(raw)s”无效，应为 %(first)s 至 %(last)s 之间的年份，已显示 %(last)s 年。")
    return this_year, problem % {"raw": text[:20], "first": FIRST_YEAR, "last": this_year}


def year_choices(scope: Scope, today: datetime.date | None = None) -> list[int]:
    """This year back to the first year with any record in `scope`, newest first."""
    from gongkai.applications.models import Application
    from gongkai.catalog.models import ItemVersion

    this_year = (today or timezone.localdate()).year
    # Plain minimums, so each is one index probe; datetimes are turned into Beijing dates here.
    firsts: list[Any] = [
        scope.applications(Application.objects.received()).aggregate(d=Min("received_date"))["d"],
        scope.versions(ItemVersion.objects.all()).aggregate(d=Min("published_at"))["d"],
    ]
    letters = letter_model()
    if letters is not None:
        firsts.append(scope.letters(letters.objects.all()).aggregate(d=Min("received_at"))["d"])
    known = [
        (timezone.localdate(d) if isinstance(d, datetime.datetime) else d).year
        for d in firsts
        if d is not None
    ]
    first = max(FIRST_YEAR, min([*known, this_year]))
    return list(range(this_year, first - 1, -1))


def letter_model() -> Any:
    """The mailbox's Letter model, or None when the interaction app is not installed."""
    from django.apps import apps

    if not apps.is_installed("gongkai.interaction"):
        return None
    return apps.get_model("interaction", "Letter")
