"""The django-ninja API root: /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Every error answers ``{"code": "...", "message": "中文说明", "fields": {...}}``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dangjian import hooks
from dangjian.api.auth import SessionOrToken
from dangjian.kit.errors import DomainError
from dangjian.kit.ratelimit import RateLimited

api = NinjaAPI(
    title="智慧党建 API", version="1", urls_namespace="api", auth=SessionOrToken(), docs_url="/docs"
)

_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "string_pattern_mismatch": "取值无效",
    "int_parsing": "应为整数",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "date_from_datetime_parsing": "应为日期(YYYY-MM-DD)",
    "date_parsing": "应为日期(YYYY-MM-DD)",
    "json_invalid": "不是有效的 JSON",
}


def _error(
    request: HttpRequest, code: str, message: str, fields: dict[str, str], status: int
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    fields = {exc.field: exc.message} if exc.field else {}
    return _error(request, exc.code, exc.message, fields, exc.status)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, exc.code, exc.message, {}, 429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for err in exc.errors:
        parts = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        loc = ".".join(parts) or "body"
        fields[loc] = _PYDANTIC_MESSAGES.get(err.get("type", ""), "格式不正确")
    return _error(request, "invalid", "请求数据有误，请检查各字段。", fields, 422)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {k: "；".join(str(m) for e in v for m in e.messages) for k, v in exc.error_dict.items()}
    else:
        fields = {"body": "；".join(exc.messages)}
    return _error(request, "invalid", next(iter(fields.values()), "请求数据有误。"), fields, 422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, "not_found", "未找到。", {}, 404)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "unauthorized", "请先登录或提供有效的访问令牌。", {}, 401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, "error", str(exc), {}, exc.status_code)


from dangjian.api import auth_endpoints  # noqa: E402

api.add_router("/auth", auth_endpoints.router)
for mount in hooks.api_routers.all():  # every app's router (``hooks.api_routers``)
    api.add_router(mount.prefix, import_string(mount.router.replace(":", ".")))
