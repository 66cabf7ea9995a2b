"""The bell's unread count is kept in the cache under the user's notice version (ADR 0004): a
notification created or read shows on the very next request, a warm request counts nothing, and a
broken cache still draws the right number."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian import workbench
from dangjian.workbench.models import Notification


def _bell(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("workbench:bell")).content.decode()
    counted = sum("workbench_notification" in q["sql"] for q in ctx.captured_queries)
    return body, counted


def test_a_new_notification_rings_the_bell_on_the_next_request(world, login, member_user) -> None:
    client = login(member_user)
    body, _ = _bell(client)
    assert "badge" not in body
    workbench.notify([member_user], "test", "换届提醒")
    body, _ = _bell(client)
    assert ">1<" in body
    workbench.notify([member_user, member_user], "test", "第二条")
    assert ">2<" in _bell(client)[0]


def test_a_warm_bell_counts_nothing(world, login, member_user) -> None:
    workbench.notify([member_user], "test", "换届提醒")
    client = login(member_user)
    assert _bell(client)[1] == 1  # counted once
    assert _bell(client) == (_bell(client)[0], 0)


def test_marking_read_clears_the_bell_in_the_same_response_and_after(world, login, member_user) -> None:
    workbench.notify([member_user], "test", "换届提醒")
    client = login(member_user)
    assert ">1<" in _bell(client)[0]
    response = client.post(reverse("workbench:mark_read"), HTTP_HX_REQUEST="true")
    assert "badge" not in response.content.decode()
    assert "badge" not in _bell(client)[0]
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_users_notification_does_not_touch_my_bell(
    world, login, member_user, branch_secretary
) -> None:
    workbench.notify([member_user], "test", "换届提醒")
    client = login(member_user)
    assert ">1<" in _bell(client)[0]
    workbench.notify([branch_secretary], "test", "别人的")
    body, counted = _bell(client)
    assert ">1<" in body and counted == 0


def test_with_the_cache_broken_the_bell_is_counted(world, login, member_user) -> None:
    workbench.notify([member_user], "test", "换届提醒")
    client = login(member_user)
    with (
        mock.patch("dangjian.workbench.selectors.cache.get", side_effect=ConnectionError("down")),
        mock.patch("dangjian.workbench.selectors.cache.set", side_effect=ConnectionError("down")),
    ):
        body, counted = _bell(client)
    assert ">1<" in body and counted >= 1  # from the database, every time
