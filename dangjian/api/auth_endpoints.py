from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from dangjian.accounts.services import api_token_create

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime


@router.post("/token", auth=None, response=TokenOut)
def create_token(request: HttpRequest, payload: TokenIn) -> dict:
    """Exchange a username and password for a personal access token (same lockout as the web login)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, "登录失败次数过多，账号已暂时锁定，请稍后再试。")
    if user is None:
        raise HttpError(401, "工号/学号或密码不正确。")
    token, raw = api_token_create(user=user, name="API")  # type: ignore[arg-type]
    return {"token": raw, "expires_at": token.expires_at}
