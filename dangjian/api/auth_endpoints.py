from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Router, Schema
from ninja.errors import HttpError

from dangjian.accounts.roles import OTP_REQUIRED_ROLES
from dangjian.accounts.scope import resolve_scope
from dangjian.accounts.services import api_token_create
from dangjian.kit.access_rules import access_rule, public
from dangjian.kit.ratelimit import enforce_rate_limit

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None  # required for administrative roles (same rule as the web login)


class TokenOut(Schema):
    token: str
    expires_at: datetime


@access_rule(public())
@router.post("/token", auth=None, response=TokenOut)
def create_token(request: HttpRequest, payload: TokenIn) -> dict:
    """Exchange a username and password (and TOTP code for admin roles) for a personal access token.
    429 ``rate_limited`` when this account or address tries too often (``RATE_LIMITS`` login and token)."""
    enforce_rate_limit(request, "login", user=payload.username)
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, "登录失败次数过多，账号已暂时锁定，请稍后再试。")
    if user is None:
        raise HttpError(401, "工号/学号或密码不正确。")
    if settings.OTP_REQUIRED_FOR_ADMIN_ROLES and resolve_scope(user).roles & OTP_REQUIRED_ROLES:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise HttpError(401, "该账号需要先在网页端绑定动态验证码。")
        if not payload.otp or not device.verify_token(payload.otp):
            raise HttpError(401, "该账号需要有效的动态验证码(otp)。")
    enforce_rate_limit(request, "token", user=user.pk)
    token, raw = api_token_create(user=user, name="API")  # type: ignore[arg-type]
    return {"token": raw, "expires_at": token.expires_at}
