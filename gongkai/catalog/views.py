"""Staff pages of the catalog: the item list with its queues, one item's page (metadata, state,
timeline, versions), file downloads and the 政策解读 picker. Drafting is in `views_edit`, the
review steps in `views_review`, what follows publication in `views_lifecycle`, the category tree
in `views_categories`.

Every page finds items through `queries.items_for(user)`, so staff of one township get a 404 on
another township's item. Every state change calls `gongkai.catalog.actions`, which checks the
permission again; buttons a user may not use are not shown.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.accounts import permissions
from gongkai.accounts.models import User
from gongkai.audit.labels import action_label
from gongkai.audit.models import AuditEntry
from gongkai.catalog import queries, timeliness
from gongkai.catalog.forms import ItemFilterForm, interpretation_candidates
from gongkai.catalog.models import (
    Attachment,
    AttachmentKind,
    Disclosure,
    Finding,
    Item,
    ItemVersion,
    Secrecy,
    Validity,
    VersionState,
)
from gongkai.catalog.richtext import sanitize

S = VersionState
PAGE_SIZE = 30
INLINE_TYPES: dict[str, str] = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
    AttachmentKind.GIF: "image/gif",
}

# ------------------------------------------------------------------ helpers shared by the views


def get_item(request: HttpRequest, pk: int) -> Item:
    """The item if the user's units cover it; otherwise 404 (not 403: nothing is revealed)."""
    return get_object_or_404(queries.items_for(request.user), pk=pk)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def capabilities(user: Any, item: Item, version: ItemVersion | None) -> dict[str, bool]:
    """What this user may do with the item now (to show only usable buttons; the actions check
    again)."""
    held = {
        perm: permissions.has_perm(user, perm, item.unit)
        for perm in (
            "catalog.draft",
            "catalog.secrecy_review",
            "catalog.office_review",
            "catalog.sign_off",
            "catalog.take_down",
        )
    }
    state = version.state if version else None
    secret = item.is_secret
    published = item.published_version_id is not None
    return {
        "edit": held["catalog.draft"] and state == S.DRAFT,
        "secrecy_review": held["catalog.secrecy_review"] and state == S.SECRECY_REVIEW,
        "office_review": held["catalog.office_review"] and state == S.OFFICE_REVIEW,
        "sign_off": held["catalog.sign_off"] and state == S.SIGN_OFF,
        "cancel_schedule": held["catalog.sign_off"] and state == S.SCHEDULED,
        "withdraw": held["catalog.sign_off"] and published and not secret,
        "validity": held["catalog.office_review"]
        and item.first_published_at is not None
        and not secret,
        "new_version": held["catalog.draft"] and not secret and state in {S.PUBLISHED, S.WITHDRAWN},
        "mark_secret": held["catalog.secrecy_review"] and not secret,
        "secret_handled": held["catalog.secrecy_review"]
        and secret
        and item.secret_handled_at is None,
        "reassess": held["catalog.secrecy_review"] and state in {S.WITHHELD, S.ON_REQUEST},
        "take_down": held["catalog.take_down"] and published and not secret,
        "clear_findings": (held["catalog.secrecy_review"] or held["catalog.office_review"])
        and state == S.PUBLISHED,
        "decide_takedown": held["catalog.sign_off"] and item.takedown == "pending",
        "recall": held["catalog.draft"]
        and state == S.SECRECY_REVIEW
        and version is not None
        and version.review_started_at is None,
    }


def due_status(version: ItemVersion, today: datetime.date, soon: datetime.date) -> str:
    """late | soon | unknown | late_published | "" for the due-date highlight."""
    if version.is_open:
        if version.due_date is None:
            return ""
        if version.due_date < today:
            return "late"
        if version.due_date <= soon:
            return "soon"
        return ""
    if version.published_at and version.due_date and version.is_late:
        return "late_published"
    return ""


def findings_of(version: ItemVersion | None) -> list[Finding]:
    if version is None:
        return []
    return list(version.findings.select_related("attachment"))


def item_summary(item: Item, version: ItemVersion | None) -> dict[str, Any]:
    """What every page about one item shows at the top."""
    today = timezone.localdate()
    return {
        "item": item,
        "version": version,
        "due": due_status(version, today, timeliness.soon_limit(today)) if version else "",
        "attachments": list(version.attachments.all()) if version else [],
        "findings": findings_of(version),
        "body_html": sanitize(version.body) if version else "",
        "interpretations": list(version.interpretations.all()) if version else [],
    }


# ------------------------------------------------------------------ the list


def latest_versions(user: Any) -> QuerySet[ItemVersion]:
    """The newest version of every item the user may see (one row per item)."""
    newest = (
        ItemVersion.objects.filter(item=OuterRef("item")).order_by("-number").values("number")[:1]
    )
    return (
        ItemVersion.objects.filter(item__unit__in=queries.staff_units(user))
        .annotate(newest=Subquery(newest))
        .filter(number=F("newest"))
        .select_related("item__organ", "item__unit", "category", "genre")
    )


def queue_tabs(user: Any) -> list[tuple[str, str]]:
    tabs = [("", _("全部")), ("mine", _("我的待办"))]
    for key, label, _state, perm in queries.QUEUES:
        if permissions.has_any(user, perm):
            tabs.append((key, str(label)))
    tabs += [("soon", _("即将到期")), ("late", _("已超期")), ("unknown", _("期限暂定"))]
    return tabs


def _queue(user: Any, key: str) -> QuerySet[ItemVersion]:
    if key == "mine":
        return queries.queue_for(user)
    if key == "soon":
        return queries.due_soon(user)
    if key == "late":
        return queries.overdue(user)
    if key == "unknown":
        return queries.due_unknown(user)
    return queries.queue_for(user, key)


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tabs = queue_tabs(user)
    queue = request.GET.get("queue", "")
    if queue not in {key for key, _label in tabs}:
        queue = ""
    versions = _queue(user, queue) if queue else latest_versions(user)
    form = ItemFilterForm(request.GET or None, user=user)
    if form.is_bound:
        form.is_valid()  # apply whatever is valid; the errors show beside their fields
        data = getattr(form, "cleaned_data", {})
        if data.get("q"):
            q = data["q"]
            versions = versions.filter(
                Q(title__icontains=q)
                | Q(item__index_number__icontains=q)
                | Q(document_number__icontains=q)
                | Q(keywords__icontains=q)
            )
        if data.get("state"):
            versions = versions.filter(state=data["state"])
        if data.get("unit"):
            versions = versions.filter(item__unit=data["unit"])
        if data.get("category"):
            versions = versions.filter(category_id__in=queries.descendant_ids(data["category"]))
        if data.get("genre"):
            versions = versions.filter(genre=data["genre"])
        if data.get("year"):
            versions = versions.filter(formed_date__year=data["year"])
    if not queue:
        versions = versions.order_by("-updated_at", "-pk")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    soon = timeliness.soon_limit(today)
    rows = [{"version": v, "item": v.item, "due": due_status(v, today, soon)} for v in page]
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = request.GET.copy()
    for name in ("page", "queue"):
        tab_query.pop(name, None)
    return render(
        request,
        "catalog/item_list.html",
        {
            "form": form,
            "tabs": tabs,
            "queue": queue,
            "page_obj": page,
            "rows": rows,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "can_draft": permissions.has_any(user, "catalog.draft"),
            "more_open": any(
                request.GET.get(name) for name in ("state", "unit", "category", "genre", "year")
            ),
            "section": "list",
        },
    )


# ------------------------------------------------------------------ one item


def _entry_detail(entry: AuditEntry) -> str:
    """A few words from the audit row's data that say what the step decided."""
    after = entry.after if isinstance(entry.after, dict) else {}
    before = entry.before if isinstance(entry.before, dict) else {}
    action = entry.action.removeprefix("catalog.")
    if action == "item_secrecy_verdict" and after:
        parts = [str(Secrecy(after["secrecy"]).label)] if after.get("secrecy") in Secrecy else []
        if after.get("disclosure") in Disclosure:
            parts.append(str(Disclosure(after["disclosure"]).label))
        return " · ".join(parts)
    if action == "item_publish" and after.get("index_number"):
        text = _("索引号 %(n)s，第 %(v)s 版") % {
            "n": after["index_number"],
            "v": after.get("version", ""),
        }
        return text + (_("（定时发布）") if after.get("via") == "schedule" else "")
    if action == "item_sign_off" and after.get("go_live_at"):
        at = parse_datetime(str(after["go_live_at"]))
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else after["go_live_at"]
        return _("定时于 %(at)s 发布") % {"at": when}
    if action == "item_set_validity" and after.get("validity") in Validity:
        return str(Validity(after["validity"]).label)
    if action in {"attachment_add", "attachment_confirm_unreadable"}:
        return str(after.get("name", ""))
    if action == "attachment_remove":
        return str(before.get("name", ""))
    if action == "item_reassess" and "released" in after:
        return _("转为主动公开") if after["released"] else _("继续不予公开")
    return ""


def timeline(item: Item) -> list[dict[str, Any]]:
    entries = list(
        AuditEntry.objects.filter(object_type="catalog.item", object_id=str(item.pk)).order_by(
            "at", "id"
        )
    )
    names = dict(
        User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id}).values_list(
            "pk", "full_name"
        )
    )
    return [
        {
            "at": e.at,
            "who": (names.get(e.actor_id) if e.actor_id else "") or e.actor_name,
            "label": action_label(e.action),
            "detail": _entry_detail(e),
            "action": e.action,
            "note": e.note,
        }
        for e in entries
    ]


def version_rows(item: Item) -> list[dict[str, Any]]:
    versions = queries.versions_of(item)
    rows = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        diff = None
        if older is not None and not version.content_purged_at:
            diff = queries.version_diff(older, version)
        rows.append({"version": version, "older": older, "diff": diff})
    return rows


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk)
    version = item.current_version()
    context = item_summary(item, version)
    context.update(
        {
            "can": capabilities(request.user, item, version),
            "timeline": timeline(item),
            "versions": version_rows(item),
            "public_version": item.published_version,
            "section": "list",
        }
    )
    return render(request, "catalog/item_detail.html", context)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of any version, for staff who may see the item (reviewers look at scans here)."""
    item = get_item(request, pk)
    attachment = get_object_or_404(
        Attachment, pk=attachment_pk, version__item=item, purged_at__isnull=True
    )
    if not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    inline = attachment.kind in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.name,
        content_type=INLINE_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# ------------------------------------------------------------------ 政策解读 picker (htmx)


def item_label(item: Item) -> str:
    version = item.published_version or item.current_version()
    title = version.title if version else ""
    return f"{title}（{item.index_number}）" if item.index_number else title


def search_candidates(user: Any, q: str, exclude: int | None = None) -> list[Item]:
    q = q.strip()[:50]
    if not q:
        return []
    found = interpretation_candidates(user).filter(
        Q(versions__title__icontains=q)
        | Q(index_number__icontains=q)
        | Q(versions__document_number__icontains=q)
    )
    if exclude:
        found = found.exclude(pk=exclude)
    ids = list(found.order_by("-created_at").values_list("pk", flat=True).distinct()[:10])
    by_pk = {i.pk: i for i in Item.objects.filter(pk__in=ids).select_related("published_version")}
    return [by_pk[i] for i in ids if i in by_pk]


@login_required
@require_GET
def pick(request: HttpRequest) -> HttpResponse:
    """Search results for the 政策解读 picker (an htmx fragment)."""
    q = (request.GET.get("pick_q") or "").strip()[:50]
    exclude = request.GET.get("exclude", "")
    results = search_candidates(
        request.user, q, int(exclude) if exclude.isdigit() and len(exclude) < 12 else None
    )
    return render(
        request,
        "catalog/_picker_results.html",
        {"q": q, "results": [(i.pk, item_label(i)) for i in results], "htmx": True},
    )


@login_required
@require_GET
def pick_chosen(request: HttpRequest, pk: int) -> HttpResponse:
    """One chosen 政策解读 as a ticked box (htmx appends it to the chosen list)."""
    item = get_object_or_404(interpretation_candidates(request.user), pk=pk)
    return render(
        request, "catalog/_picker_chosen.html", {"pk": item.pk, "label": item_label(item)}
    )
