"""Forms of the staff pages; they validate only (actions clean and save)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

RICH_HELP = _(
    "可直接输入文字（空一行分段），也可使用简单的 HTML：段落、标题、列表、表格、链接、图片"
    "（图片须写替代文字）。脚本和样式会被自动清除。"
)


def _rich(label, rows: int = 8, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=100_000,
        help_text=RICH_HELP,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class GuideForm(forms.Form):
    office_name = forms.CharField(
        label=_("政府信息公开工作机构"),
        required=False,
        max_length=100,
        help_text=_("如 乳山市诸往镇人民政府党政办公室；留空时使用单位全称。"),
    )
    introduction = _rich(_("前言"), rows=4)
    arrangement = _rich(_("信息分类与编排（补充说明）"))
    proactive = _rich(_("主动公开的获取方式（补充说明）"))
    on_request = _rich(_("依申请公开的办理（补充说明）"))
    supervision = _rich(_("监督和救济（补充说明）"))


class PageForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = _rich(_("正文"), rows=16, required=True)
    sort_order = forms.IntegerField(
        label=_("排序"),
        min_value=0,
        max_value=10_000,
        initial=0,
        help_text=_("数字小的排在前面"),
    )
