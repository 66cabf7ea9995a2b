"""Reads of 智能整理: the sources and one of them (404 to whoever does not aggregate), a source's fetch
log, and the editors' queue — topics newest first, each with its items from every source in three
queries a page whatever its length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.news.feeds import access
from dangjian.news.feeds.models import FeedItem, FeedSource, FetchLog, ItemStatus, Topic


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def _check(scope: Scope) -> None:
    if not access.may_aggregate(scope):
        raise Http404


def sources(scope: Scope) -> QuerySet[FeedSource]:
    return FeedSource.objects.filter(access.aggregate_q(scope)).order_by("name", "pk")


def get_source_for(scope: Scope, source_id: object) -> FeedSource:
    _check(scope)
    source = FeedSource.objects.filter(pk=_int(source_id)).first()
    if source is None:
        raise Http404
    return source


def fetch_log(scope: Scope, source: FeedSource) -> QuerySet[FetchLog]:
    _check(scope)
    return source.logs.order_by("-at", "-pk")


def get_item_for(scope: Scope, item_id: object) -> FeedItem:
    _check(scope)
    item = FeedItem.objects.select_related("source").filter(pk=_int(item_id)).first()
    if item is None:
        raise Http404
    return item


def queue(scope: Scope, *, waiting_only: bool = True) -> QuerySet[Topic]:
    """Topics newest first; by default those with an item still to handle."""
    qs = Topic.objects.filter(access.aggregate_q(scope))
    if waiting_only:
        qs = qs.filter(Exists(FeedItem.objects.filter(topic=OuterRef("pk"), status=ItemStatus.NEW)))
    return qs.order_by("-last_seen", "-pk")


@dataclass
class TopicCard:
    """A topic on the queue page: the items that start a line (no ``duplicate_of`` inside the topic,
    or the first), each with the near-duplicates that hang under it collapsed."""

    topic: Topic
    leads: list[tuple[FeedItem, list[FeedItem]]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def topic_cards(topics: Sequence[Topic]) -> list[TopicCard]:
    """The page's topics with their items (one query for all the items and their sources)."""
    ids = [t.pk for t in topics]
    items = list(
        FeedItem.objects.select_related("source", "article")
        .filter(topic_id__in=ids)
        .defer("summary")
        .order_by("fetched_at", "pk")
    )
    by_topic: dict[int, list[FeedItem]] = {}
    for item in items:
        by_topic.setdefault(item.topic_id or 0, []).append(item)
    cards = []
    for topic in topics:
        rows = by_topic.get(topic.pk, [])
        card = TopicCard(topic)
        lead_of: dict[int, list[FeedItem]] = {}
        for item in rows:
            if item.duplicate_of_id is None or not card.leads:
                bucket: list[FeedItem] = []
                card.leads.append((item, bucket))
                lead_of[item.pk] = bucket
            else:
                root = item.duplicate_of_id
                lead_of.setdefault(root, card.leads[0][1]).append(item)
                lead_of[item.pk] = lead_of[root]
        card.sources = sorted({i.source.name for i in rows})
        cards.append(card)
    return cards


def item_with_summary(item: FeedItem) -> FeedItem:
    return FeedItem.objects.select_related("source").get(pk=item.pk)


def school(scope: Scope) -> Organization | None:
    """The school committee (the tree's one root): where 转载 drafts are written."""
    return Organization.objects.filter(depth=1).order_by("path").first()
