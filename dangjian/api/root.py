"""The django-ninja API root: /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dangjian.api.auth import SessionOrToken
from dangjian.core.errors import DomainError

api = NinjaAPI(
    title="智慧党建 API", version="1", urls_namespace="api", auth=SessionOrToken(), docs_url="/docs"
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"code": exc.code, "message": exc.message, "fields": {}}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", [])[1:]) or "body"
        fields[loc] = err.get("msg", "")
    return api.create_response(
        request, {"code": "invalid", "message": "请求数据有误，请检查各字段。", "fields": fields}, status=422
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthorized", "message": "请先登录或提供有效的访问令牌。", "fields": {}},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"code": "error", "message": str(exc), "fields": {}}, status=exc.status_code
    )


from dangjian.api import auth_endpoints  # noqa: E402
from dangjian.core.api import router as core_router  # noqa: E402

api.add_router("/auth", auth_endpoints.router)
api.add_router("/", core_router)
