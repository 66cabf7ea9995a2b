"""阅读关注度: 10,000 readers' beacons recorded without slowing the page, then folded (`python -m
bench.news_reads`, part of `make bench-university`; issue 18).

1. A published public article made for the bench (``TITLE``; removed at the end with its counts).
2. BENCH_NEWS_READERS (10,000) anonymous public readers, each with their own first-party cookie, send a
   view beacon and a leave beacon (seconds on the page, half of them reaching the end) through the Django
   test client — the whole middleware stack and the view, as a browser's ``navigator.sendBeacon`` would
   (the rate limit is switched off: one process plays every reader from one address). Figure: beacons per
   second; the queries of one beacon (target: the article's lookup and one INSERT into the buffer — the
   reading page itself does not change).
3. The fold (``events_fold``) of those 20,000 events into the aggregates: target ≤ 10 s, three
   statements. Then in the database: 10,000 readers of the article, 10,000 views on the day, half of the
   readers at the end, the buffer empty of the bench's events.

The database: BENCH_NEWS_DATABASE_URL (default: bench.run's university database, migrated by it).
Prints the figures; asserts only correctness (counts), never time.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

READERS = int(os.environ.get("BENCH_NEWS_READERS", "10000"))
TITLE = "基准测试：阅读统计"
FOLD_LIMIT_S = 10.0
BEACON_MAX_QUERIES = 2


def _article() -> Any:
    from django.utils import timezone

    from dangjian.core.models import Organization, OrgKind
    from dangjian.news.models import Article, Audience, Status

    Article.objects.filter(title=TITLE).delete()
    root = Organization.objects.get_root_nodes().order_by("path").first()
    if root is None:
        root = Organization.objects.add_root(kind=OrgKind.COMMITTEE, code="BENCH-NEWS", name="基准测试党委")
    return Article.objects.create(
        organization=root,
        title=TITLE,
        body="<p>基准测试正文。</p>",
        status=Status.PUBLISHED,
        audience=Audience.PUBLIC,
        publish_at=timezone.now() - timedelta(hours=1),
    )


def run() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from bench import summary
    from dangjian.news.attention.models import ArticleDay, ArticleReader, ReadEvent
    from dangjian.news.attention.rules import COOKIE_NAME
    from dangjian.news.attention.services import events_fold

    article = _article()
    url = reverse("news:beacon", args=[article.pk])
    client = Client()
    # One beacon's queries, on a warm process.
    client.cookies[COOKIE_NAME] = "bench-warm-0000000000"
    client.post(url, {"kind": "view"})
    with CaptureQueriesContext(connection) as ctx:
        client.post(url, {"kind": "view"})
    beacon_queries = len(ctx.captured_queries)
    ReadEvent.objects.filter(article_id=article.pk).delete()

    start = time.perf_counter()
    for i in range(READERS):
        client.cookies[COOKIE_NAME] = f"bench-reader-{i:010d}"
        assert client.post(url, {"kind": "view"}).status_code == 204
        answer = client.post(
            url, {"kind": "leave", "seconds": str(20 + i % 300), "end": "1" if i % 2 else "0"}
        )
        assert answer.status_code == 204
    record_s = time.perf_counter() - start
    events = 2 * READERS
    assert ReadEvent.objects.filter(article_id=article.pk).count() == events

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        folded = events_fold(upto=timezone.now() + timedelta(seconds=1))
    fold_s = time.perf_counter() - start
    statements = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
    fold_queries = len([s for s in statements if s in ("INSERT", "DELETE", "UPDATE", "SELECT")])

    readers = ArticleReader.objects.filter(article=article)
    assert readers.count() == READERS, readers.count()
    assert readers.filter(reached_end=True).count() == READERS // 2
    days = ArticleDay.objects.filter(article=article)
    assert sum(d.views for d in days) == READERS and sum(d.readers for d in days) == READERS
    assert not ReadEvent.objects.filter(article_id=article.pk).exists()
    article.delete()

    rate = events / record_s
    print(f"阅读关注度: {READERS} readers, {events} beacons in {record_s:.1f} s ({rate:.0f} beacons/s)")
    print(f"  one beacon: {beacon_queries} queries (the article's lookup and one INSERT)")
    print(f"  fold: {folded.events} events in {fold_s:.2f} s, {fold_queries} statements")
    summary.add_value("智慧宣传", "阅读埋点：每次查询数", beacon_queries, BEACON_MAX_QUERIES, "queries")
    summary.add_seconds(
        "智慧宣传",
        f"阅读埋点：{READERS} 名读者折算",
        fold_s,
        FOLD_LIMIT_S,
        f"{events} 条，{rate:.0f} 条/秒记录",
    )


if __name__ == "__main__":  # python -m bench.news_reads
    from bench.run import URLS, _env

    os.environ.update(_env(os.environ.get("BENCH_NEWS_DATABASE_URL", URLS["university"])))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["RATE_LIMITS"] = '{"news": {"ip": null}}'
    import django

    django.setup()
    run()
