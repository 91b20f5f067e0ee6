"""Forms of the catalog's staff pages. They validate input only; the actions decide."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.catalog import attachments as files
from gongkai.catalog.models import (
    AliasKind,
    Category,
    CategoryKind,
    Disclosure,
    Genre,
    Item,
    Retention,
    Scope,
    Secrecy,
    Topic,
    Validity,
    VersionState,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
BODY_MAX_CHARS = 500_000
REASON_MAX_CHARS = 2000


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: field messages next to their field, the
    rest at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class ClerkForm(forms.Form):
    """A form whose length messages read naturally in Chinese ("不能超过 200 个字")."""

    def _model(self, name: str) -> forms.ModelChoiceField:
        """Typed access to a field whose queryset is set per request."""
        return cast(forms.ModelChoiceField, self.fields[name])

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _(
                    "不能超过 %(limit_value)d 个字（现有 %(show_value)d 个字）。"
                )
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.error_messages["invalid"] = (
                    _("请填写正确的日期和时间。")
                    if isinstance(field, forms.DateTimeField)
                    else _("请填写正确的日期，如 2017-03-01。")
                )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_label(unit: Unit) -> str:
    return f"{'　' * max(unit.depth, 0)}{unit.name}"


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by their depth in the tree."""

    def label_from_instance(self, obj: Any) -> str:
        return unit_label(obj)


# ------------------------------------------------------------------ categories as a tree


def category_choices(categories: QuerySet[Category]) -> list[Any]:
    """Grouped, indented choices (法定主动公开内容 / 栏目) in tree order."""
    rows = list(categories.order_by("sort_order", "pk"))
    by_parent: dict[int | None, list[Category]] = {}
    ids = {c.pk for c in rows}
    for c in rows:
        by_parent.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    groups: dict[str, list[tuple[int, str]]] = {k: [] for k in CategoryKind.values}

    def walk(parent: int | None, depth: int) -> None:
        for c in by_parent.get(parent, []):
            groups[c.kind].append((c.pk, f"{'　' * depth}{c.name}"))
            walk(c.pk, depth + 1)

    walk(None, 0)
    choices: list[Any] = [("", gettext("（不选）"))]
    for kind, label in CategoryKind.choices:
        if groups[kind]:
            choices.append((str(label), groups[kind]))
    return choices


def categories_for(units: QuerySet[Unit]) -> QuerySet[Category]:
    """Active categories a drafter in `units` may use: the global ones and the columns of those
    units or the units above them."""
    ancestor_ids: set[int] = set()
    for path in units.values_list("path", flat=True):
        ancestor_ids.update(int(p) for p in path.strip("/").split("/") if p)
    return Category.objects.filter(is_active=True).filter(
        Q(unit__isnull=True) | Q(unit_id__in=ancestor_ids)
    )


def interpretation_candidates(user: Any) -> QuerySet[Item]:
    """Items a version may link to as its 政策解读: anything public, or not yet public in the
    user's units; never 涉密."""
    units = permissions.units_for(user, "unit.view")
    public = Item.objects.published().values("pk")
    return (
        Item.objects.exclude(secrecy=Secrecy.SECRET)
        .filter(Q(pk__in=public) | Q(unit__in=units))
        .select_related("published_version", "organ")
    )


# ------------------------------------------------------------------ the list


class ItemFilterForm(ClerkForm):
    q = forms.CharField(label=_("关键字"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)
    unit = UnitChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label=_("目录分类"), queryset=Category.objects.none(), required=False
    )
    genre = forms.ModelChoiceField(label=_("体裁"), queryset=Genre.objects.all(), required=False)
    year = forms.IntegerField(
        label=_("成文年份"),
        min_value=1949,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "year"}),
        error_messages={
            "invalid": _("请填写四位数的年份，如 2017。"),
            "min_value": _("请填写四位数的年份，如 2017。"),
            "max_value": _("请填写四位数的年份，如 2017。"),
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = gettext("名称、索引号或文号")
        self._choice("state").choices = [("", gettext("全部")), *VersionState.choices]
        units = permissions.units_for(user, "unit.view").filter(is_active=True)
        self._model("unit").queryset = units
        self._model("unit").empty_label = gettext("全部")
        categories = categories_for(units)
        self._model("category").queryset = categories
        self._model("category").choices = category_choices(categories)
        self._model("genre").empty_label = gettext("全部")


# ------------------------------------------------------------------ drafting


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; each is checked for size and type (by content) before anything is
    saved, so a wrong file never leaves a half-saved draft behind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[tuple[str, bytes]]:
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        limit = settings.CATALOG_ATTACHMENT_MAX_MB * 1024 * 1024
        cleaned: list[tuple[str, bytes]] = []
        errors: list[str] = []
        for upload in uploads:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            name = files.clean_name(upload.name or "")
            if upload.size > limit:
                errors.append(
                    gettext("%(name)s 超过 %(mb)s MB 的大小限制。")
                    % {"name": name, "mb": settings.CATALOG_ATTACHMENT_MAX_MB}
                )
                continue
            data_bytes = upload.read()
            if not data_bytes:
                errors.append(gettext("%(name)s 是空文件。") % {"name": name})
            elif files.sniff_kind(data_bytes) is None:
                errors.append(
                    gettext(
                        "%(name)s 不是允许的附件类型（按文件内容判断）：只接受 PDF、DOCX、XLSX、"
                        "OFD 和 PNG、JPEG、GIF 图片。"
                    )
                    % {"name": name}
                )
            else:
                cleaned.append((name, data_bytes))
        if errors:
            raise ValidationError(errors)
        return cleaned


class ItemForm(ClerkForm):
    """The metadata, body, 政策解读 links and new files of a draft."""

    unit = UnitChoiceField(
        label=_("承办单位"),
        queryset=Unit.objects.none(),
        help_text=_("起草信息的科室或站所。发布机构是它所属的行政机关。"),
    )
    title = forms.CharField(label=_("名称"), max_length=200)
    document_number = forms.CharField(
        label=_("发文字号"),
        max_length=100,
        required=False,
        help_text=_("如 诸政发〔2017〕12号；方括号会自动改为〔〕"),
    )
    formed_date = forms.DateField(
        label=_("成文日期"),
        widget=_date_input(),
        help_text=_("应在成文后 20 个工作日内公开（条例第二十六条）"),
    )
    summary = forms.CharField(
        label=_("内容概述"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
        help_text=_("不超过 300 字"),
    )
    category = forms.ModelChoiceField(
        label=_("目录分类"), queryset=Category.objects.none(), required=False
    )
    genre = forms.ModelChoiceField(
        label=_("体裁分类"), queryset=Genre.objects.filter(is_active=True), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("主题分类"), queryset=Topic.objects.filter(is_active=True), required=False
    )
    scope = forms.ChoiceField(label=_("公开范围"), choices=Scope.choices, initial=Scope.PUBLIC)
    keywords = forms.CharField(
        label=_("关键词"), max_length=200, required=False, help_text=_("用空格或逗号分隔")
    )
    body = forms.CharField(
        label=_("正文"),
        max_length=BODY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-richtext": "1"}),
        help_text=_("可直接输入文字，空一行为一段；保存时会清除不安全的内容"),
    )
    legal_period_days = forms.IntegerField(
        label=_("法定公开期限（工作日）"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("法律另有规定时填写；留空按 20 个工作日"),
    )
    legal_period_basis = forms.CharField(label=_("期限依据"), max_length=200, required=False)
    interpretations = forms.ModelMultipleChoiceField(
        label=_("政策解读"), queryset=Item.objects.none(), required=False
    )
    new_files = MultipleFileField(label=_("上传附件"), required=False)
    remove_files = forms.TypedMultipleChoiceField(
        label=_("删除附件"), coerce=int, required=False, choices=()
    )

    VERSION_FIELDS = (
        "title",
        "summary",
        "formed_date",
        "document_number",
        "topic",
        "genre",
        "category",
        "scope",
        "keywords",
        "body",
        "legal_period_days",
        "legal_period_basis",
    )

    def __init__(self, *args: Any, user: Any, item: Item | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        draft_units = permissions.units_for(user, "catalog.draft").filter(is_active=True)
        if item is None:
            self._model("unit").queryset = draft_units
            self._model("unit").empty_label = None
            self.fields.pop("remove_files")
            scope_units = draft_units
        else:
            self.fields.pop("unit")
            scope_units = Unit.objects.filter(pk=item.unit_id)
            version = item.open_version()
            self._choice("remove_files").choices = (
                [(a.pk, a.name) for a in version.attachments.all()] if version else []
            )
        categories = categories_for(scope_units)
        self._model("category").queryset = categories
        self._model("category").choices = category_choices(categories)
        self._model("genre").empty_label = gettext("（不选）")
        self._model("topic").empty_label = gettext("（不选）")
        candidates = interpretation_candidates(user)
        if item is not None:
            candidates = candidates.exclude(pk=item.pk)
        self.candidates = candidates
        self._model("interpretations").queryset = candidates
        self.fields["new_files"].help_text = gettext(
            "PDF、Word（.docx）、Excel（.xlsx）、OFD 或图片，每个不超过 %(mb)s MB；可一次选多个"
        ) % {"mb": settings.CATALOG_ATTACHMENT_MAX_MB}
        self.fields["formed_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_formed_date(self) -> datetime.date:
        value = self.cleaned_data["formed_date"]
        if value > timezone.localdate():
            raise ValidationError(_("成文日期不能晚于今天。"))
        if value.year < 1949:
            raise ValidationError(_("请填写正确的成文日期。"))
        return value

    def version_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.VERSION_FIELDS}

    def chosen_interpretations(self) -> list[Item]:
        """The ticked 政策解读 items (bound form, for re-showing them after an error)."""
        if not self.is_bound:
            return []
        raw = cast(QueryDict, self.data).getlist("interpretations")
        ids = [int(v) for v in raw if str(v).isdigit() and len(str(v)) < 12]
        return list(self.candidates.filter(pk__in=ids))


# ------------------------------------------------------------------ review


class ReasonForm(ClerkForm):
    reason = forms.CharField(
        label=_("理由"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise ValidationError(_("请写明理由。"))
        return value


class SecretConfirmForm(ReasonForm):
    """判定涉密 of an item in any state: irreversible, so the reviewer ticks a box."""

    confirm = forms.BooleanField(
        label=_("我确认该信息涉密：正文和附件将从系统中永久删除，只保留目录信息和审计记录")
    )


class SecrecyForm(ClerkForm):
    verdict = forms.ChoiceField(
        label=_("保密审查结论"),
        choices=[(Secrecy.NON_SECRET, _("非涉密")), (Secrecy.SECRET, _("涉密"))],
        widget=forms.RadioSelect,
    )
    disclosure = forms.ChoiceField(
        label=_("公开方式"),
        choices=Disclosure.choices,
        initial=Disclosure.PROACTIVE,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("不主动公开的理由"),
        max_length=REASON_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选择依申请公开或不予公开时必填"),
    )
    basis = forms.CharField(
        label=_("依据"),
        max_length=200,
        required=False,
        help_text=_("如 条例第十四条、第十五条、第十六条"),
    )
    note = forms.CharField(
        label=_("审查意见"),
        max_length=REASON_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_secret = forms.BooleanField(
        label=_("我确认该信息涉密：正文和附件将从系统中永久删除，只保留目录信息和审计记录"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("verdict") == Secrecy.SECRET:
            if not data.get("confirm_secret"):
                self.add_error("confirm_secret", _("判定涉密前请勾选确认。"))
        elif data.get("verdict") == Secrecy.NON_SECRET:
            disclosure = data.get("disclosure") or ""
            if not disclosure:
                self.add_error("disclosure", _("请选择公开方式。"))
            elif disclosure != Disclosure.PROACTIVE and not (data.get("reason") or "").strip():
                self.add_error("reason", _("不主动公开时必须写明理由。"))
        return data


class NoteForm(ClerkForm):
    note = forms.CharField(
        label=_("审核意见（选填）"),
        max_length=REASON_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmUnreadableForm(ClerkForm):
    note = forms.CharField(
        label=_("人工检查结果"),
        max_length=300,
        error_messages={"required": _("请说明人工检查的结果。")},
        help_text=_("如：已逐页查看，无密级标志和个人信息"),
    )

    def clean_note(self) -> str:
        value = self.cleaned_data["note"].strip()
        if not value:
            raise ValidationError(_("请说明人工检查的结果。"))
        return value


class SignOffForm(ClerkForm):
    when = forms.ChoiceField(
        label=_("发布时间"),
        choices=[("now", _("签发后立即发布")), ("later", _("定时发布"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    go_live_at = forms.DateTimeField(
        label=_("定时发布于"),
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    override_reason = forms.CharField(
        label=_("带问题发布的理由"),
        max_length=REASON_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("自动检查有发现时必填：说明为什么这些内容可以公开"),
    )

    def __init__(self, *args: Any, findings: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings = findings
        if not findings:
            self.fields.pop("override_reason")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") == "later":
            at = data.get("go_live_at")
            now = timezone.now()
            if at is None:
                if "go_live_at" not in self.errors:
                    self.add_error("go_live_at", _("请填写定时发布的日期和时间。"))
            elif at <= now:
                self.add_error("go_live_at", _("定时发布时间应晚于现在。"))
            elif at > now + datetime.timedelta(days=366):
                self.add_error("go_live_at", _("定时发布时间不能超过一年。"))
        else:
            data["go_live_at"] = None
        if self.findings and not (data.get("override_reason") or "").strip():
            self.add_error(
                "override_reason",
                _("自动检查有发现。请写明可以公开的理由，或退回修改。"),
            )
        return data


# ------------------------------------------------------------------ after publication


class ValidityForm(ClerkForm):
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    effective_date = forms.DateField(
        label=_("失效、废止或修改日期"), required=False, widget=_date_input()
    )
    replaced_by = forms.CharField(
        label=_("替代文件的索引号"),
        max_length=80,
        required=False,
        help_text=_("“已修改”时必填：填写修改后新文件的索引号"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean_replaced_by(self) -> Item | None:
        value = self.cleaned_data["replaced_by"].strip()
        if not value:
            return None
        item = Item.objects.published().filter(index_number=value).first()
        if item is None:
            raise ValidationError(_("没有找到该索引号的已公开信息。"))
        return item


class ReassessForm(ClerkForm):
    decision = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("keep", _("继续不予公开")), ("release", _("转为主动公开（送公开办审核）"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("复核意见"), max_length=REASON_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )


class SecretHandledForm(ClerkForm):
    note = forms.CharField(
        label=_("线下处置情况"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# ------------------------------------------------------------------ category tree


class CategoryForm(ClerkForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=100_000, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    retention = forms.ChoiceField(
        label=_("保管期限"),
        choices=[("", _("（沿用上级分类；都未设置时为定期10年）")), *Retention.choices],
        required=False,
        help_text=_("移交档案时这一分类下信息的保管期限"),
    )

    def clean_name(self) -> str:
        value = " ".join(self.cleaned_data["name"].split())
        if not value:
            raise ValidationError(_("请填写名称。"))
        return value


class CategoryCreateForm(CategoryForm):
    kind = forms.ChoiceField(label=_("类型"), choices=CategoryKind.choices)
    unit = UnitChoiceField(
        label=_("所属单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("留空表示所有单位通用（需要市级管理权限）"),
    )
    parent = forms.ModelChoiceField(
        label=_("上级分类"), queryset=Category.objects.none(), required=False
    )

    field_order = ["parent", "name", "kind", "unit", "description", "sort_order", "retention"]

    def __init__(self, *args: Any, user: Any, categories: QuerySet[Category], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields.pop("is_active")
        units = permissions.units_for(user, "catalog.manage_categories").filter(is_active=True)
        self._model("unit").queryset = units
        self._model("unit").empty_label = gettext("（所有单位通用）")
        self._model("parent").queryset = categories
        self._model("parent").choices = [
            ("", gettext("（顶层）")),
            *[c for group in category_choices(categories)[1:] for c in group[1]],
        ]


class AliasForm(ClerkForm):
    kind = forms.ChoiceField(label=_("类型"), choices=AliasKind.choices)
    name = forms.CharField(label=_("别名（旧网站上的名称）"), max_length=100)
    target = forms.CharField(
        label=_("对应的分类"),
        max_length=100,
        help_text=_("填本系统中的代码或名称，如 art21-08 或 社会救助情况"),
    )

    def clean_name(self) -> str:
        value = " ".join(self.cleaned_data["name"].split())
        if not value:
            raise ValidationError(_("请填写别名。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, target = data.get("kind"), (data.get("target") or "").strip()
        if kind and target:
            from gongkai.catalog import names

            match = names.find(kind, target)
            if match is None or match.how not in ("code", "name"):
                self.add_error(
                    "target",
                    _("没有代码或名称为“%(t)s”的%(k)s。") % {"t": target, "k": names.LABELS[kind]},
                )
            else:
                data["target"] = match.target
        return data
