"""Forms of the report pages. They validate only; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.reports import formats
from gongkai.reports.models import ReportFormat

MAX_UPLOAD = 5 * 1024 * 1024


class CreateForm(forms.Form):
    format = forms.ChoiceField(
        label=_("报告格式"),
        choices=[
            (ReportFormat.F2021.value, ReportFormat.F2021.label),
            (ReportFormat.F2019.value, ReportFormat.F2019.label),
        ],
        required=False,
    )


def _field_for(kind: str, label: str) -> forms.Field:
    if kind == formats.COUNT:
        return forms.IntegerField(label=label, min_value=0, max_value=10_000_000, required=False)
    if kind == formats.CHANGE:
        return forms.IntegerField(
            label=label, min_value=-10_000_000, max_value=10_000_000, required=False
        )
    if kind == formats.AMOUNT:
        return forms.CharField(
            label=label,
            max_length=24,
            required=False,
            help_text=_("单位：万元，最多 6 位小数"),
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    return forms.CharField(label=label, max_length=100, required=False)


class ReportForm(forms.Form):
    """The working copy: title, the prose sections, the entered section 二 figures."""

    title = forms.CharField(label=_("标题"), max_length=200)
    section_1 = forms.CharField(
        label=formats.SECTION_TITLES["1"], required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    section_5 = forms.CharField(
        label=formats.SECTION_TITLES["5"], required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    section_6 = forms.CharField(
        label=formats.SECTION_TITLES["6"], required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    entered_source = forms.CharField(
        label=_("人工填报数字的来源"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明行政许可、行政处罚、行政强制和收费金额各取自哪里，便于日后核对"),
    )

    def __init__(self, *args: Any, fmt: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fmt = fmt
        self.groups: list[dict[str, Any]] = []
        for group in formats.PROACTIVE[fmt]:
            if group.computed:
                continue
            fields = []
            for row, row_label in group.rows:
                for col, col_label, kind in group.columns:
                    name = f"entered__{row}__{col}"
                    self.fields[name] = _field_for(kind, f"{row_label}：{col_label}")
                    fields.append(name)
            self.groups.append({"heading": group.heading, "fields": fields})

    def entered_groups(self) -> list[dict[str, Any]]:
        return [
            {"heading": g["heading"], "fields": [self[name] for name in g["fields"]]}
            for g in self.groups
        ]

    @staticmethod
    def initial_for(report: Any) -> dict[str, Any]:
        initial = {
            "title": report.title,
            "section_1": report.section_1,
            "section_5": report.section_5,
            "section_6": report.section_6,
            "entered_source": report.entered_source,
        }
        for row, values in (report.entered or {}).items():
            for col, value in values.items():
                initial[f"entered__{row}__{col}"] = value
        return initial

    def entered(self) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("entered__"):
                _prefix, row, col = name.split("__")
                result.setdefault(row, {})[col] = "" if value is None else value
        return result


class AcknowledgeForm(forms.Form):
    rule = forms.CharField(max_length=40, widget=forms.HiddenInput)
    cell = forms.CharField(max_length=80, widget=forms.HiddenInput)
    message = forms.CharField(max_length=500, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("核对说明"),
        max_length=500,
        error_messages={"required": _("请写明核对情况。")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明原因。")},
    )


class RedraftForm(forms.Form):
    section = forms.ChoiceField(choices=[("1", "1"), ("6", "6")])


def _organ_field(organs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("机关"), queryset=organs, empty_label=_("请选择"), to_field_name="code"
    )


class LegacyImportForm(forms.Form):
    """A pre-2019 report copied from an old website page."""

    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2008,
        max_value=2100,
        help_text=_("留空则从标题中识别，如“……2017年政府信息公开工作年度报告”"),
    )
    text = forms.CharField(
        label=_("报告全文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("第一行为标题；网页上的“发布日期、文章来源、点击次数”等行会自动去掉"),
        max_length=200_000,
    )

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _organ_field(organs), **self.fields}


class JsonImportForm(forms.Form):
    """A report in the JSON form of REPORT_FORMAT.md (2021 or 2019 format, or legacy)."""

    file = forms.FileField(label=_("JSON 文件"))
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    published_date = forms.DateField(
        label=_("原发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("更正原因"),
        required=False,
        max_length=1000,
        help_text=_("再次导入同一年度的报告即为更正，须写明原因"),
    )

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _organ_field(organs), **self.fields}

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件过大（不超过 5 MB）。"))
        return upload.read()


class PageImportForm(forms.Form):
    """A report page saved from the site it was published on (HTML)."""

    file = forms.FileField(label=_("报告网页（HTML）"))
    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    reason = forms.CharField(
        label=_("更正原因"),
        required=False,
        max_length=1000,
        help_text=_("再次导入同一年度的报告即为更正，须写明原因"),
    )

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _organ_field(organs), **self.fields}

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件过大（不超过 5 MB）。"))
        return upload.read()
