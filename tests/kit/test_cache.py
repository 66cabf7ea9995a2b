"""Redis down (issue 19): the cache degrades to "no cache"; pages serve, /healthz says so."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client

# Port 1 on the loopback: nothing listens there, so every connection is refused at once.
DOWN = {
    "default": {
        "BACKEND": "dangjian.kit.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DOWN  # pytest-django's settings fire setting_changed: django.core.cache.caches resets
    settings.DASHBOARD_CACHE_SECONDS = 300  # the pages really ask the cache
    from dangjian.kit import cache as module

    module._warned_at = 0.0
    return settings


def test_every_operation_answers_like_an_empty_cache(redis_down) -> None:
    assert cache.__class__.__name__ == "ConnectionProxy"
    assert cache.get("k", "default") == "default"
    assert cache.set("k", 1) is False
    assert cache.add("k", 1) is False
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.has_key("k") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    cache.delete_many(["a"])
    cache.clear()
    assert cache.get_or_set("k", lambda: "computed") == "computed"


def test_a_counter_starts_afresh_instead_of_failing(redis_down) -> None:
    # A caller counting attempts (add the key, then incr it) sees a new counter: the request goes through.
    cache.add("attempts", 0, 60)
    assert cache.incr("attempts") == 1
    assert cache.incr("attempts", 3) == 3


def test_the_outage_is_logged_once_not_once_per_call(redis_down, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="dangjian.kit.cache"):
        for _ in range(5):
            cache.get("k")
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
    assert "cache unreachable" in caplog.records[0].getMessage()


def test_other_redis_errors_are_not_hidden(redis_down, monkeypatch) -> None:
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ResponseError

    def wrong_type(*args, **kwargs):
        raise ResponseError("WRONGTYPE")

    monkeypatch.setattr(RedisCache, "get", wrong_type)
    with pytest.raises(ResponseError):
        cache.get("k")


def test_pages_serve_while_redis_is_down(redis_down, world, login, college_organizer) -> None:
    client = login(college_organizer)
    assert client.get("/").status_code == 200  # the dashboard's counts are computed, not cached
    assert client.get("/people/").status_code == 200
    assert client.get("/orgs/").status_code == 200
    assert client.get("/dues/", follow=True).status_code == 200  # the college's dues page


def test_a_member_logs_in_and_sees_their_dues_while_redis_is_down(redis_down, member_user) -> None:
    # Sessions live in the database, not in the cache: logging in works and the session holds.
    client = Client()
    user = member_user
    user.set_password("a-long-password-1")
    user.save()
    response = client.post("/accounts/login/", {"username": user.username, "password": "a-long-password-1"})
    assert response.status_code == 302
    assert client.get("/dues/me/").status_code == 200


def test_healthz_reports_the_cache_down_and_still_serves(redis_down, db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["cache"] == "down" and body["database"] == "ok"
    assert body["status"] == "degraded"
