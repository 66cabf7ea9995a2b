"""Small typed questions about a request."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the JSON API (/api/...), which answers errors as JSON, never as pages."""
    return request.path.startswith("/api/")
