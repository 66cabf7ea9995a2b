"""API authentication: a personal access token (Bearer) or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from dangjian.accounts.roles import OTP_REQUIRED_ROLES
from dangjian.accounts.scope import resolve_scope
from dangjian.accounts.services import api_token_user
from dangjian.audit.context import current_request


class _Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # An expired token answers 401, a read-only token asked to write 403 (the API's error handler
        # turns the exception into {"code", "message"}).
        user = api_token_user(token, method=request.method or "GET", ip=current_request.get().ip)
        if user is not None:
            request.user = user  # the lazily resolved request.scope then reads this user
        return user


class _Session(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # Same rule as the pages: administrative roles must have verified TOTP in this session.
        if (
            settings.OTP_REQUIRED_FOR_ADMIN_ROLES
            and resolve_scope(user).roles & OTP_REQUIRED_ROLES
            and not user.is_verified()
        ):
            return None
        return user


def SessionOrToken() -> list[Any]:
    return [_Bearer(), _Session(csrf=True)]
