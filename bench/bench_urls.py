"""The project's URLs plus /bench-bare/: the cheapest page Django can serve through the same
middleware and gunicorn settings, the yardstick for the portal's pages. Bench only."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>bare</title><p>bare</p>")


urlpatterns = [path("bench-bare/", bare), path("", include("gongkai.urls"))]
