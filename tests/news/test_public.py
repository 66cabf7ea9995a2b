"""The public news site: only published public articles exist (draft, in review, scheduled, withdrawn
and internal ones answer 404), the category pages, the bounded search, Open Graph tags, the QR code, the
Atom feed, no internal navigation and no inline script, and the rate limit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.news import services
from dangjian.news.models import Article, Audience, Category
from tests.news.conftest import SYSTEM, publish, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(world):
    live = publish(write(world.cs, title="学院召开党建工作推进会", summary="推进会摘要"))
    internal = publish(write(world.cs, title="学院内部通知", audience=Audience.SUBTREE))
    draft = write(world.cs, title="还在草稿的稿件")
    waiting = services.article_submit(
        actor=None, scope=SYSTEM, article=write(world.cs, title="审核中的稿件"), expected_status=None
    )
    withdrawn = services.article_withdraw(
        actor=None,
        scope=SYSTEM,
        article=publish(write(world.cs, title="已撤回的稿件")),
        expected_status=None,
        reason="有误",
    )
    return {"live": live, "hidden": [internal, draft, waiting, withdrawn]}


def test_only_published_public_articles_are_listed_and_opened(site) -> None:
    client = Client()
    page = client.get(reverse("news:public_list"))
    text = page.content.decode()
    assert page.status_code == 200 and site["live"].title in text
    for hidden in site["hidden"]:
        assert hidden.title not in text
        assert client.get(reverse("news:public_article", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("news:public_article", args=[site["live"].pk])).status_code == 200
    assert client.get("/news/999999/").status_code == 404


def test_the_public_article_shares_well(site) -> None:
    text = Client().get(reverse("news:public_article", args=[site["live"].pk])).content.decode()
    assert '<meta property="og:title" content="学院召开党建工作推进会">' in text
    assert '<meta property="og:description" content="推进会摘要">' in text
    assert "<svg" in text  # the QR code, inline
    assert "<script>" not in text and "<script " not in text.replace('<script src="', "")
    assert 'id="sidebar"' not in text and 'href="/"' not in text  # no internal navigation


def test_categories_and_search(site) -> None:
    client = Client()
    assert (
        site["live"].title
        in client.get(reverse("news:public_category", args=[Category.WORK])).content.decode()
    )
    assert (
        site["live"].title
        not in client.get(reverse("news:public_category", args=["theory"])).content.decode()
    )
    assert client.get(reverse("news:public_category", args=["nope"])).status_code == 404
    assert site["live"].title in client.get(reverse("news:public_list"), {"q": "推进会"}).content.decode()
    assert (
        site["live"].title
        not in client.get(reverse("news:public_list"), {"q": "不存在的词"}).content.decode()
    )
    assert client.get(reverse("news:public_list"), {"q": "党" * 5000}).status_code == 200


def test_the_feed_lists_only_published_public_articles(site) -> None:
    response = Client().get(reverse("news:feed"))
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert site["live"].title in text and f"/news/{site['live'].pk}/" in text
    for hidden in site["hidden"]:
        assert hidden.title not in text


def test_the_public_pages_are_rate_limited(site, settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "news": {"ip": "2/m"}}
    client = Client()
    codes = [client.get(reverse("news:public_list")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_public_list_queries_do_not_grow(world, django_assert_max_num_queries) -> None:
    publish(write(world.cs))
    with django_assert_max_num_queries(2):
        Client().get(reverse("news:public_list"))
    for n in range(20):
        publish(write(world.school, title=f"学校新闻{n}"))
    with django_assert_max_num_queries(2):
        Client().get(reverse("news:public_list"))


def test_the_kept_page_follows_the_article(site, django_assert_max_num_queries) -> None:
    client, live = Client(), site["live"]
    url = reverse("news:public_article", args=[live.pk])
    assert "学院召开党建工作推进会" in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # the article; the page itself comes from the cache
        assert client.get(url).status_code == 200
    Article.objects.filter(pk=live.pk).update(
        title="学院召开党建工作推进会（更正）", updated_at=timezone.now()
    )
    assert "（更正）" in client.get(url).content.decode()
    live.refresh_from_db()
    services.article_withdraw(actor=None, scope=SYSTEM, article=live, expected_status=None, reason="有误")
    assert client.get(url).status_code == 404
