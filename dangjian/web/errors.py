"""The error pages (handler400/403/404/500 in config/urls.py and CSRF_FAILURE_VIEW).

Pages are in Chinese, from templates that extend ``web/error_layout.html`` and never show technical
detail. Under /api/ the same errors answer the API's JSON shape ``{"code", "message", "fields"}``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from dangjian.kit.requests import is_api


def _json(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message, "fields": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return _json("bad_request", "请求有误。", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return _json("forbidden", "无权执行此操作。", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return _json("not_found", "未找到。", 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return _json("server_error", "服务器出错了，请稍后重试。", 500)
    return defaults.server_error(request)  # 500.html, rendered without a request context or database


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF check failed: most often a form left open too long or a session ended elsewhere."""
    if is_api(request):
        return _json("csrf_failed", "安全校验失败：页面已过期，请刷新后重试。", 403)
    return render(request, "403_csrf.html", status=403)
