"""The demo's month of reading: not everyone reads, some read to the end, a few like and share, every
day of the month can have reads, and nobody reads an article their audience does not cover."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dangjian.core.demo.generator import generate
from dangjian.news.attention.demo import seed_attention
from dangjian.news.attention.models import ArticleDay, ArticleReader, Like, ReadEvent
from dangjian.news.demo import seed_news
from dangjian.news.models import Audience


def test_the_demo_reads_a_month_of_the_published_articles(db) -> None:
    generate(size="small", seed=1)
    seed_news(seed=1)
    counts = seed_attention(seed=1)
    assert counts["news reads"] == ArticleReader.objects.count() > 100
    assert not ReadEvent.objects.exists()  # all folded
    readers = ArticleReader.objects.all()
    ends = readers.filter(reached_end=True).count()
    assert 0.2 * readers.count() < ends < 0.9 * readers.count()
    assert Like.objects.count() == counts["news likes"] > 0
    assert sum(ArticleDay.objects.values_list("shares", flat=True)) > 0
    days = set(ArticleDay.objects.values_list("day", flat=True))
    assert min(days) >= timezone.localdate() - timedelta(days=30) and len(days) >= 10
    for row in readers.filter(article__audience=Audience.SUBTREE, branch__isnull=False).select_related(
        "article__organization", "branch"
    )[:200]:
        assert row.branch.path.startswith(row.article.organization.path)
