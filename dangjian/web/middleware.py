"""Request id and client IP for logs and audit events."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dangjian.audit.context import RequestContext, current_request


def client_ip(request: HttpRequest) -> str | None:
    # Behind the reverse proxy (docs/deployment.md) the proxy sets X-Real-IP; never trust a client header
    # chain blindly, take the address the proxy saw.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.META.get("HTTP_X_REQUEST_ID", "")[:40] or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request.set(RequestContext(ip=client_ip(request), request_id=request_id))
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request.get().request_id or "-"
        return True
