"""Writes of 智能整理: a source configured (added, edited, disabled), a source fetched — its new items
stored once each, fingerprinted, grouped with their near-duplicates into topics and keyworded — or its
failure logged, and an item ignored or 转载 as a news draft with the attribution.

The fetch itself (network or file) runs before the transaction, so no lock waits on a slow site; then
one transaction locks the source, stores what was read and writes the fetch log and the audit event.
A failure stores no item: the log says why in Chinese and the source's failures count up.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.news import services as news_services
from dangjian.news.feeds import access, dedup, selectors
from dangjian.news.feeds.fetch import (
    FeedError,
    Opener,
    ParsedItem,
    fetch,
    file_path,
    literal_private_host,
    private_host_message,
)
from dangjian.news.feeds.models import FeedItem, FeedSource, FetchLog, FetchStatus, ItemStatus, Topic
from dangjian.news.models import Article, Audience, Category
from dangjian.policy import get_policy

# Items compared with a new one: those fetched in the last 90 days (a story comes back within weeks;
# the index stays a few thousand rows at a school).
WINDOW = timedelta(days=90)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _refuse_outsider(scope: Scope) -> None:
    if not access.may_aggregate(scope):
        raise NotFound(_("未找到该订阅源。"))


# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourceInput:
    name: str
    url: str
    enabled: bool = True


def _clean_source(data: SourceInput, source: FeedSource | None) -> dict[str, Any]:
    name = " ".join(data.name.split())
    if not name:
        raise RuleViolation(_("请填写名称"), field="name")
    if len(name) > 60:
        raise RuleViolation(_("名称不能超过 60 字"), field="name")
    taken = FeedSource.objects.filter(name=name)
    if source is not None:
        taken = taken.exclude(pk=source.pk)
    if taken.exists():
        raise RuleViolation(_("已有同名的订阅源"), field="name")
    url = data.url.strip()
    if len(url) > 500:
        raise RuleViolation(_("订阅地址不能超过 500 个字符"), field="url")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname or any(c.isspace() for c in url):
            raise RuleViolation(_("订阅地址不是有效的网址"), field="url")
        if literal_private_host(url):
            raise RuleViolation(private_host_message(), field="url")
    elif scheme == "file":
        try:
            file_path(url)
        except FeedError as exc:
            raise RuleViolation(exc.message, field="url") from exc
    else:
        raise RuleViolation(_("订阅地址必须以 http:// 或 https:// 开头"), field="url")
    return {"name": name, "url": url, "enabled": bool(data.enabled)}


def source_create(*, actor: Any, scope: Scope, data: SourceInput) -> FeedSource:
    _refuse_outsider(scope)
    values = _clean_source(data, None)
    with transaction.atomic():
        source = FeedSource.objects.create(**values)
        audit.record(
            actor=actor,
            action="news.feed_source_create",
            target=source,
            changes={"name": source.name, "url": source.url, "enabled": source.enabled},
        )
    return source


def source_update(*, actor: Any, scope: Scope, source: FeedSource, data: SourceInput) -> FeedSource:
    """Rename, re-point or enable/disable a source; a new address forgets the conditional-GET headers."""
    _refuse_outsider(scope)
    values = _clean_source(data, source)
    with transaction.atomic():
        source = FeedSource.objects.select_for_update().get(pk=source.pk)
        changes = {k: [getattr(source, k), v] for k, v in values.items() if getattr(source, k) != v}
        for key, value in values.items():
            setattr(source, key, value)
        if "url" in changes:
            source.etag = source.last_modified = ""
        if "enabled" in changes and source.enabled:
            source.failures = 0
        source.save()
        audit.record(actor=actor, action="news.feed_source_update", target=source, changes=changes)
    return source


# ---------------------------------------------------------------- fetching


def _label(words: list[str], title: str) -> str:
    return "、".join(words[:3])[:100] or title[:100]


def _index(since: datetime, threshold: int) -> tuple[dedup.SimIndex, dict[int, int | None]]:
    """The recent items' fingerprints in time order, and each one's topic."""
    index = dedup.SimIndex(threshold)
    topics: dict[int, int | None] = {}
    rows = (
        FeedItem.objects.filter(fetched_at__gte=since)
        .order_by("fetched_at", "pk")
        .values_list("pk", "simhash", "topic_id")
    )
    for pk, value, topic_id in rows.iterator(chunk_size=2000):
        index.add(pk, value)
        topics[pk] = topic_id
    return index, topics


def _store(source: FeedSource, parsed: list[ParsedItem], now: datetime) -> tuple[int, int]:
    """Store the items not stored before (by guid), oldest first; group each with the nearest earlier
    item within the threshold or start a topic. Returns (new, near-duplicates)."""
    seen = set(
        FeedItem.objects.filter(source=source, guid__in=[p.guid for p in parsed]).values_list(
            "guid", flat=True
        )
    )
    fresh: dict[str, ParsedItem] = {}
    for p in parsed:
        if p.guid not in seen and p.guid not in fresh:
            fresh[p.guid] = p
    if not fresh:
        return 0, 0
    floor = datetime.min.replace(tzinfo=now.tzinfo)
    ordered = sorted(fresh.values(), key=lambda p: p.published_at or floor)
    index, topics = _index(now - WINDOW, get_policy().news_feed_simhash_distance)
    duplicates = 0
    for p in ordered:
        published = p.published_at if p.published_at and p.published_at <= now else None
        seen_at = published or now  # when the story appeared (a topic's first and last seen)
        text = f"{p.title}\n{p.summary}"
        fingerprint = dedup.simhash(text)
        words = dedup.keywords(text)
        found = index.nearest(fingerprint)
        match = found[0] if found else None
        topic_id = topics.get(match) if match is not None else None
        item = FeedItem.objects.create(
            source=source,
            guid=p.guid,
            title=p.title,
            summary=p.summary,
            link=p.link,
            published_at=published,
            fetched_at=now,
            simhash=dedup.to_signed(fingerprint),
            keywords=",".join(words)[:200],
            duplicate_of_id=match,
        )
        if topic_id is None:
            topic = Topic.objects.create(
                label=_label(words, p.title),
                representative=item,
                item_count=1,
                first_seen=seen_at,
                last_seen=seen_at,
            )
            topic_id = topic.pk
        else:
            duplicates += 1
            Topic.objects.filter(pk=topic_id).update(
                item_count=F("item_count") + 1,
                first_seen=Least(F("first_seen"), Value(seen_at)),
                last_seen=Greatest(F("last_seen"), Value(seen_at)),
            )
        FeedItem.objects.filter(pk=item.pk).update(topic_id=topic_id)
        index.add(item.pk, fingerprint)
        topics[item.pk] = topic_id
    return len(fresh), duplicates


def source_fetch(
    *, actor: Any, scope: Scope, source: FeedSource, opener: Opener | None = None, now: datetime | None = None
) -> FetchLog:
    """Fetch one source now (立即抓取, or the hourly task with ``Scope.system()``) and log it."""
    _refuse_outsider(scope)
    now = now or timezone.now()
    error = ""
    got = None
    try:
        got = fetch(source.url, etag=source.etag, last_modified=source.last_modified, opener=opener)
    except FeedError as exc:
        error = exc.message[:300]
    with transaction.atomic():
        source = FeedSource.objects.select_for_update().get(pk=source.pk)
        new = duplicates = 0
        if got is None:
            status = FetchStatus.ERROR
            source.failures += 1
            source.last_error = error
        else:
            status = FetchStatus.NOT_MODIFIED if got.not_modified else FetchStatus.OK
            if not got.not_modified:
                new, duplicates = _store(source, got.items, now)
            source.failures = 0
            source.last_error = ""
            source.etag = got.etag or source.etag
            source.last_modified = got.last_modified or source.last_modified
        source.last_fetched_at = now
        source.last_status = status
        source.save()
        log = FetchLog.objects.create(
            source=source, at=now, status=status, items_new=new, items_duplicate=duplicates, error=error
        )
        audit.record(
            actor=actor,
            action="news.feed_fetch",
            target=source,
            changes={"status": status, "new": new, "duplicates": duplicates, "error": error},
        )
    return log


def fetch_all(*, scope: Scope, opener: Opener | None = None) -> int:
    """The hourly task: every enabled source once (one failing does not stop the others). Returns how
    many new items were stored."""
    _refuse_outsider(scope)
    total = 0
    for source in FeedSource.objects.filter(enabled=True).order_by("pk"):
        total += source_fetch(actor=None, scope=scope, source=source, opener=opener).items_new
    return total


# ---------------------------------------------------------------- the editors' queue


def _locked_item(scope: Scope, item: FeedItem, expected_status: str | None) -> FeedItem:
    _refuse_outsider(scope)
    item = FeedItem.objects.select_for_update().select_related("source").get(pk=item.pk)
    expect_state(item.status, expected_status)
    if not access.may_handle(scope, item):
        raise RuleViolation(_("该条目已处理（%(s)s）。") % {"s": item.get_status_display()})
    return item


def item_ignore(*, actor: Any, scope: Scope, item: FeedItem, expected_status: str | None) -> FeedItem:
    with transaction.atomic():
        item = _locked_item(scope, item, expected_status)
        item.status = ItemStatus.IGNORED
        item.handled_by = _actor(actor)
        item.save(update_fields=["status", "handled_by"])
        audit.record(
            actor=actor,
            action="news.feed_item_ignore",
            target=item,
            changes={"status": [ItemStatus.NEW, ItemStatus.IGNORED], "title": item.title[:100]},
        )
    return item


def attribution_body(item: FeedItem) -> str:
    """The draft's body: the summary, then "来源：…，原文链接：…" (sanitised by the news services)."""
    summary = html.escape(item.summary or item.title)
    link = html.escape(item.link)
    anchor = f'<a href="{link}">{link}</a>' if item.link else _("无")
    source = _("来源：%(s)s，原文链接：%(l)s") % {"s": html.escape(item.source.name), "l": anchor}
    return f"<p>{summary}</p><p>{source}</p>"


def item_republish(*, actor: Any, scope: Scope, item: FeedItem, expected_status: str | None) -> Article:
    """转载: a 媒体聚焦 draft of the school committee with the item's title, summary and the attribution;
    it then goes through 三审三校 like any draft. The item is marked and links to the draft."""
    with transaction.atomic():
        item = _locked_item(scope, item, expected_status)
        school = selectors.school(scope)
        if school is None:
            raise RuleViolation(_("尚未建立学校党委，无法转载。"))
        article = news_services.article_create(
            actor=actor,
            scope=scope,
            organization=school,
            data=news_services.ArticleInput(
                title=item.title[:120],
                body=attribution_body(item),
                summary=item.summary[:300],
                category=Category.MEDIA,
                audience=Audience.SUBTREE,
                tags=",".join(item.keyword_list[:3]),
            ),
        )
        item.status = ItemStatus.REPUBLISHED
        item.article = article
        item.handled_by = _actor(actor)
        item.save(update_fields=["status", "article", "handled_by"])
        audit.record(
            actor=actor,
            action="news.feed_item_republish",
            target=item,
            org=school,
            changes={"status": [ItemStatus.NEW, ItemStatus.REPUBLISHED], "article": article.pk},
        )
    return article
