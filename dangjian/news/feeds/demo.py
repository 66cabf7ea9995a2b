"""Demo 智能整理: two local sample feeds (``demo_feeds/``: an RSS 2.0 and an Atom feed, fifteen items
each, five stories in both, lightly reworded) configured as sources and fetched, so the editors' queue
shows the near-duplicates grouped into topics; one item already 转载 as a draft, one ignored. The texts
are made up for the demo. Deterministic: the files are fixed."""

from __future__ import annotations

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.news.feeds import services
from dangjian.news.feeds.models import FeedItem, ItemStatus

SOURCES = (("红色资讯网", "file:hongse.xml"), ("高校党建在线", "file:gxdj.xml"))


def seed_feeds(seed: int = 2026) -> dict[str, int]:
    scope = Scope.system()
    admin = User.objects.filter(username="school_admin").first()
    for name, url in SOURCES:
        source = services.source_create(
            actor=admin, scope=scope, data=services.SourceInput(name=name, url=url, enabled=True)
        )
        services.source_fetch(actor=None, scope=scope, source=source)
    singles = FeedItem.objects.filter(status=ItemStatus.NEW, duplicate_of__isnull=True).order_by("pk")
    picked = list(singles.filter(duplicates__isnull=True)[:2])
    if len(picked) == 2:
        services.item_republish(actor=admin, scope=scope, item=picked[0], expected_status=ItemStatus.NEW)
        services.item_ignore(actor=admin, scope=scope, item=picked[1], expected_status=ItemStatus.NEW)
    return {
        "feed items": FeedItem.objects.count(),
        "near-duplicates": FeedItem.objects.filter(duplicate_of__isnull=False).count(),
    }
