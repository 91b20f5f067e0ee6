"""The office's settings for 依申请公开: the number prefix, the 复议机关 and court its letters
name, and its own wording of each letter (checked on save; a preview shows a sample case)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications import letters
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.codes import Decision
from gongkai.applications.forms import apply_errors
from gongkai.applications.forms_case import OrganSettingsForm, TemplateForm
from gongkai.applications.letter_texts import SPECS, spec_label
from gongkai.applications.models import Application, LetterTemplate


def _organs(request: HttpRequest):
    return (
        Unit.objects.organs()
        .active()
        .filter(pk__in=permissions.units_for(request.user, "applications.configure").values("pk"))
        .order_by("path")
    )


def _organ(request: HttpRequest, code: str) -> Unit:
    organ = _organs(request).filter(code=code).first()
    if organ is None:
        raise Http404
    return organ


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    organs = list(_organs(request))
    if not organs:
        raise PermissionDenied
    if len(organs) == 1:
        return redirect("applications:settings_organ", code=organs[0].code)
    return render(request, "applications/staff/settings_index.html", {"organs": organs})


@login_required
@require_http_methods(["GET", "POST"])
def organ_view(request: HttpRequest, code: str) -> HttpResponse:
    organ = _organ(request, code)
    row = organ_settings(organ)
    if request.method == "POST":
        form = OrganSettingsForm(request.POST, instance=row)
        if form.is_valid():
            try:
                letters.organ_settings_save(
                    actor=request.user,
                    organ=organ,
                    **{name: form.cleaned_data[name] for name in letters.SETTING_FIELDS},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("applications:settings_organ", code=organ.code)
    else:
        form = OrganSettingsForm(instance=row)
    custom = set(LetterTemplate.objects.filter(organ=organ).values_list("key", flat=True))
    templates = [
        {"key": key, "label": spec_label(spec), "custom": key in custom}
        for key, spec in SPECS.items()
    ]
    body, court = letters.remedy_bodies(organ)
    return render(
        request,
        "applications/staff/settings.html",
        {
            "organ": organ,
            "form": form,
            "templates": templates,
            "missing": letters.missing_settings(organ),
            "remedy_sample": letters.remedy_text(organ, "refusal"),
            "remedy_sample_arguable": letters.remedy_text(organ, "nonexistent"),
            "remedy_sample_other": letters.remedy_text(organ, "disclosure"),
            "body": body,
            "court": court,
        },
    )


def sample_application(organ: Unit) -> Application:
    """An unsaved case to preview a template with."""
    today = timezone.localdate()
    app = Application(
        number=f"{organ_settings(organ).number_prefix}-{today.year}-0000",
        organ=organ,
        channel="online",
        received_date=today - datetime.timedelta(days=14),
        due_date=today + datetime.timedelta(days=14),
        applicant_type="natural_person",
        applicant_name=_("张三"),
        description=_("2025年度农村危房改造补助对象名单"),
        decision=Decision.STATE_SECRET,
        legal_basis=_("《中华人民共和国政府信息公开条例》第十四条"),
        reasons=_("（此处为拟定答复时填写的理由）"),
    )
    app.submitted_at = timezone.now()
    return app


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, code: str, key: str) -> HttpResponse:
    organ = _organ(request, code)
    if key not in SPECS:
        raise Http404
    spec = SPECS[key]
    current = letters.template_for(organ, key)
    preview = None
    if request.method == "POST":
        form = TemplateForm(request.POST, key=key)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(
                    organ, key, form.cleaned_data["title"], form.cleaned_data["body"]
                )
            else:
                try:
                    letters.template_save(
                        actor=request.user,
                        organ=organ,
                        key=key,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("模板已保存，此后出具的文书将使用新的措辞。"))
                    return redirect("applications:settings_organ", code=organ.code)
    else:
        form = TemplateForm(initial={"title": current.title, "body": current.body}, key=key)
    return render(
        request,
        "applications/staff/template_edit.html",
        {
            "organ": organ,
            "spec": spec,
            "label": spec_label(spec),
            "form": form,
            "customised": current.customised,
            "placeholders": [
                {"name": name, "help": text, "required": name in spec.required}
                for name, text in spec.placeholders.items()
            ],
            "preview": preview,
        },
    )


def _preview(organ: Unit, key: str, title: str, body: str) -> letters.Rendered:
    app = sample_application(organ)
    values = {name: f"〔{name}〕" for name in SPECS[key].placeholders}
    values.update(
        {
            "机关名称": organ.name,
            "申请人": app.applicant_name,
            "申请编号": app.number,
            "救济途径": letters.remedy_text(organ, key),
        }
    )
    return letters.Rendered(
        spec=SPECS[key],
        title=title,
        body=letters.fill(body, values),
        issued=timezone.localdate(),
        organ_name=organ.name,
    )


@login_required
@require_POST
def template_reset(request: HttpRequest, code: str, key: str) -> HttpResponse:
    organ = _organ(request, code)
    get_object_or_404(LetterTemplate, organ=organ, key=key)
    letters.template_reset(actor=request.user, organ=organ, key=key)
    messages.success(request, _("已恢复为系统默认措辞。"))
    return redirect("applications:settings_organ", code=organ.code)
