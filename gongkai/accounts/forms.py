"""Forms of the sign-in and administration pages. They validate only; actions change things."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Role, TokenScope, Unit
from gongkai.accounts.queries import unit_tree
from gongkai.lib import codes


def apply_errors(
    form: forms.BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show an action's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = aliases.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class _NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，不能全是数字，不能是常见密码，也不能与用户名、邮箱过于相似。"),
    )
    password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("两次输入的新密码不一致。"))
        return data


class PasswordChangeForm(_NewPasswordMixin):
    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password1", "password2"]


class SetPasswordForm(_NewPasswordMixin):
    pass


class TreeChoiceIterator(ModelChoiceIterator):
    """Units in tree order, each label indented by its depth."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in unit_tree(self.queryset):
            value, label = self.choice(row.unit)
            yield (value, "\u3000" * row.depth + label)


class UnitChoiceField(forms.ModelChoiceField):
    iterator = TreeChoiceIterator

    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return obj.name if obj.is_active else f"{obj.name}（{_('已停用')}）"


# Enough for any sibling order, and within every database's integer column.
SORT_ORDER_MAX = 99999


def _unit_formfield(db_field: Any, **kwargs: Any) -> forms.Field | None:
    if db_field.name == "website":
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class UnitForm(forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), label=_("上级单位"), required=False)

    class Meta:
        model = Unit
        formfield_callback = _unit_formfield
        fields = [
            "parent",
            "name",
            "short_name",
            "code",
            "kind",
            "is_organ",
            "org_code",
            "index_template",
            "address",
            "postcode",
            "opening_hours",
            "phone",
            "fax",
            "email",
            "website",
            "sort_order",
            "is_active",
        ]
        help_texts = {
            "index_template": _(
                "可用 {org_code}（组织机构代码）、{code}（单位代码）、{year}（年份）、"
                "{serial}（流水号）组成，必须含年份和流水号，"
                "例如 {org_code}/{year}-{serial:05d} 生成 004362519/2024-00001。"
            ),
            "sort_order": _("同级单位按此数字从小到大排列。"),
            "opening_hours": _("写入政府信息公开指南，例如：工作日 8:30-12:00，13:30-17:30"),
        }

    def __init__(
        self, *args: Any, parent_choices: Any, parent_locked: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(UnitChoiceField, self.fields["parent"])
        field.queryset = parent_choices
        field.empty_label = _("（无上级，顶级单位）") if not parent_locked else None
        if parent_locked:
            # The administrator does not manage this unit's parent: they may edit the unit
            # but not move it.
            field.disabled = True
            field.help_text = _("上级单位不在您的管理范围内，不能移动本单位。")
        for name in ("postcode", "sort_order"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["sort_order"].validators.append(MaxValueValidator(SORT_ORDER_MAX))
        self.fields["sort_order"].widget.attrs["max"] = SORT_ORDER_MAX
        self.legacy_org_code = ""
        if self.instance.pk and self.instance.org_code:
            try:
                codes.validate_organ_code(self.instance.org_code)
            except ValidationError as exc:
                # Codes carried over from older systems are kept (editing the phone number must
                # not be blocked by them) but flagged until someone corrects them.
                self.legacy_org_code = self.instance.org_code
                self.fields["org_code"].help_text = _(
                    "注意：现存的代码未通过校验（%(reason)s）请核对证书后更正。"
                ) % {"reason": " ".join(exc.messages)}

    def clean_org_code(self) -> str:
        value = self.cleaned_data.get("org_code", "")
        if not value.strip():
            return ""
        if self.legacy_org_code and codes.normalise(value) == codes.normalise(self.legacy_org_code):
            return self.legacy_org_code
        return codes.validate_organ_code(value)

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "").strip()
        if value and not re.fullmatch(r"\d{6}", value):
            raise ValidationError(_("邮政编码是 6 位数字。"))
        return value

    def clean_code(self) -> str:
        return self.cleaned_data.get("code", "").strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        is_organ = data.get("is_organ")
        if is_organ and not data.get("org_code") and "org_code" not in self.errors:
            self.add_error("org_code", _("行政机关必须填写组织机构代码或统一社会信用代码。"))
        template = (data.get("index_template") or "").strip()
        if is_organ or template:
            try:
                data["index_template"] = codes.validate_index_template(template)
            except ValidationError as exc:
                self.add_error("index_template", exc)
        return data


class UserCreateForm(_NewPasswordMixin):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录用，建议用拼音，如 zhangsan；只能含字母、数字和 @ . + - _"),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("所属单位"))
    role = forms.ChoiceField(label=_("在所属单位的角色"), required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("手机"), max_length=30, required=False)
    field_order = ["username", "full_name", "unit", "role", "email", "phone", "password1"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(UnitChoiceField, self.fields["unit"])
        unit.queryset = units
        unit.empty_label = _("请选择")
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", _("（暂不授予）")),
            *Role.choices,
        ]
        self.fields["password1"].label = _("初始密码")
        self.fields["password2"].label = _("再次输入初始密码")


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("所属单位"), required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("手机"), max_length=30, required=False)
    is_active = forms.BooleanField(
        label=_("账号启用"),
        required=False,
        help_text=_("停用后不能登录，接口令牌同时作废；历史记录保留。"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(UnitChoiceField, self.fields["unit"])
        unit.queryset = units
        unit.empty_label = _("（未指定）")


class RoleGrantForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("单位"))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(UnitChoiceField, self.fields["unit"])
        unit.queryset = units
        unit.empty_label = _("请选择")


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100, required=False)
    scope = forms.MultipleChoiceField(
        label=_("可以修改的业务"),
        choices=[(v, label) for v, label in TokenScope.choices if v != TokenScope.READ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("都不选即为只读令牌。令牌的权限不会超过您本人的权限。"),
    )
    days = forms.IntegerField(label=_("有效天数"), min_value=1)

    def __init__(self, *args: Any, max_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = cast(forms.IntegerField, self.fields["days"])
        days.max_value = max_days
        days.validators.append(MaxValueValidator(max_days))
        days.widget.attrs.update(max=str(max_days), inputmode="numeric")
        days.initial = min(90, max_days)
