"""The hourly fetch: registered where the worker looks, scheduled by the beat, and fetching every
enabled source as the platform."""

from __future__ import annotations

import pytest

from dangjian import hooks
from dangjian.news import tasks
from dangjian.news.feeds.models import FeedItem
from tests.news.feeds.test_services import add

pytestmark = pytest.mark.django_db


def test_the_hourly_fetch_is_scheduled_and_found_by_the_worker() -> None:
    entry = next(t for t in hooks.periodic.all() if t.name == "news-fetch-feeds")
    assert entry.task == tasks.fetch_feeds.name == "dangjian.news.feeds.tasks.fetch_feeds"


def test_the_task_fetches_every_enabled_source(feed_root) -> None:
    add("红色资讯网", "file:hongse.xml")
    assert tasks.fetch_feeds() == 15
    assert FeedItem.objects.count() == 15
