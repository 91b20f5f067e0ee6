"""The wording checks: wrong forms (WrongForm) and leaders' names next to a wrong title
(ExactName), over the title, summary and body of every public item.

One database pass finds the candidate versions (any list word in title, summary or body); only
those are read in Python, so a million items with a clean text cost one scan."""

from __future__ import annotations

import datetime
import functools
import operator
import re
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.html import strip_tags

from gongkai.catalog.models import Item, ItemVersion
from gongkai.inspection.models import ExactName, WrongForm

SERIOUS = "serious"
FORM = "form"
NAME = "name"

# Titles a name is often written next to; the ExactName titles are added to these.
COMMON_TITLES = [
    "书记",
    "副书记",
    "党委书记",
    "党委副书记",
    "镇长",
    "副镇长",
    "乡长",
    "副乡长",
    "街道办事处主任",
    "主任",
    "副主任",
    "市长",
    "副市长",
    "县长",
    "副县长",
    "区长",
    "副区长",
    "局长",
    "副局长",
    "主席",
    "副主席",
    "部长",
    "副部长",
    "委员",
    "党委委员",
    "人大主席",
    "站长",
    "所长",
]


@dataclass(frozen=True)
class Hit:
    organ_id: int
    item_id: int
    title: str
    kind: str  # serious | form | name
    message: str


def name_problems(text: str, names: list[ExactName], titles: list[str]) -> list[str]:
    """Each place where a listed name stands right next to a title it does not hold."""
    problems = []
    by_length = sorted(set(titles), key=len, reverse=True)
    for entry in names:
        allowed = set(entry.title_list())
        for found in re.finditer(re.escape(entry.name), text):
            before = text[max(0, found.start() - 12) : found.start()]
            after = text[found.end() : found.end() + 12]
            used = next((t for t in by_length if before.endswith(t)), None) or next(
                (t for t in by_length if after.startswith(t)), None
            )
            if used and used not in allowed and not any(used in a for a in allowed):
                problems.append(f"“{entry.name}{used}”应为“{entry.name}{'、'.join(allowed)}”")
    return problems


def scan_public(until: datetime.datetime) -> dict[int, list[Hit]]:
    """Hits per organ id over the public versions published before `until`."""
    forms = list(WrongForm.objects.all())
    names = list(ExactName.objects.all())
    words = [f.wrong for f in forms] + [n.name for n in names]
    if not words:
        return {}
    condition = functools.reduce(
        operator.or_,
        (Q(title__contains=w) | Q(summary__contains=w) | Q(body__contains=w) for w in words),
    )
    public = Item.objects.published().filter(first_published_at__lt=until)
    candidates = (
        ItemVersion.objects.filter(item__in=public, item__published_version=F("pk"))
        .filter(condition)
        .values_list("item__organ_id", "item_id", "title", "summary", "body")
        .iterator(chunk_size=2000)
    )
    titles = COMMON_TITLES + [t for n in names for t in n.title_list()]
    hits: dict[int, list[Hit]] = {}
    for organ_id, item_id, title, summary, body in candidates:
        text = f"{title}\n{summary}\n{strip_tags(body)}"
        found: list[Hit] = []
        for form in forms:
            if form.wrong in text:
                found.append(
                    Hit(
                        organ_id,
                        item_id,
                        title,
                        SERIOUS if form.serious else FORM,
                        f"“{form.wrong}”应为“{form.correct}”",
                    )
                )
        for problem in name_problems(text, names, titles):
            found.append(Hit(organ_id, item_id, title, NAME, problem))
        if found:
            hits.setdefault(organ_id, []).extend(found)
    return hits
