"""Request middleware: resolve the scope once per request; end idle sessions; send admins without TOTP to
enrolment and admins with an expired password to 修改密码."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from dangjian.accounts.password_rules import admin_password_expired
from dangjian.accounts.roles import ADMIN_ROLES, OTP_REQUIRED_ROLES
from dangjian.accounts.scope import cached_scope
from dangjian.kit.requests import is_htmx


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: cached_scope(request.user))  # type: ignore[attr-defined]
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


# Seconds since the epoch of the last request, written at most once a minute (not a session write per
# request), so a session ends between N and N+1 minutes after the last click.
LAST_ACTIVITY_KEY = "last_activity"
_ACTIVITY_RESOLUTION = 60


class IdleTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT_MINUTES (administrative roles: ADMIN_SESSION_IDLE_
    TIMEOUT_MINUTES). Requests with an API token carry no session and are not concerned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and settings.SESSION_IDLE_TIMEOUT_MINUTES > 0:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if not isinstance(last, int):
                # Until the first stamp, the login itself is the last activity: no session write on the
                # first request after logging in.
                last_login = request.user.last_login
                last = int(last_login.timestamp()) if last_login else now
            if self._too_long(request, now - last):
                return self._logout(request)
            if now - last >= _ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _too_long(request: HttpRequest, idle_seconds: int) -> bool:
        if idle_seconds > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
            return True
        admin_limit = settings.ADMIN_SESSION_IDLE_TIMEOUT_MINUTES * 60
        return bool(
            0 < admin_limit < idle_seconds and request.scope.roles & ADMIN_ROLES  # type: ignore[attr-defined]
        )

    def _logout(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # answered as anonymous: 401 in the API's own words
        messages.warning(request, _("长时间未操作，已自动退出，请重新登录"))
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())


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
