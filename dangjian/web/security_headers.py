"""Content-Security-Policy and Permissions-Policy on every response.

Django's SecurityMiddleware sends HSTS, Referrer-Policy, Cross-Origin-Opener-Policy and nosniff, and
XFrameOptionsMiddleware the frame header; the two headers Django 5.2 has no setting for are added here
(settings ``CONTENT_SECURITY_POLICY``, ``CONTENT_SECURITY_POLICY_REPORT_ONLY`` and ``PERMISSIONS_POLICY``,
documented in docs/deployment.md). Pages may hold no inline script: behaviour lives in static files
(``web/app.js``), data in ``json_script`` blocks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ENFORCING = "Content-Security-Policy"
REPORTING = "Content-Security-Policy-Report-Only"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy:
            header = REPORTING if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY else ENFORCING
            response.headers.setdefault(header, policy)  # a view that sets its own policy keeps it
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
