"""The hourly fetch of every enabled feed source (beat entry in ``news/contributions.py``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dangjian.news.feeds.tasks.fetch_feeds")
def fetch_feeds() -> int:
    from dangjian.accounts.scope import Scope
    from dangjian.news.feeds.services import fetch_all

    return fetch_all(scope=Scope.system())
