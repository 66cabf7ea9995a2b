"""Idle sessions end: 30 minutes for everyone, 15 for administrative roles; API tokens are not sessions."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.middleware import LAST_ACTIVITY_KEY
from dangjian.accounts.services import api_token_create

IDLE_MESSAGE = "长时间未操作，已自动退出，请重新登录"


def test_a_member_idle_past_the_limit_is_logged_out_with_a_message(login, member_user) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = login(member_user)
        assert client.get(reverse("web:home")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("web:home")).status_code == 200  # activity: the clock starts again
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("web:home")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        page = client.get(response["Location"]).content.decode()
        assert IDLE_MESSAGE in page
        assert client.get(reverse("accounts:me")).status_code == 302


def test_an_administrator_is_logged_out_sooner(login, school_admin, member_user) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        admin, member = login(school_admin), login(member_user)
        clock.shift(timedelta(minutes=16))
        assert admin.get(reverse("web:home")).status_code == 302
        assert member.get(reverse("web:home")).status_code == 200


def test_the_limits_are_settings(login, school_admin, settings) -> None:
    settings.ADMIN_SESSION_IDLE_TIMEOUT_MINUTES = 60
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = login(school_admin)
        clock.shift(timedelta(minutes=59))
        assert client.get(reverse("web:home")).status_code == 200
        settings.SESSION_IDLE_TIMEOUT_MINUTES = 0  # off (the session still ends at SESSION_COOKIE_AGE)
        clock.shift(timedelta(hours=7))
        assert client.get(reverse("web:home")).status_code == 200


def test_htmx_requests_are_sent_to_the_login_page(login, member_user) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = login(member_user)
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("web:home"), headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == reverse("accounts:login")


def test_activity_is_written_at_most_once_a_minute(login, member_user) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = login(member_user)
        client.get(reverse("web:home"))
        assert LAST_ACTIVITY_KEY not in client.session  # the login itself counts for the first minute
        clock.shift(timedelta(seconds=61))
        client.get(reverse("web:home"))
        stamp = client.session[LAST_ACTIVITY_KEY]
        clock.shift(timedelta(seconds=30))
        client.get(reverse("web:home"))
        assert client.session[LAST_ACTIVITY_KEY] == stamp


def test_api_tokens_are_not_subject_to_the_idle_limit(client, member_user) -> None:
    _token, raw = api_token_create(user=member_user)
    auth = {"Authorization": f"Bearer {raw}"}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/api/v1/me", headers=auth).status_code == 200
        clock.shift(timedelta(hours=5))
        assert client.get("/api/v1/me", headers=auth).status_code == 200
