"""Rate limits on the account pages: login, password reset and API token creation (RATE_LIMITS)."""

from __future__ import annotations

from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dangjian.accounts.models import ApiToken
from tests.ratelimits import LATER, WINDOW_START, assert_rate_limited_page, set_limit


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def log_in(username: str = "member", ip: str = "10.0.0.1", password: str = "demo12345"):
    return Client(REMOTE_ADDR=ip).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def test_logging_in_too_often_answers_429_in_chinese(settings, member_user) -> None:
    set_limit(settings, "login", user="2/m", ip="100/m")
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert [log_in().status_code for _ in range(2)] == [302, 302]
        assert_rate_limited_page(log_in())
        assert log_in("someone-else", password="x").status_code == 200  # another account: the form again
        traveller.move_to(LATER)
        assert log_in().status_code == 302


def test_the_login_page_itself_is_never_limited(settings, db) -> None:
    set_limit(settings, "login", user="1/m", ip="1/m")
    with time_machine.travel(WINDOW_START, tick=False):
        assert {Client().get(reverse("accounts:login")).status_code for _ in range(3)} == {200}


def test_one_address_is_limited_generously_and_alone(settings, member_user) -> None:
    set_limit(settings, "login", user="100/m", ip="2/m")
    with time_machine.travel(WINDOW_START, tick=False):
        log_in("a", password="x")
        log_in("b", password="x")
        assert log_in().status_code == 429
        assert log_in(ip="10.0.0.2").status_code == 302


def test_login_is_served_when_the_cache_is_down(settings, member_user) -> None:
    set_limit(settings, "login", user="1/m", ip="1/m")
    with mock.patch("dangjian.kit.ratelimit.cache.add", side_effect=ConnectionError("redis down")):
        assert [log_in().status_code for _ in range(3)] == [302, 302, 302]


def test_password_reset_mails_are_limited_per_address_typed(settings, member_user, mailoutbox) -> None:
    settings.EMAIL_URL = "smtp://localhost:25"
    member_user.email = "lxh@example.edu.cn"
    member_user.save()
    set_limit(settings, "password_reset", user="1/h", ip="100/h")
    url = reverse("accounts:password_forgot")
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert Client().post(url, {"email": "lxh@example.edu.cn"}).status_code == 302
        assert_rate_limited_page(Client().post(url, {"email": "LXH@example.edu.cn"}))
        assert Client().post(url, {"email": "other@example.edu.cn"}).status_code == 302
        traveller.move_to(LATER)
        assert Client().post(url, {"email": "lxh@example.edu.cn"}).status_code == 302
    assert len(mailoutbox) == 2


def test_password_reset_is_limited_per_ip(settings, db) -> None:
    settings.EMAIL_URL = "smtp://localhost:25"
    set_limit(settings, "password_reset", user="100/h", ip="1/h")
    url = reverse("accounts:password_forgot")
    with time_machine.travel(WINDOW_START, tick=False):
        assert Client().post(url, {"email": "a@example.edu.cn"}).status_code == 302
        assert Client().post(url, {"email": "b@example.edu.cn"}).status_code == 429
        assert Client(REMOTE_ADDR="10.9.9.9").post(url, {"email": "b@example.edu.cn"}).status_code == 302


def test_creating_api_tokens_on_my_page_is_limited_per_user(
    settings, login, college_organizer, school_admin
) -> None:
    set_limit(settings, "token", user="1/h", ip="100/h")
    url = reverse("accounts:me")
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert login(college_organizer).post(url, {"name": "一"}).status_code == 200
        assert_rate_limited_page(login(college_organizer).post(url, {"name": "二"}))
        assert login(college_organizer).get(url).status_code == 200  # the page still shows
        assert login(school_admin).post(url, {"name": "三"}).status_code == 200
        traveller.move_to(LATER)
        assert login(college_organizer).post(url, {"name": "四"}).status_code == 200
    assert ApiToken.objects.filter(user=college_organizer).count() == 2
