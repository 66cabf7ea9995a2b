"""The periodic publishing of scheduled articles (beat entry in ``contributions.py``); the hourly fetch of
the feeds (``news.feeds.tasks``) is imported here, where the worker's autodiscovery looks."""

from __future__ import annotations

from celery import shared_task

from dangjian.news.feeds.tasks import fetch_feeds

__all__ = ["fetch_feeds"]


@shared_task(name="dangjian.news.tasks.publish_scheduled_articles")
def publish_scheduled_articles() -> int:
    from dangjian.accounts.scope import Scope
    from dangjian.news.services import scheduled_publish

    return scheduled_publish(scope=Scope.system())


@shared_task(name="dangjian.news.tasks.send_deliveries")
def send_deliveries(ids: list[int]) -> int:
    """Send the robots' messages of a just-published article (once each; failures wait for the retry)."""
    from dangjian.news import webhooks
    from dangjian.news.models import Delivery

    rows = (
        Delivery.objects.select_related("article")
        .filter(pk__in=ids, state=Delivery.State.PENDING)
        .order_by("pk")
    )
    return sum(webhooks.deliver(d) for d in rows)


@shared_task(name="dangjian.news.tasks.retry_deliveries")
def retry_deliveries() -> int:
    """Retry the robots' messages whose wait is over; returns how many were sent."""
    from dangjian.news import webhooks

    return sum(webhooks.deliver(d) for d in webhooks.due())


@shared_task(name="dangjian.news.tasks.tell_subscribers")
def tell_subscribers(article_id: int) -> int:
    """Notify and mail the subscribers of a just-published article (once)."""
    from dangjian.news import subscribers

    return subscribers.tell(article_id)


@shared_task(name="dangjian.news.tasks.fold_read_events")
def fold_read_events() -> int:
    """Fold the buffered reading beacons into the attention aggregates (every minute)."""
    from dangjian.news.attention.services import events_fold

    return events_fold().events
