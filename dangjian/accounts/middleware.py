"""Request middleware: resolve the scope once per request; send admins without TOTP to
enrolment and admins with an expired password to 修改密码."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from dangjian.accounts.password_rules import admin_password_expired
from dangjian.accounts.roles import OTP_REQUIRED_ROLES
from dangjian.accounts.scope import resolve_scope


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: resolve_scope(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)


_OTP_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/")


class OtpRequiredMiddleware:
    """Administrative roles must have verified a TOTP device in this session (django-otp)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.OTP_REQUIRED_FOR_ADMIN_ROLES
            and request.user.is_authenticated
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
            and not request.user.is_verified()  # type: ignore[union-attr,attr-defined]
            and request.scope.roles & OTP_REQUIRED_ROLES  # type: ignore[attr-defined]
        ):
            return redirect("accounts:otp")
        return self.get_response(request)


_PASSWORD_EXEMPT_PREFIXES = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/login/",
    "/accounts/otp/",
    "/static/",
    "/healthz",
    "/i18n/",
    "/api/",
)


class PasswordExpiryMiddleware:
    """An administrator whose password is older than ADMIN_PASSWORD_MAX_AGE_DAYS changes it before anything
    else (after TOTP). Members are not forced."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(_PASSWORD_EXEMPT_PREFIXES)
            and admin_password_expired(request.user)
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)
