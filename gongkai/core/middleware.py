from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from gongkai.lib.cleantext import clean_text, has_forbidden
from gongkai.lib.request_context import client_ip_of, reset_client_ip, set_client_ip


class RequestContextMiddleware:
    """Makes the client's address available to audit rows written inside actions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_client_ip(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)


class SiteLanguageMiddleware:
    """Chinese unless the visitor chose English with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show a
    government site in English to anyone whose phone is set to English; here only the explicit
    choice (the language cookie set by the switch) counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class CleanInputMiddleware:
    """The HTTP boundary of `gongkai.lib.cleantext`: an address (path or query string) holding a
    NUL or another control character is refused with 400 before any view or database sees it;
    submitted form fields are cleaned of such characters (forms and views then see clean text).
    API bodies are cleaned by the API's input schemas (gongkai.api.schema.Input)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_forbidden(request.path) or any(
            has_forbidden(key) or has_forbidden(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            return bad_address(request)
        # Not under /api/: reading a form body here would leave ninja unable to read a JSON one
        # (RawPostDataException); the API cleans its bodies itself.
        if (
            request.method == "POST"
            and request.content_type in _FORM_TYPES
            and not request.path.startswith("/api/")
        ):
            try:
                post = request.POST
            except MultiPartParserError:
                return render(request, "400.html", status=400)
            if any(
                has_forbidden(key) or has_forbidden(value)
                for key, values in post.lists()
                for value in values
            ):
                cleaned = QueryDict(mutable=True)
                for key, values in post.lists():
                    cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned  # type: ignore[misc]
        return self.get_response(request)


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def bad_address(request: HttpRequest) -> HttpResponse:
    message = gettext("地址中含有不允许的字符（如控制字符），请检查后重试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
