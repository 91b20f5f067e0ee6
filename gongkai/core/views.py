from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.permissions import roles_of
from gongkai.core.workbench import queues_for


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/workbench.html",
        {
            "queues": queues_for(request),
            "my_roles": roles_of(request.user),  # type: ignore[arg-type]
        },
    )
