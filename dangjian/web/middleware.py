"""Request id and client IP for logs and audit events."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dangjian.audit.context import RequestContext, current_request
from dangjian.kit.requests import client_ip  # one definition, shared with the rate limits in kit

__all__ = ["RejectNullCharactersMiddleware", "RequestIdLogFilter", "RequestIdMiddleware", "client_ip"]


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


class RejectNullCharactersMiddleware:
    """Refuse input containing NUL characters (PostgreSQL cannot store them) with a 400, before any view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            from django.http import JsonResponse

            message = "请求中含有不可见的空字符(NUL)，请删除后重试。"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message, "fields": {}}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and content_type.startswith("application/json"):
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
        return False
