"""The webhook adapter for group robots: off by default; when configured, a published public article is
logged and sent to each robot in its message JSON (企业微信 news card, 钉钉 link), failures are retried
with a growing wait and given up after a few attempts; internal articles are never pushed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from dangjian.news import webhooks
from dangjian.news.models import Audience, Delivery
from dangjian.news.tasks import retry_deliveries
from tests.news.conftest import publish, write

pytestmark = pytest.mark.django_db
ROBOTS = [
    {"kind": "wecom", "url": "https://qyapi.example/send?key=k"},
    {"kind": "dingtalk", "url": "https://oapi.example/robot/send?access_token=t"},
]


class _Answer:
    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload

    def read(self, _n: int) -> bytes:
        return json.dumps(self.payload).encode()

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *args: object) -> None:
        return None


def test_the_messages_of_each_robot() -> None:
    wecom = webhooks.message(
        "wecom", title="标题", summary="摘要", url="https://x/news/1/", image="https://x/a.png"
    )
    assert wecom == {
        "msgtype": "news",
        "news": {
            "articles": [
                {
                    "title": "标题",
                    "description": "摘要",
                    "url": "https://x/news/1/",
                    "picurl": "https://x/a.png",
                }
            ]
        },
    }
    ding = webhooks.message("dingtalk", title="标题", summary="", url="https://x/news/1/")
    assert ding["msgtype"] == "link" and ding["link"]["messageUrl"] == "https://x/news/1/"
    with pytest.raises(ValueError):
        webhooks.message("fax", title="t", summary="", url="u")


def test_nothing_is_pushed_by_default(world, django_capture_on_commit_callbacks) -> None:
    with mock.patch("urllib.request.urlopen") as urlopen, django_capture_on_commit_callbacks(execute=True):
        publish(write(world.cs))
    assert not Delivery.objects.exists() and not urlopen.called


def test_a_published_public_article_goes_to_every_robot(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.NEWS_WEBHOOKS = ROBOTS
    settings.NEWS_SITE_URL = "https://dj.example.edu.cn/"
    with (
        mock.patch("urllib.request.urlopen", return_value=_Answer({"errcode": 0})) as urlopen,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = publish(write(world.cs, title="公开新闻"))
        publish(write(world.cs, title="内部通知", audience=Audience.SUBTREE))
    assert urlopen.call_count == 2
    sent = json.loads(urlopen.call_args_list[0].args[0].data)
    assert sent["news"]["articles"][0]["url"] == f"https://dj.example.edu.cn/news/{article.pk}/"
    assert list(Delivery.objects.values_list("state", "attempts")) == [("sent", 1), ("sent", 1)]


def test_a_failing_robot_is_retried_then_given_up(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.NEWS_WEBHOOKS = ROBOTS[:1]
    with (
        mock.patch("urllib.request.urlopen", side_effect=TimeoutError("timed out")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(write(world.cs))
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1) and "timed out" in delivery.last_error
    assert retry_deliveries() == 0  # still waiting
    refused = _Answer({"errcode": 93000, "errmsg": "invalid webhook url"})
    for _n in range(webhooks.MAX_ATTEMPTS):
        Delivery.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
        with mock.patch("urllib.request.urlopen", return_value=refused):
            retry_deliveries()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert "93000" in delivery.last_error
