"""The archivist's page: run a year's transfer for an organ and download the packages made."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts import permissions
from gongkai.archives import actions, queries


class TransferForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("机关"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=gettext_lazy("年度"))
    fonds = forms.CharField(
        label=gettext_lazy("全宗号"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("由档案馆确定；填写后移交包中的档号写全称"),
    )

    def __init__(self, *args, organs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organs
        self.fields["year"].initial = timezone.localdate().year - 1


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any(request.user, "archives.transfer"):
        raise PermissionDenied
    organs = queries.organs_for(request.user)
    form = TransferForm(request.POST or None, organs=organs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = actions.archive_transfer(
                actor=request.user, unit=data["unit"], year=data["year"], fonds=data["fonds"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("已生成 %(unit)s %(year)s 年度的移交包：信息 %(items)s 件，申请 %(apps)s 件。")
                % {
                    "unit": transfer.unit.name,
                    "year": transfer.year,
                    "items": transfer.items,
                    "apps": transfer.applications,
                },
            )
            return redirect("archives:index")
    return render(
        request,
        "archives/index.html",
        {"form": form, "transfers": queries.transfers_for(request.user)[:50]},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    transfer = queries.transfers_for(request.user).filter(pk=pk).first()
    if transfer is None:
        raise Http404("no such transfer")
    try:
        handle = transfer.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("package missing from storage") from exc
    return FileResponse(
        handle, as_attachment=True, filename=transfer.filename, content_type="application/zip"
    )
