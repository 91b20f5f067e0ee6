"""Security headers on every response: the Content-Security-Policy and Permissions-Policy.

The policy allows scripts only from this site's own files: templates carry no inline <script>
(data goes in json_script blocks, which are not run) and no on*= handlers or javascript: links;
behaviour hangs on data- attributes read by static/js/site.js (a test scans the templates).
Inline style attributes stay allowed: ECharts and htmx set styles, and styles cannot run code.
HSTS and nosniff come from Django's SecurityMiddleware (settings.SECURE_*).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        response.headers.setdefault(header, POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response
