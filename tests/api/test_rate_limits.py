"""The API's token endpoint is a login: limited per account and per IP, answered as 429 JSON."""

from __future__ import annotations

from unittest import mock

import pytest
import time_machine
from django.test import Client

from tests.ratelimits import LATER, WINDOW_START, assert_rate_limited_json, set_limit

URL = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def ask(username: str = "member", password: str = "demo12345", ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(
        URL, {"username": username, "password": password}, content_type="application/json"
    )


def test_the_token_login_is_limited_per_account(settings, member_user) -> None:
    set_limit(settings, "login", user="2/m", ip="100/m")
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert [ask().status_code for _ in range(2)] == [200, 200]
        assert_rate_limited_json(ask())
        assert ask("nobody", "x").status_code == 401  # another account is not held back
        traveller.move_to(LATER)
        assert ask().status_code == 200


def test_the_token_login_is_limited_per_ip(settings, member_user) -> None:
    set_limit(settings, "login", user="100/m", ip="1/m")
    with time_machine.travel(WINDOW_START, tick=False):
        assert ask("nobody", "x").status_code == 401
        assert ask().status_code == 429
        assert ask(ip="10.0.0.2").status_code == 200


def test_tokens_created_through_the_api_are_limited_per_user(settings, member_user) -> None:
    set_limit(settings, "token", user="1/h", ip="100/h")
    with time_machine.travel(WINDOW_START, tick=False):
        assert ask().status_code == 200
        response = ask()
    assert_rate_limited_json(response)
    assert response.json()["message"] == "操作太频繁，请 3600 秒后再试。"


def test_the_token_login_is_served_when_the_cache_is_down(settings, member_user) -> None:
    set_limit(settings, "login", user="1/m", ip="1/m")
    with mock.patch("dangjian.kit.ratelimit.cache.add", side_effect=ConnectionError("redis down")):
        assert [ask().status_code for _ in range(3)] == [200, 200, 200]
