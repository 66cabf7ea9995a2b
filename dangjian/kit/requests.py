"""Small typed questions about a request."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the JSON API (/api/...), which answers errors as JSON, never as pages."""
    return request.path.startswith("/api/")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for logs, audit events and rate limits.

    Behind the reverse proxy (docs/deployment.md) the proxy sets X-Real-IP to the address it saw; never
    trust a client's X-Forwarded-For chain blindly.
    """
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None
