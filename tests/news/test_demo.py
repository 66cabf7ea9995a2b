"""The demo 智慧宣传: a few dozen articles in every state, public and internal, from the school and the
colleges; some returned with a note, one withdrawn, some scheduled; the same for the same seed."""

from __future__ import annotations

from collections import Counter

from dangjian.core.demo.generator import generate
from dangjian.news.demo import seed_news
from dangjian.news.models import Article, Audience, Decision, ReviewNote, Status


def _snapshot() -> list[tuple[str, str, str, str]]:
    return list(Article.objects.order_by("pk").values_list("title", "status", "step", "audience"))


def test_the_demo_has_articles_in_every_state(db) -> None:
    generate(size="small", seed=1)
    counts = seed_news(seed=1)
    assert counts["news articles"] >= 30
    states = Counter(Article.objects.values_list("status", flat=True))
    assert set(states) == set(Status.values)
    assert states[Status.WITHDRAWN] == 1 and states[Status.SCHEDULED] >= 2
    assert Article.objects.filter(status=Status.IN_REVIEW, step="editor").exists()
    assert Article.objects.filter(status=Status.IN_REVIEW, step="approver").exists()
    returned = ReviewNote.objects.filter(decision=Decision.RETURN)
    assert returned.count() >= 2 and all(n.article.status == Status.DRAFT and n.comment for n in returned)
    published = Article.objects.filter(status=Status.PUBLISHED)
    assert published.filter(audience=Audience.PUBLIC).count() >= 10
    assert published.filter(audience=Audience.SUBTREE).exists()
    assert published.values("organization").distinct().count() >= 3


def test_the_demo_is_the_same_for_the_same_seed(db) -> None:
    generate(size="small", seed=1)
    seed_news(seed=7)
    first = _snapshot()
    Article.objects.all().delete()
    seed_news(seed=7)
    assert _snapshot() == first
