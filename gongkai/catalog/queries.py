"""Reads of the catalog used by several pages, the API, the portal and the annual report.

Public reads (`published_items`, `item_by_index_number`, `category_tree`, `published_history`)
only ever return what the public may see: the current published version of items that are
主动公开, not 涉密 and not withdrawn. Staff reads take the user and filter by
`permissions.units_for(user, ...)`, so staff of one township never see another's items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.catalog import timeliness
from gongkai.catalog.models import (
    OPEN_STATES,
    Category,
    Disclosure,
    Finding,
    Genre,
    Item,
    ItemVersion,
    Rescan,
    Secrecy,
    Takedown,
    Topic,
    Validity,
    VersionState,
)
from gongkai.catalog.richtext import diff_html

S = VersionState

# ------------------------------------------------------------------ lookups by code or name


def find_unit(value: Unit | str | None) -> Unit | None:
    """A unit by object, system code or full name (as the API and the import accept)."""
    if value is None or isinstance(value, Unit):
        return value
    value = value.strip()
    return Unit.objects.filter(Q(code=value) | Q(name=value)).first() if value else None


def find_category(value: Category | str | None) -> Category | None:
    if value is None or isinstance(value, Category):
        return value
    value = value.strip()
    return Category.objects.filter(Q(code=value) | Q(name=value)).order_by("unit_id", "id").first()


def find_named(model: type[Genre] | type[Topic], value: Any):
    if value is None or isinstance(value, model):
        return value
    value = str(value).strip()
    return model.objects.filter(Q(code=value) | Q(name=value)).first() if value else None


def find_validity(value: str | None) -> str | None:
    """'有效' or 'valid' → 'valid'; None for an unknown value."""
    if not value:
        return None
    value = value.strip()
    for code, label in Validity.choices:
        if value in (code, str(label)):
            return code
    return None


def descendant_ids(category: Category) -> list[int]:
    """The category and every category below it (the tree is small: one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    result, todo = [], [category.pk]
    while todo:
        pk = todo.pop()
        result.append(pk)
        todo.extend(children.get(pk, []))
    return result


# ------------------------------------------------------------------ public reads


# What a public listing shows of each item, loaded with it.
PUBLIC_RELATED = (
    "organ",
    "unit",
    "replaced_by",
    "published_version__genre",
    "published_version__topic",
    "published_version__category",
)


def published_items(
    *,
    unit: Unit | str | None = None,
    include_below: bool = False,
    category: Category | str | None = None,
    year: int | None = None,
    genre: Genre | str | None = None,
    topic: Topic | str | None = None,
    validity: str | None = None,
) -> QuerySet[Item]:
    """Public items, newest publication first. Filters: `unit` the organ (object, code or full
    name; `include_below` adds the organs under it), `category` with its sub-categories, `year`
    of first publication, `genre`, `topic`, `validity` (code or 有效/失效/废止/已修改). An
    unknown filter value gives an empty result, never everything."""
    qs = Item.objects.published().select_related(*PUBLIC_RELATED)
    if unit is not None:
        found = find_unit(unit)
        if found is None:
            return qs.none()
        qs = (
            qs.filter(organ__in=Unit.objects.subtree_of(found))
            if include_below
            else qs.filter(organ=found)
        )
    if category is not None:
        found_category = find_category(category)
        if found_category is None:
            return qs.none()
        qs = qs.filter(published_version__category_id__in=descendant_ids(found_category))
    if year is not None:
        qs = qs.filter(first_published_at__year=int(year))
    for name, model, value in (("genre", Genre, genre), ("topic", Topic, topic)):
        if value is not None:
            found_named = find_named(model, value)
            if found_named is None:
                return qs.none()
            qs = qs.filter(**{f"published_version__{name}": found_named})
    if validity is not None:
        code = find_validity(validity)
        if code is None:
            return qs.none()
        qs = qs.filter(validity=code)
    return qs.order_by("-published_version__published_at", "-pk")


def item_by_index_number(index_number: str) -> Item | None:
    """The public item with this 索引号, or None (also for 涉密, withdrawn and withheld items)."""
    return published_items().filter(index_number=(index_number or "").strip()).first()


def gone_item(index_number: str) -> tuple[Item, str] | None:
    """An item that was public under this 索引号 and is no longer (withdrawn, taken down,
    涉密), with the title the "no longer public" page may show: the last public title after an
    ordinary 撤回, none after a 紧急撤回 or a 涉密 purge (the title may be what leaked)."""
    item = (
        Item.objects.filter(index_number=(index_number or "").strip())
        .exclude(pk__in=published_items().values("pk"))
        .filter(Q(first_published_at__isnull=False) | Q(secrecy=Secrecy.SECRET))
        .first()
    )
    if item is None:
        return None
    title = ""
    if item.secrecy != Secrecy.SECRET and not item.takedown:
        last = (
            item.versions.filter(state__in=[S.WITHDRAWN, S.SUPERSEDED, S.PUBLISHED])
            .order_by("-number")
            .values_list("title", flat=True)
            .first()
        )
        title = last or ""
    return item, title


def published_history(item: Item) -> list[ItemVersion]:
    """Every version of `item` that was ever public, newest first (empty for 涉密 items)."""
    if item.secrecy == Secrecy.SECRET:
        return []
    return list(item.versions.filter(state__in=[S.PUBLISHED, S.SUPERSEDED]).order_by("-number"))


def public_interpretations(item: Item) -> list[Item]:
    """The published 政策解读 items linked from the item's public version."""
    version = item.published_version
    if version is None:
        return []
    ids = version.interpretations.values("pk")
    return list(published_items().filter(pk__in=ids))


def interpreted_documents(item: Item) -> list[Item]:
    """The published documents whose public version links to `item` as their 政策解读."""
    return list(published_items().filter(published_version__interpretations=item))


@dataclass
class CategoryNode:
    category: Category
    count: int = 0  # items directly in this category
    total: int = 0  # items in this category and below
    children: list[CategoryNode] = field(default_factory=list)


def category_tree(
    unit: Unit | None = None,
    *,
    with_counts: bool = True,
    include_empty: bool = True,
    counts: dict[int, int] | None = None,
) -> list[CategoryNode]:
    """The active category tree (global nodes plus `unit`'s own columns) with the number of
    public items of `unit` (all organs when None) in each node; `counts` (items per category)
    when the caller has them from elsewhere (the portal: from the search index)."""
    categories = Category.objects.filter(is_active=True)
    if unit is not None:
        ancestor_ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        categories = categories.filter(Q(unit__isnull=True) | Q(unit_id__in=ancestor_ids))
    else:
        categories = categories.filter(unit__isnull=True)
    if counts is None and not with_counts:
        counts = {}
    elif counts is None:
        items = published_items(unit=unit) if unit is not None else published_items()
        counts = dict(
            items.order_by()
            .values_list("published_version__category")
            .annotate(n=Count("pk"))
            .values_list("published_version__category", "n")
        )
    nodes = {
        c.pk: CategoryNode(c, counts.get(c.pk, 0)) for c in categories.order_by("sort_order", "pk")
    }
    roots: list[CategoryNode] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id) if node.category.parent_id else None
        (parent.children if parent else roots).append(node)

    def total(node: CategoryNode) -> int:
        node.total = node.count + sum(total(child) for child in node.children)
        return node.total

    for root in roots:
        total(root)
    if not include_empty:

        def prune(nodes_: list[CategoryNode]) -> list[CategoryNode]:
            kept = [n for n in nodes_ if n.total]
            for n in kept:
                n.children = prune(n.children)
            return kept

        roots = prune(roots)
    return roots


def years_published(unit: Unit | None = None) -> list[int]:
    """Years with public items, newest first (for a year filter)."""
    qs = published_items(unit=unit) if unit is not None else published_items()
    return sorted(
        {
            y
            for y in qs.annotate(y=ExtractYear("first_published_at")).values_list("y", flat=True)
            if y
        },
        reverse=True,
    )


# ------------------------------------------------------------------ staff reads


def staff_units(user: Any, perm: str = "unit.view") -> QuerySet[Unit]:
    return permissions.units_for(user, perm)


def items_for(user: Any) -> QuerySet[Item]:
    """Every item (any state) the user may see: those drafted in units they cover."""
    return Item.objects.filter(unit__in=staff_units(user)).select_related(
        "organ", "unit", "published_version"
    )


def visible_item(user: Any, pk: int) -> Item | None:
    return items_for(user).filter(pk=pk).first()


def versions_of(item: Item) -> list[ItemVersion]:
    """Every version, newest first, for staff (the public sees `published_history`)."""
    return list(
        item.versions.select_related(
            "genre",
            "topic",
            "category",
            "created_by",
            "submitted_by",
            "secrecy_reviewed_by",
            "office_approved_by",
            "signed_off_by",
            "published_by",
            "rejected_by",
        ).order_by("-number")
    )


# (label, state, permission): the boxes of work, each derived from state alone.
QUEUES = [
    ("draft", _("草稿和退回修改"), S.DRAFT, "catalog.draft"),
    ("secrecy_review", _("待保密审查"), S.SECRECY_REVIEW, "catalog.secrecy_review"),
    ("office_review", _("待公开办审核"), S.OFFICE_REVIEW, "catalog.office_review"),
    ("sign_off", _("待领导签发"), S.SIGN_OFF, "catalog.sign_off"),
    ("scheduled", _("已签发待定时发布"), S.SCHEDULED, "catalog.sign_off"),
]


def queue_for(user: Any, key: str | None = None) -> QuerySet[ItemVersion]:
    """Versions awaiting this user's action in the units they cover (every queue, or one by
    key: draft, secrecy_review, office_review, sign_off, scheduled), oldest first."""
    condition = Q(pk__in=[])
    for queue_key, _label, state, perm in QUEUES:
        if key is not None and queue_key != key:
            continue
        units = permissions.units_for(user, perm)
        condition |= Q(state=state, item__unit__in=units)
    return (
        ItemVersion.objects.filter(condition)
        .select_related("item__organ", "item__unit", "submitted_by", "rejected_by")
        .order_by("due_date", "updated_at", "pk")
    )


def _open_versions(user: Any) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(
        state__in=OPEN_STATES, item__unit__in=staff_units(user)
    ).select_related("item__unit")


def due_soon(user: Any, today: datetime.date | None = None) -> QuerySet[ItemVersion]:
    """Unpublished versions due today or within settings.DUE_SOON_WORKDAYS working days."""
    today = today or timezone.localdate()
    return (
        _open_versions(user)
        .filter(due_date__gte=today, due_date__lte=timeliness.soon_limit(today))
        .order_by("due_date")
    )


def overdue(user: Any, today: datetime.date | None = None) -> QuerySet[ItemVersion]:
    """Unpublished versions already past their due date (条例26: 20 working days)."""
    today = today or timezone.localdate()
    return _open_versions(user).filter(due_date__lt=today).order_by("due_date")


def due_unknown(user: Any) -> QuerySet[ItemVersion]:
    """Open versions whose due date is provisional (a year it needs has no holiday notice)."""
    return _open_versions(user).exclude(due_date_problem="")


def late_publications(organ: Unit, year: int) -> dict[str, int]:
    """For the annual report: versions of `organ` published in `year`, and how many of them
    later than their due date. Imported legacy items count too when their dates are known."""
    published = ItemVersion.objects.filter(
        item__organ=organ,
        published_at__year=year,
        fingerprint__gt="",
    ).exclude(state=S.SECRET)
    total = published.count()
    late = 0
    for published_at, due in published.exclude(due_date__isnull=True).values_list(
        "published_at", "due_date"
    ):
        if due is not None and timezone.localdate(published_at) > due:
            late += 1
    unknown = published.filter(due_date__isnull=True).count()
    return {"published": total, "late": late, "due_unknown": unknown}


def withheld_register(user: Any) -> QuerySet[Item]:
    """不予公开 items with their reasons (条例18 register), in the units the user covers."""
    return (
        Item.objects.filter(disclosure=Disclosure.WITHHELD, unit__in=staff_units(user))
        .exclude(secrecy=Secrecy.SECRET)
        .select_related("organ", "unit")
        .order_by("reassess_due", "pk")
    )


def reassess_due(user: Any, today: datetime.date | None = None) -> QuerySet[Item]:
    today = today or timezone.localdate()
    return withheld_register(user).filter(reassess_due__lte=today)


def secret_alerts(user: Any) -> QuerySet[Item]:
    """涉密 items whose originals the 保密审查员 has not yet confirmed as handled offline."""
    return (
        Item.objects.filter(
            secrecy=Secrecy.SECRET,
            secret_handled_at__isnull=True,
            unit__in=permissions.units_for(user, "catalog.secrecy_review"),
        )
        .select_related("unit")
        .order_by("secret_at")
    )


def published_with_findings(user: Any) -> QuerySet[ItemVersion]:
    """Public versions in which the checks found something (the nightly re-check), for the
    office to correct with a new version or to withdraw."""
    return (
        ItemVersion.objects.filter(
            state=S.PUBLISHED,
            item__unit__in=permissions.units_for(user, "catalog.office_review"),
        )
        .filter(Exists(Finding.objects.filter(version=OuterRef("pk"), cleared_at__isnull=True)))
        .select_related("item")
        .order_by("-published_at")
    )


def _review_units(user: Any) -> QuerySet[Unit]:
    return permissions.units_for(user, "catalog.secrecy_review") | permissions.units_for(
        user, "catalog.office_review"
    )


def rescan_queue(user: Any) -> QuerySet[ItemVersion]:
    """Public versions with findings nobody has cleared (the rescan's queue of the unit's
    保密审查员 and 公开办), longest public first within the newest findings."""
    open_findings = Finding.objects.filter(version=OuterRef("pk"), cleared_at__isnull=True)
    return (
        ItemVersion.objects.filter(state=S.PUBLISHED, item__unit__in=_review_units(user))
        .filter(Exists(open_findings))
        .annotate(open_findings=Count("findings", filter=Q(findings__cleared_at__isnull=True)))
        .select_related("item__organ", "item__unit")
        .order_by("-published_at", "-pk")
    )


def rescan_rows(versions: list[ItemVersion]) -> list[dict[str, Any]]:
    """Each version of the queue with its uncleared findings and the days it has been public."""
    today = timezone.localdate()
    findings: dict[int, list[Finding]] = {}
    for finding in Finding.objects.filter(
        version__in=versions, cleared_at__isnull=True
    ).select_related("attachment"):
        findings.setdefault(finding.version_id, []).append(finding)
    rows = []
    for version in versions:
        since = version.item.first_published_at or version.published_at
        rows.append(
            {
                "version": version,
                "item": version.item,
                "findings": findings.get(version.pk, []),
                "days_public": (today - timezone.localdate(since)).days if since else 0,
            }
        )
    return rows


def rescan_counts_by_township(user: Any) -> list[tuple[str, int]]:
    """For staff of a city: the number of flagged public items per organ (township, bureau),
    when they see more than one organ."""
    counts = (
        rescan_queue(user)
        .order_by()
        .values("item__organ__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "item__organ__name")
    )
    rows = [(c["item__organ__name"], c["n"]) for c in counts]
    organs = _review_units(user).filter(is_organ=True).count()
    return rows if organs > 1 else []


def takedowns_pending(user: Any) -> QuerySet[Item]:
    """Items taken down (紧急撤回) that wait for the leader's confirmation."""
    return (
        Item.objects.filter(
            takedown=Takedown.PENDING,
            unit__in=permissions.units_for(user, "catalog.sign_off"),
        )
        .select_related("unit")
        .order_by("-withdrawn_at")
    )


def rescan_progress() -> Rescan | None:
    return Rescan.objects.filter(pk=1).first()


# ------------------------------------------------------------------ version diff

DIFF_FIELDS = [
    ("title", _("名称")),
    ("summary", _("内容概述")),
    ("formed_date", _("成文日期")),
    ("document_number", _("发文字号")),
    ("topic", _("主题分类")),
    ("genre", _("体裁分类")),
    ("category", _("目录分类")),
    ("scope", _("公开范围")),
    ("keywords", _("关键词")),
]


def _display(version: ItemVersion, name: str) -> str:
    value = getattr(version, name)
    if name == "scope":
        return str(version.get_scope_display())
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def version_diff(old: ItemVersion, new: ItemVersion) -> dict[str, Any]:
    """What changed between two versions: the changed metadata fields, the body and the
    attachments. Every `html` value is escaped with <ins>/<del> marks, safe to render."""
    from gongkai.catalog.richtext import plain_text

    fields = []
    for name, label in DIFF_FIELDS:
        a, b = _display(old, name), _display(new, name)
        if a != b:
            fields.append(
                {"field": name, "label": str(label), "old": a, "new": b, "html": diff_html(a, b)}
            )
    old_files = {(a.name, a.sha256) for a in old.attachments.all()}
    new_files = {(a.name, a.sha256) for a in new.attachments.all()}
    old_text, new_text = plain_text(old.body), plain_text(new.body)
    return {
        "fields": fields,
        "body_changed": old.body != new.body,
        "body_html": diff_html(old_text, new_text),
        "attachments_added": sorted(n for n, _h in new_files - old_files),
        "attachments_removed": sorted(n for n, _h in old_files - new_files),
    }
