"""Rate limits on check-in (page and API) and on the calendar feed, whose token URL needs no login."""

from __future__ import annotations

from unittest import mock

import time_machine
from django.test import Client
from django.urls import reverse

from dangjian.orglife.models import CalendarFeed
from tests import factories as f
from tests.ratelimits import (
    LATER,
    WINDOW_START,
    assert_rate_limited_json,
    assert_rate_limited_page,
    set_limit,
)


def test_scanning_too_often_answers_429_and_others_still_check_in(
    settings, world, login, member_user
) -> None:
    set_limit(settings, "checkin", user="2/m", ip="100/m")
    url = reverse("orglife:scan", args=["forged"])
    other = f.user_for(world.secretary, "secretary_scans")
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert [login(member_user).post(url).status_code for _ in range(2)] == [400, 400]  # served: bad code
        assert_rate_limited_page(login(member_user).post(url))
        assert login(member_user).get(url).status_code == 200  # showing the page is free
        assert login(other).post(url).status_code == 400
        traveller.move_to(LATER)
        assert login(member_user).post(url).status_code == 400


def test_a_meeting_behind_one_address_is_held_only_by_the_ip_limit(
    settings, world, login, member_user
) -> None:
    set_limit(settings, "checkin", user="100/m", ip="1/m")
    url = reverse("orglife:scan", args=["forged"])
    with time_machine.travel(WINDOW_START, tick=False):
        assert login(member_user).post(url).status_code == 400
        assert login(member_user).post(url).status_code == 429
        assert login(member_user).post(url, REMOTE_ADDR="10.1.1.1").status_code == 400


def test_the_check_in_api_answers_429_json(settings, world, make_meeting, login, member_user) -> None:
    meeting = make_meeting()
    set_limit(settings, "checkin", user="1/m", ip="100/m")
    url = f"/api/v1/meetings/{meeting.pk}/check-in"
    client = login(member_user)
    with time_machine.travel(WINDOW_START, tick=False):
        assert client.post(url, {"token": "x"}, content_type="application/json").status_code == 422
        assert_rate_limited_json(client.post(url, {"token": "x"}, content_type="application/json"))


def test_scanning_is_served_when_the_cache_is_down(settings, world, login, member_user) -> None:
    set_limit(settings, "checkin", user="1/m", ip="1/m")
    url = reverse("orglife:scan", args=["forged"])
    with mock.patch("dangjian.kit.ratelimit.cache.add", side_effect=ConnectionError("redis down")):
        assert [login(member_user).post(url).status_code for _ in range(3)] == [400, 400, 400]


def _feed_url(client: Client) -> str:
    client.post(reverse("orglife:calendar_feed_action", args=["reset"]), {"expected_status": "none"})
    return reverse("orglife:calendar_feed", args=[CalendarFeed.objects.get().token])


def test_the_calendar_feed_is_limited_per_subscription_and_per_ip(
    settings, world, login, member_user
) -> None:
    set_limit(settings, "calendar_feed", user="2/h", ip="3/h")
    url = _feed_url(login(member_user))
    guess = reverse("orglife:calendar_feed", args=["x" * 43])
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        assert [Client().get(url).status_code for _ in range(2)] == [200, 200]
        assert_rate_limited_page(Client().get(url))
        assert Client().get(guess).status_code == 429  # the address has spent its three
        assert Client(REMOTE_ADDR="10.2.2.2").get(guess).status_code == 404
        traveller.move_to(LATER)
        assert Client().get(url).status_code == 200


def test_the_calendar_feed_is_served_when_the_cache_is_down(settings, world, login, member_user) -> None:
    set_limit(settings, "calendar_feed", user="1/h", ip="1/h")
    url = _feed_url(login(member_user))
    with mock.patch("dangjian.kit.ratelimit.cache.add", side_effect=ConnectionError("redis down")):
        assert [Client().get(url).status_code for _ in range(3)] == [200, 200, 200]
