"""Staff API of the catalog (主动公开) under /api/v1/staff/catalog/ (Authorization: Bearer <token>).

The same steps as the staff pages, through the same forms (which only validate) and the same
functions of `gongkai.catalog.actions` (which check the permission, move the state and write the
audit row), so a rule never depends on whether a clerk clicked or a system called. The public
reads of published items are `/api/v1/items` (gongkai.portal.api), not here.

Answers: every step returns the item as the detail endpoint shows it. Refusals are
`{"detail": "<message>"}`: 400 bad input (the form's or the action's message, field labels
first), 403 without the permission on the item's unit, 404 for an item the user may not see
(another township's item does not exist for them), 409 when the item's state does not allow the
step (the sign-off refusal also lists the `problems`, saying which a leader's written reason may
override), 401 without a valid token; 422 when the body's JSON does not fit the schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.api.auth import token_auth
from gongkai.catalog import actions, queries
from gongkai.catalog.api_staff_base import (
    ERRORS,
    MAX_ID,
    AttachmentOut,
    Blocked,
    BlockedOut,
    Input,
    ItemDetailOut,
    ItemList,
    P,
    S,
    attachment_out,
    choice,
    detail_of,
    due_dates,
    expect,
    get_item,
    require,
    row_of,
    run_action,
    valid,
    wrong_state,
)
from gongkai.catalog.api_staff_categories import router as categories_router
from gongkai.catalog.forms import (
    ConfirmUnreadableForm,
    ItemForm,
    NoteForm,
    ReasonForm,
    ReassessForm,
    SecrecyForm,
    SecretConfirmForm,
    SecretHandledForm,
    SignOffForm,
    ValidityForm,
    categories_for,
)
from gongkai.catalog.models import (
    Attachment,
    Category,
    Disclosure,
    Genre,
    Item,
    ItemVersion,
    Scope,
    Secrecy,
    Topic,
    Validity,
)
from gongkai.catalog.views import INLINE_TYPES, latest_versions
from gongkai.catalog.workflow import REJECT_PERMS

router = Router(tags=["catalog (staff)"], auth=token_auth)
router.add_router("", categories_router)

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
QUEUES = ("mine", "draft", "secrecy_review", "office_review", "sign_off", "scheduled")
DUE_QUEUES = ("soon", "late", "unknown")


# -- reading ----------------------------------------------------------------------------------


class ItemFilter(Input):
    queue: str = ""
    state: str = ""
    unit: str = ""
    year: int | None = None
    q: str = ""
    disclosure: str = ""
    page: int = 1
    page_size: int = 20


def _filtered(request: HttpRequest, f: ItemFilter) -> QuerySet[ItemVersion]:
    user = request.user
    if f.queue and f.queue not in QUEUES + DUE_QUEUES:
        raise HttpError(400, _("没有这个队列，可用：%(q)s") % {"q": "、".join(QUEUES + DUE_QUEUES)})
    if f.queue == "mine":
        versions = queries.queue_for(user)
    elif f.queue in QUEUES:
        versions = queries.queue_for(user, f.queue)
    elif f.queue:
        versions = {
            "soon": queries.due_soon,
            "late": queries.overdue,
            "unknown": queries.due_unknown,
        }[f.queue](user)
    else:
        versions = latest_versions(user).order_by("-updated_at", "-pk")
    if f.state:
        state = choice(f.state, S.choices)
        if state not in S.values:
            raise HttpError(400, _("没有这个状态，可用：%(s)s") % {"s": "、".join(S.values)})
        versions = versions.filter(state=state)
    if f.unit:
        unit = queries.find_unit(f.unit[:200])
        if unit is None or not queries.staff_units(user).filter(pk=unit.pk).exists():
            raise HttpError(400, _("没有这个单位，或无权查看它的信息。"))
        versions = versions.filter(item__unit__in=Unit.objects.subtree_of(unit))
    if f.year is not None:
        if not 1949 <= f.year <= 2100:
            raise HttpError(400, _("请填写四位数的年份，如 2017。"))
        versions = versions.filter(formed_date__year=f.year)
    if f.disclosure:
        disclosure = choice(f.disclosure, Disclosure.choices)
        if disclosure not in Disclosure.values:
            raise HttpError(
                400, _("没有这种公开方式，可用：%(d)s") % {"d": "、".join(Disclosure.values)}
            )
        versions = versions.filter(item__disclosure=disclosure)
    q = f.q.strip()
    if len(q) > 100:
        raise HttpError(400, _("关键字不能超过 100 个字。"))
    if q:
        versions = versions.filter(
            Q(title__icontains=q)
            | Q(item__index_number__icontains=q)
            | Q(document_number__icontains=q)
            | Q(keywords__icontains=q)
        )
    return versions


@router.get(
    f"{P}/items", response={200: ItemList, **ERRORS}, summary="工作人员可见的主动公开信息（各状态）"
)
def item_list(request: HttpRequest, filters: Query[ItemFilter]) -> dict[str, Any]:
    """Every item of the units the user covers, newest first (a `queue` in its own order:
    mine, draft, secrecy_review, office_review, sign_off, scheduled, soon, late, unknown).
    `unit` (code or full name) includes the units below it; `year` is the year of 成文日期;
    `q` searches 名称, 索引号, 发文字号 and 关键词."""
    versions = _filtered(request, filters)
    size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
    page = min(max(filters.page, 1), MAX_PAGE)
    versions = versions.select_related("item__organ", "item__unit", "item__published_version")
    rows = list(versions[(page - 1) * size : page * size])
    dates = due_dates()
    return {"count": versions.count(), "results": [row_of(v.item, v, dates) for v in rows]}


@router.get(f"{P}/items/{{item_id}}", response={200: ItemDetailOut, **ERRORS}, summary="一条信息")
def item_detail(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """The item with its current version, files, check findings, what still blocks its
    publication, what this user may do now (`can`), every version and its history."""
    return detail_of(request, get_item(request, item_id))


@router.get(
    f"{P}/items/{{item_id}}/attachments/{{attachment_id}}",
    url_name="catalog_attachment",
    response={200: None, **ERRORS},
    summary="下载附件",
)
def attachment_download(request: HttpRequest, item_id: int, attachment_id: int) -> FileResponse:
    item = get_item(request, item_id)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, version__item=item, purged_at__isnull=True)
        .exclude(file="")
        .first()
        if 0 < attachment_id <= MAX_ID
        else None
    )
    if attachment is None:
        raise HttpError(404, _("没有这个附件。"))
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:
        raise HttpError(404, _("附件文件已不存在。")) from exc
    response = FileResponse(
        handle,
        as_attachment=attachment.kind not in INLINE_TYPES,
        filename=attachment.name,
        content_type=INLINE_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# -- drafting ---------------------------------------------------------------------------------


class DraftFields(Input):
    """Category, genre and topic by code (or name); interpretations (政策解读) by item id."""

    summary: str = ""
    document_number: str = ""
    category: str | None = None
    genre: str | None = None
    topic: str | None = None
    scope: str = Scope.PUBLIC
    keywords: str = ""
    body: str = ""
    legal_period_days: int | None = None
    legal_period_basis: str = ""
    interpretations: list[int] = []


class DraftIn(DraftFields):
    unit: str
    title: str
    formed_date: datetime.date


class DraftPatch(DraftFields):
    """Only the fields sent change; null clears category, genre, topic or legal_period_days."""

    title: str | None = None
    formed_date: datetime.date | None = None
    scope: str = ""


def _lookup(model: type[Category] | type[Genre] | type[Topic], value: str, allowed: QuerySet):
    """A category, genre or topic by code, else by name, among `allowed`: its pk for the form."""
    value = value.strip()[:100]
    found = (
        allowed.filter(code=value).first() or allowed.filter(name=value).first() if value else None
    )
    if found is None:
        raise HttpError(
            400,
            _("没有这个%(what)s：%(v)s") % {"what": model._meta.verbose_name, "v": value},
        )
    return found.pk


def _form_data(data: dict[str, Any], units: QuerySet[Unit]) -> dict[str, Any]:
    """The body as the drafting form takes it (codes become pks; the form checks them again)."""
    out = dict(data)
    for name, model, allowed in (
        ("category", Category, categories_for(units)),
        ("genre", Genre, Genre.objects.filter(is_active=True)),
        ("topic", Topic, Topic.objects.filter(is_active=True)),
    ):
        if name in out:
            out[name] = _lookup(model, out[name], allowed) if out[name] else ""
    if "scope" in out:
        out["scope"] = choice(out["scope"], Scope.choices)
    if out.get("legal_period_days") is None and "legal_period_days" in out:
        out["legal_period_days"] = ""
    bogus = [i for i in out.get("interpretations", []) if not 0 < i <= MAX_ID]
    if bogus:
        raise HttpError(400, _("政策解读：没有这条信息：%(id)s") % {"id": bogus[0]})
    return out


@router.post(f"{P}/items", response={201: ItemDetailOut, **ERRORS}, summary="新建草稿")
def item_create(request: HttpRequest, body: DraftIn) -> Status:
    """`unit` is the drafting unit (code or full name); the 发布机构 is its organ."""
    user = request.user
    unit = queries.find_unit(body.unit[:200])
    if unit is None:
        raise HttpError(400, _("没有这个承办单位：%(u)s") % {"u": body.unit[:200]})
    if not permissions.has_perm(user, "catalog.draft", unit):
        raise HttpError(403, _("没有在该单位起草信息的权限。"))
    data = _form_data({**body.dict(), "unit": unit.pk}, Unit.objects.filter(pk=unit.pk))
    form = ItemForm(data, user=user)
    cleaned = valid(form)
    item = run_action(
        actions.item_create,
        actor=user,
        unit=cleaned["unit"],
        interpretations=list(cleaned["interpretations"]),
        **form.version_fields(),
    )
    return Status(201, detail_of(request, item))


@router.patch(f"{P}/items/{{item_id}}", response={200: ItemDetailOut, **ERRORS}, summary="修改草稿")
def item_update(request: HttpRequest, item_id: int, body: DraftPatch) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.draft", item)
    version = item.open_version()
    if version is None or version.state != S.DRAFT:
        raise wrong_state(item)
    sent = body.dict(exclude_unset=True)
    current: dict[str, Any] = {name: getattr(version, name) for name in ItemForm.VERSION_FIELDS}
    for name in ("category", "genre", "topic"):
        current[name] = getattr(version, f"{name}_id") or ""
    current["legal_period_days"] = version.legal_period_days or ""
    data = {**current, **_form_data(sent, Unit.objects.filter(pk=item.unit_id))}
    form = ItemForm(data, user=request.user, item=item)
    cleaned = valid(form, only=sent)
    fields = {name: cleaned.get(name) for name in ItemForm.VERSION_FIELDS if name in sent}
    run_action(
        actions.item_update,
        actor=request.user,
        item=item,
        interpretations=list(cleaned["interpretations"]) if "interpretations" in sent else None,
        **fields,
    )
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传附件（multipart，字段名 file）",
)
def attachment_upload(request: HttpRequest, item_id: int, file: File[UploadedFile]) -> Status:
    """PDF, DOCX, XLSX, OFD, PNG, JPEG or GIF, judged by content, up to the size limit. A file
    whose text cannot be read needs a reviewer's confirmation before publication."""
    item = get_item(request, item_id)
    require(request, "catalog.draft", item)
    expect(item, "attach")
    limit = settings.CATALOG_ATTACHMENT_MAX_MB * 1024 * 1024
    name = (file.name or "").replace("\x00", "")
    if file.size is not None and file.size > limit:
        raise HttpError(
            400,
            _("%(name)s 超过 %(mb)s MB 的大小限制。")
            % {"name": name, "mb": settings.CATALOG_ATTACHMENT_MAX_MB},
        )
    attachment = run_action(
        actions.attachment_add, actor=request.user, item=item, data=file.read(), name=name
    )
    return Status(201, attachment_out(item, attachment))


def _attachment_of(
    item: Item, attachment_id: int, states: Collection[str], wrong: str
) -> Attachment:
    """An attachment of the item's version that is now in one of `states`."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id, version__item=item).first()
        if 0 < attachment_id <= MAX_ID
        else None
    )
    if attachment is None:
        raise HttpError(404, _("没有这个附件。"))
    version = item.open_version()
    if version is not None and version.state in states and attachment.version_id != version.pk:
        raise HttpError(409, wrong)
    return attachment


@router.delete(
    f"{P}/items/{{item_id}}/attachments/{{attachment_id}}",
    response={200: ItemDetailOut, **ERRORS},
    summary="删除草稿中的附件",
)
def attachment_delete(request: HttpRequest, item_id: int, attachment_id: int) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.draft", item)
    expect(item, "attach")
    attachment = _attachment_of(
        item, attachment_id, {S.DRAFT}, _("该附件属于以前的版本，只能删除草稿中的附件。")
    )
    run_action(actions.attachment_remove, actor=request.user, attachment=attachment)
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/submit", response={200: ItemDetailOut, **ERRORS}, summary="提交保密审查"
)
def item_submit(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """Runs the automatic checks; their findings are in the answer's `findings`."""
    item = get_item(request, item_id)
    run_action(actions.item_submit, actor=request.user, item=item)
    return detail_of(request, item)


# -- review -----------------------------------------------------------------------------------


class SecrecyIn(Input):
    """`verdict`: non_secret (非涉密) or secret (涉密; irreversible: body and files are purged,
    so `confirm_secret` must be true). For 非涉密, `disclosure`: proactive (主动公开),
    on_request (依申请公开) or withheld (不予公开), the last two with a `reason`."""

    verdict: str
    disclosure: str = Disclosure.PROACTIVE
    reason: str = ""
    basis: str = ""
    note: str = ""
    confirm_secret: bool = False


class NoteIn(Input):
    note: str = ""


class ReasonIn(Input):
    reason: str


class SecretIn(ReasonIn):
    """判定涉密 is irreversible (body and files are purged): `confirm` must be true."""

    confirm: bool = False


class SignOffIn(Input):
    """Without `go_live_at` the item is published now; with it (later than now, within a year;
    without a zone it is Beijing time) it is published then. `override_reason` is required when
    the automatic checks found something."""

    go_live_at: datetime.datetime | None = None
    override_reason: str = ""


@router.post(
    f"{P}/items/{{item_id}}/secrecy",
    response={200: ItemDetailOut, **ERRORS},
    summary="保密审查结论",
)
def secrecy_verdict(request: HttpRequest, item_id: int, body: SecrecyIn) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.secrecy_review", item)
    expect(item, "secrecy_verdict")
    data = body.dict()
    data["verdict"] = choice(
        body.verdict, [(Secrecy.NON_SECRET, "非涉密"), (Secrecy.SECRET, "涉密")]
    )
    data["disclosure"] = choice(body.disclosure, Disclosure.choices)
    cleaned = valid(SecrecyForm(data))
    run_action(
        actions.item_secrecy_verdict,
        actor=request.user,
        item=item,
        secret=cleaned["verdict"] == Secrecy.SECRET,
        disclosure=cleaned["disclosure"] or "",
        reason=cleaned["reason"],
        basis=cleaned["basis"],
        note=cleaned["note"],
    )
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/attachments/{{attachment_id}}/confirm",
    response={200: ItemDetailOut, **ERRORS},
    summary="人工确认无法读取文字的附件",
)
def attachment_confirm(
    request: HttpRequest, item_id: int, attachment_id: int, body: NoteIn
) -> dict[str, Any]:
    """A reviewer has looked at the file (a scan, a picture) and says what it holds."""
    item = get_item(request, item_id)
    if not any(
        permissions.has_perm(request.user, p, item.unit)
        for p in ("catalog.secrecy_review", "catalog.office_review")
    ):
        raise HttpError(403, _("没有权限进行这项操作。"))
    expect(item, "confirm_unreadable")
    reviewing = {S.SECRECY_REVIEW, S.OFFICE_REVIEW, S.SIGN_OFF}
    attachment = _attachment_of(item, attachment_id, reviewing, _("该附件不属于正在审核的版本。"))
    cleaned = valid(ConfirmUnreadableForm(body.dict()))
    run_action(
        actions.attachment_confirm_unreadable,
        actor=request.user,
        attachment=attachment,
        note=cleaned["note"],
    )
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/office-approve",
    response={200: ItemDetailOut, **ERRORS},
    summary="公开办审核通过",
)
def office_approve(request: HttpRequest, item_id: int, body: NoteIn) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.office_review", item)
    expect(item, "office_approve")
    cleaned = valid(NoteForm(body.dict()))
    run_action(actions.item_office_approve, actor=request.user, item=item, note=cleaned["note"])
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/reject", response={200: ItemDetailOut, **ERRORS}, summary="退回起草人"
)
def item_reject(request: HttpRequest, item_id: int, body: ReasonIn) -> dict[str, Any]:
    """From any review step, a scheduled publication included (that cancels it)."""
    item = get_item(request, item_id)
    version = item.open_version()
    if version is None or version.state not in REJECT_PERMS:
        if not any(
            permissions.has_perm(request.user, p, item.unit) for p in set(REJECT_PERMS.values())
        ):
            raise HttpError(403, _("没有权限进行这项操作。"))
        raise wrong_state(item)
    require(request, REJECT_PERMS[version.state], item)
    cleaned = valid(ReasonForm(body.dict(), label=_("退回理由")))
    run_action(actions.item_reject, actor=request.user, item=item, reason=cleaned["reason"])
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/sign-off",
    response={200: ItemDetailOut, 409: BlockedOut, **{k: v for k, v in ERRORS.items() if k != 409}},
    summary="领导签发（立即或定时发布）",
)
def sign_off(request: HttpRequest, item_id: int, body: SignOffIn) -> Any:
    """A refusal of the publishing guard is a 409 with `problems`; those marked `overridable`
    (findings of the checks) may be published over with `override_reason`."""
    item = get_item(request, item_id)
    require(request, "catalog.sign_off", item)
    expect(item, "sign_off")
    version = item.open_version()
    findings = version.findings.count() if version is not None else 0
    # A reason sent is kept even when no finding is stored yet: the checks run again at
    # sign-off and may find something new, and the leader must be able to answer that.
    findings = max(findings, 1 if body.override_reason.strip() else 0)
    data = {
        "when": "later" if body.go_live_at else "now",
        "go_live_at": body.go_live_at,
        "override_reason": body.override_reason,
    }
    cleaned = valid(SignOffForm(data, findings=findings))
    try:
        run_action(
            actions.item_sign_off,
            actor=request.user,
            item=item,
            go_live_at=cleaned["go_live_at"],
            override_reason=cleaned.get("override_reason") or "",
        )
    except Blocked as blocked:
        problems = [
            {"code": p.code, "message": p.message, "overridable": p.overridable}
            for p in blocked.problems
        ]
        return Status(409, {"detail": blocked.message, "problems": problems})
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/mark-secret",
    response={200: ItemDetailOut, **ERRORS},
    summary="判定涉密（任何状态，立即下线并清除正文和附件）",
)
def mark_secret(request: HttpRequest, item_id: int, body: SecretIn) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.secrecy_review", item)
    cleaned = valid(SecretConfirmForm(body.dict(), label=_("判定涉密的理由")))
    run_action(actions.item_mark_secret, actor=request.user, item=item, reason=cleaned["reason"])
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/secret-handled",
    response={200: ItemDetailOut, **ERRORS},
    summary="确认涉密原件已线下处置",
)
def secret_handled(request: HttpRequest, item_id: int, body: NoteIn) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.secrecy_review", item)
    cleaned = valid(SecretHandledForm(body.dict()))
    run_action(actions.item_secret_handled, actor=request.user, item=item, note=cleaned["note"])
    return detail_of(request, item)


# -- after publication ------------------------------------------------------------------------


class ValidityIn(Input):
    """`validity`: valid, expired, repealed or amended (有效, 失效, 废止, 已修改); a date for all
    but 有效; `replaced_by` the 索引号 of the published item that replaces it (required for
    已修改)."""

    validity: str
    effective_date: datetime.date | None = None
    replaced_by: str = ""
    note: str = ""


class ReassessIn(Input):
    """`decision`: keep (继续不予公开, a new re-assessment date follows) or release (转为主动公开,
    to the office review)."""

    decision: str
    reason: str


@router.post(
    f"{P}/items/{{item_id}}/withdraw", response={200: ItemDetailOut, **ERRORS}, summary="撤回"
)
def item_withdraw(request: HttpRequest, item_id: int, body: ReasonIn) -> dict[str, Any]:
    """Takes the item off the public site; its 索引号 stays taken."""
    item = get_item(request, item_id)
    require(request, "catalog.sign_off", item)
    expect(item, "withdraw")
    cleaned = valid(ReasonForm(body.dict(), label=_("撤回理由")))
    run_action(actions.item_withdraw, actor=request.user, item=item, reason=cleaned["reason"])
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/validity", response={200: ItemDetailOut, **ERRORS}, summary="标注有效性"
)
def item_validity(request: HttpRequest, item_id: int, body: ValidityIn) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.office_review", item)
    data = {**body.dict(), "validity": choice(body.validity, Validity.choices)}
    cleaned = valid(ValidityForm(data))
    run_action(
        actions.item_set_validity,
        actor=request.user,
        item=item,
        validity=cleaned["validity"],
        effective_date=cleaned["effective_date"],
        replaced_by=cleaned["replaced_by"],
        note=cleaned["note"],
    )
    return detail_of(request, item)


@router.post(
    f"{P}/items/{{item_id}}/new-version",
    response={201: ItemDetailOut, **ERRORS},
    summary="修订为新版本（草稿）",
)
def item_new_version(request: HttpRequest, item_id: int) -> Status:
    """A draft copy of the public content that goes through the whole review again; the public
    keeps seeing the published version meanwhile."""
    item = get_item(request, item_id)
    run_action(actions.item_new_version, actor=request.user, item=item)
    return Status(201, detail_of(request, item))


@router.post(
    f"{P}/items/{{item_id}}/reassess",
    response={200: ItemDetailOut, **ERRORS},
    summary="复核不予公开或依申请公开的信息",
)
def item_reassess(request: HttpRequest, item_id: int, body: ReassessIn) -> dict[str, Any]:
    item = get_item(request, item_id)
    require(request, "catalog.secrecy_review", item)
    expect(item, "reassess")
    cleaned = valid(ReassessForm(body.dict()))
    run_action(
        actions.item_reassess,
        actor=request.user,
        item=item,
        release=cleaned["decision"] == "release",
        reason=cleaned["reason"],
    )
    return detail_of(request, item)
