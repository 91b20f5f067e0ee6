"""The year's work entries of an organ (培训、考核、社会评议、责任追究、政府信息管理、平台建设),
which the draft of section 一 quotes (国办公开办函〔2021〕30号)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.reports import actions
from gongkai.reports.models import WorkEntry
from gongkai.reports.views import check_year, organ_and_report


class WorkEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("类别"), choices=WorkEntry.Kind.choices)
    date = forms.DateField(
        label=_lazy("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_lazy("内容"),
        max_length=300,
        help_text=_lazy("一句话写明事项，如“组织全镇政务公开业务培训，60人参加”。"),
    )


def _organ(request: HttpRequest, code: str, year: int):
    check_year(year)
    organ, report = organ_and_report(request, code, year)
    if not permissions.has_perm(request.user, "reports.edit", organ):
        raise PermissionDenied
    return organ, report


@login_required
@require_http_methods(["GET", "POST"])
def entries(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organ, report = _organ(request, code, year)
    form = WorkEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.work_entry_add(actor=request.user, unit=organ, year=year, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已记录。重新生成第一部分草稿时将写入。"))
            return redirect("reports:entries", code=organ.code, year=year)
    return render(
        request,
        "reports/entries.html",
        {
            "organ": organ,
            "year": year,
            "report": report,
            "form": form,
            "entries": WorkEntry.objects.filter(unit=organ, year=year),
        },
    )


@login_required
@require_POST
def entry_delete(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    organ, _report = _organ(request, code, year)
    entry = get_object_or_404(WorkEntry, pk=pk, unit=organ, year=year)
    actions.work_entry_delete(actor=request.user, entry=entry)
    messages.success(request, _("已删除。"))
    return redirect("reports:entries", code=organ.code, year=year)
