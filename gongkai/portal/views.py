from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Unit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organs = Unit.objects.organs().active().order_by("path")
    return render(request, "portal/home.html", {"organs": organs})


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse("User-agent: *\nDisallow: /staff/\nDisallow: /api/\n",
                        content_type="text/plain")
