"""The periodic publishing of scheduled articles (beat entry in ``contributions.py``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dangjian.news.tasks.publish_scheduled_articles")
def publish_scheduled_articles() -> int:
    from dangjian.accounts.scope import Scope
    from dangjian.news.services import scheduled_publish

    return scheduled_publish(scope=Scope.system())
