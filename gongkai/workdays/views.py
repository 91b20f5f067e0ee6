"""Staff pages of the working-day calendar: every member of staff may look and count; only holders
of workdays.manage import a notice or change a day (the actions check again)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.workdays import actions, queries
from gongkai.workdays.calendar import count_workdays
from gongkai.workdays.forms import ORDINARY, CountForm, DayForm, NoticeForm, text_digest
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.notice import NoticeError, parse_notice

MANAGE = "workdays.manage"


def _can_manage(request: HttpRequest) -> bool:
    return permissions.has_any(request.user, MANAGE)


def _require_manage(request: HttpRequest) -> None:
    if not _can_manage(request):
        raise PermissionDenied(_("只有管理员可以修改工作日历。"))


def _year_url(year: int, anchor: str = "") -> str:
    return f"{reverse('workdays:index')}?year={year}{anchor}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    years = list(queries.covered_years())
    covered = {y.year for y in years}
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    if not 1949 <= year <= 2200:
        year = today.year
    days = queries.days_of_year(year)
    count = _count(request)
    return render(
        request,
        "workdays/index.html",
        {
            "years": years,
            "year": year,
            "calendar_year": next((y for y in years if y.year == year), None),
            "covered": year in covered,
            "rows": queries.holiday_rows(days),
            "months": queries.month_grid(year, days),
            "today": today,
            "missing_next": today.year + 1 not in covered,
            "next_year": today.year + 1,
            "can_manage": _can_manage(request),
            **count,
        },
    )


def _count(request: HttpRequest) -> dict:
    """The deadline calculator: start + N working days, or why it cannot say."""
    if "start" not in request.GET:
        return {"count_form": CountForm(initial={"start": timezone.localdate(), "n": 20})}
    form = CountForm(request.GET)
    result: dict = {"count_form": form}
    if form.is_valid():
        start, n = form.cleaned_data["start"], form.cleaned_data["n"]
        dated = count_workdays(start, n)
        result["count_due"] = dated.date
        if dated.provisional:
            result["count_reason"] = dated.reason
            result["count_earliest"] = dated.earliest
    return result


@login_required
def import_notice(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    if request.method != "POST":
        return render(request, "workdays/import.html", {"form": NoticeForm()})
    form = NoticeForm(request.POST)
    context: dict = {"form": form}
    if not form.is_valid():
        return render(request, "workdays/import.html", context)
    year, text = form.cleaned_data["year"], form.cleaned_data["text"]
    digest = text_digest(f"{year}\n{text}")
    try:
        notice = parse_notice(text, year)
    except NoticeError as exc:
        form.add_error("text", str(exc))
        return render(request, "workdays/import.html", context)
    if request.POST.get("step") == "confirm":
        if form.cleaned_data["previewed"] != digest:
            messages.warning(
                request, _("通知内容或年份在预览后改动过，请核对下面的新预览后再确认。")
            )
        else:
            try:
                result = actions.calendar_import_notice(actor=request.user, text=text, year=year)
            except NoticeError as exc:
                form.add_error("text", str(exc))
                return render(request, "workdays/import.html", context)
            messages.success(
                request,
                _("已导入 %(year)s 年节假日安排：%(h)s 个放假日，%(w)s 个调休上班日。")
                % {
                    "year": year,
                    "h": result.notice.holiday_count,
                    "w": result.notice.workday_count,
                },
            )
            return redirect(_year_url(year))
    data = request.POST.copy()
    data["previewed"] = digest
    context.update(
        {
            "form": NoticeForm(data),
            "notice": notice,
            "rows": queries.notice_rows(notice),
            "changes": queries.notice_changes(year, notice),
            "existing": CalendarYear.objects.filter(year=year).first(),
        }
    )
    return render(request, "workdays/import.html", context)


@login_required
def day_edit(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    if request.method == "POST":
        form = DayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["date"]
            kind = form.cleaned_data["kind"] or None
            try:
                actions.day_set(
                    actor=request.user,
                    date=day,
                    kind=kind,
                    name=form.cleaned_data["name"] if kind else "",
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存 %(date)s 的设置。") % {"date": day.isoformat()})
                return redirect(_year_url(day.year, f"#m{day.month}"))
        return render(request, "workdays/day.html", {"form": form, "current": None})
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    current = SpecialDay.objects.filter(date=day).first()
    form = DayForm(
        initial={
            "date": day,
            "kind": current.kind if current else ORDINARY,
            "name": current.name if current else "",
        }
    )
    return render(
        request,
        "workdays/day.html",
        {
            "form": form,
            "current": current,
            "day": day,
            "covered": CalendarYear.objects.filter(year=day.year).exists(),
        },
    )
