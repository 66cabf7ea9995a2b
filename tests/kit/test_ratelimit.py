"""The rate-limit helper: fixed windows per user and per IP in the cache, failing open."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from dangjian.kit.ratelimit import Rate, RateLimited, enforce_rate_limit, parse_rate, rate_limited
from tests.ratelimits import LATER, WINDOW_START, assert_rate_limited_page, set_limit


@rate_limited("login", user=lambda request: request.POST.get("username"))
def view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def post(username: str = "alice", ip: str = "10.0.0.1") -> HttpResponse:
    return view(RequestFactory().post("/login/", {"username": username}, REMOTE_ADDR=ip))


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/m", Rate(10, 60)),
        ("300/h", Rate(300, 3600)),
        ("20/10m", Rate(20, 600)),
        (" 5 / d ", Rate(5, 86400)),
    ],
)
def test_rates_are_read_from_settings_text(text, rate) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "10", "0/m", "10/w", "ten/m"])
def test_a_malformed_rate_is_refused(text) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_an_unknown_limit_is_a_programming_error(rf) -> None:
    with pytest.raises(ImproperlyConfigured):
        enforce_rate_limit(rf.get("/"), "no_such_limit")


def test_a_user_over_the_limit_gets_429_and_others_do_not(settings) -> None:
    set_limit(settings, "login", user="2/m", ip="100/m")
    with time_machine.travel(WINDOW_START, tick=False):
        assert [post().status_code for _ in range(2)] == [200, 200]
        assert_rate_limited_page(post())
        assert post("ALICE ").status_code == 429  # the same account, typed differently
        assert post("bob").status_code == 200
        assert post(ip="10.0.0.2").status_code == 429  # the account is limited from anywhere


def test_an_address_over_the_limit_gets_429_and_other_addresses_do_not(settings) -> None:
    set_limit(settings, "login", user="100/m", ip="3/m")
    with time_machine.travel(WINDOW_START, tick=False):
        assert [post(f"user{i}").status_code for i in range(3)] == [200, 200, 200]
        assert post("user9").status_code == 429
        assert post("user9", ip="10.0.0.2").status_code == 200


def test_the_proxy_given_address_is_the_one_counted(settings) -> None:
    set_limit(settings, "login", ip="1/m")
    factory = RequestFactory()
    with time_machine.travel(WINDOW_START, tick=False):
        first = view(factory.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5"))
        second = view(factory.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.6"))
        spoofed = view(
            factory.post(
                "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4"
            )
        )
    assert (first.status_code, second.status_code, spoofed.status_code) == (200, 200, 429)


def test_the_retry_after_counts_to_the_end_of_the_window(settings) -> None:
    set_limit(settings, "login", user="1/m")
    with time_machine.travel(WINDOW_START + timedelta(seconds=45), tick=False):
        post()
        assert post()["Retry-After"] == "15"


def test_after_the_window_the_user_is_allowed_again(settings) -> None:
    set_limit(settings, "login", user="1/h", ip="100/m")
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert post().status_code == 200
        assert post().status_code == 429
        traveller.move_to(LATER)
        assert post().status_code == 200


def test_only_the_counted_methods_spend_the_allowance(settings, rf) -> None:
    set_limit(settings, "login", ip="1/m")
    with time_machine.travel(WINDOW_START, tick=False):
        assert [view(rf.get("/")).status_code for _ in range(3)] == [200, 200, 200]


def test_a_part_set_to_null_is_not_limited(settings) -> None:
    set_limit(settings, "login", user=None, ip="100/m")
    with time_machine.travel(WINDOW_START, tick=False):
        assert {post().status_code for _ in range(20)} == {200}


def test_when_the_cache_fails_the_request_is_served_and_a_warning_logged(settings, caplog) -> None:
    set_limit(settings, "login", user="1/m")
    with mock.patch("dangjian.kit.ratelimit.cache.add", side_effect=ConnectionError("redis down")):
        assert [post().status_code for _ in range(3)] == [200, 200, 200]
    assert "rate limit login not checked" in caplog.text


def test_the_function_form_raises_for_the_api(settings, rf) -> None:
    set_limit(settings, "login", user="1/m")
    request = rf.post("/api/v1/auth/token")
    with time_machine.travel(WINDOW_START, tick=False):
        enforce_rate_limit(request, "login", user="alice")
        with pytest.raises(RateLimited) as exc:
            enforce_rate_limit(request, "login", user="alice")
    assert exc.value.status == 429 and exc.value.code == "rate_limited" and exc.value.retry_after == 60
    assert exc.value.message == "操作太频繁，请 60 秒后再试。"
