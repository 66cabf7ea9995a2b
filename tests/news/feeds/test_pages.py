"""The pages of 智能整理: the queue by topic (near-duplicates collapsed, query count pinned), the
sources, the form, the fetch log and 立即抓取, 忽略 and 转载 through the page; the menu entry for the
school's news staff only; a college organizer, a branch secretary and a member refused (404) on every
page and every POST, with nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.news.feeds import services
from dangjian.news.feeds.models import FeedItem, FeedSource, FetchLog, ItemStatus
from dangjian.news.models import Article

pytestmark = pytest.mark.django_db
SYSTEM = Scope.system()
# session, user, the page's topics (count and rows), their items with sources and drafts
QUEUE_QUERIES = 6
SOURCES_QUERIES = 5


def demo() -> list[FeedSource]:
    out = []
    for name, url in (("红色资讯网", "file:hongse.xml"), ("高校党建在线", "file:gxdj.xml")):
        source = services.source_create(
            actor=None, scope=SYSTEM, data=services.SourceInput(name=name, url=url)
        )
        services.source_fetch(actor=None, scope=SYSTEM, source=source)
        out.append(source)
    return out


def test_the_queue_groups_near_duplicates_by_topic(
    world, school_admin, login, feed_root, django_assert_max_num_queries
) -> None:
    demo()
    client = login(school_admin)
    client.get(reverse("news:feed_queue"))  # the scope and the bell cached
    with django_assert_max_num_queries(QUEUE_QUERIES):
        page = client.get(reverse("news:feed_queue"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "条近似重复" in html and "红色资讯网、高校党建在线" in html
    assert html.count('class="card mb-3"') == 10  # a page of topics
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert client.get(reverse("news:feed_queue") + "?page=3&all=1").status_code == 200


def test_the_sources_and_the_fetch_log(
    world, school_admin, login, feed_root, django_assert_max_num_queries
) -> None:
    source, _other = demo()
    client = login(school_admin)
    client.get(reverse("news:feed_sources"))
    with django_assert_max_num_queries(SOURCES_QUERIES):
        page = client.get(reverse("news:feed_sources")).content.decode()
    assert "红色资讯网" in page and "file:gxdj.xml" in page
    detail = client.get(reverse("news:feed_source", args=[source.pk])).content.decode()
    assert "立即抓取" in detail and "抓取记录" in detail
    response = client.post(reverse("news:feed_source_fetch", args=[source.pk]))
    assert response.status_code == 302
    assert FetchLog.objects.filter(source=source).count() == 2
    assert AuditEvent.objects.filter(action="news.feed_fetch", actor=school_admin).exists()


def test_add_and_edit_a_source_through_the_form(world, school_admin, login, feed_root) -> None:
    client = login(school_admin)
    assert client.get(reverse("news:feed_source_new")).status_code == 200
    bad = client.post(reverse("news:feed_source_new"), {"name": "甲", "url": "ftp://x.example.cn/rss"})
    assert bad.status_code == 200 and "http://" in bad.content.decode()
    assert not FeedSource.objects.exists()
    ok = client.post(
        reverse("news:feed_source_new"), {"name": "甲", "url": "https://x.example.cn/rss", "enabled": "on"}
    )
    source = FeedSource.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("news:feed_source", args=[source.pk])
    client.post(reverse("news:feed_source_edit", args=[source.pk]), {"name": "乙", "url": source.url})
    source.refresh_from_db()
    assert source.name == "乙" and not source.enabled  # unticked: disabled
    assert AuditEvent.objects.filter(action="news.feed_source_create", actor=school_admin).exists()
    assert AuditEvent.objects.filter(action="news.feed_source_update", actor=school_admin).exists()


def test_the_form_refuses_a_private_ip_address_in_chinese(world, school_admin, login) -> None:
    client = login(school_admin)
    for url in ("http://127.0.0.1/rss", "https://[fd00::5]/rss", "http://169.254.169.254/latest"):
        bad = client.post(reverse("news:feed_source_new"), {"name": "甲", "url": url, "enabled": "on"})
        assert bad.status_code == 200 and "订阅地址不能是本机、内网或保留的 IP 地址" in bad.content.decode()
    assert not FeedSource.objects.exists()
    assert not AuditEvent.objects.filter(action="news.feed_source_create").exists()


def test_republish_and_ignore_through_the_page(world, school_admin, login, feed_root) -> None:
    demo()
    first, second = FeedItem.objects.filter(duplicate_of__isnull=True).order_by("-published_at")[:2]
    client = login(school_admin)
    response = client.post(reverse("news:feed_item_republish", args=[first.pk]), {"expected_status": "new"})
    article = Article.objects.get()
    assert response["Location"] == reverse("news:review", args=[article.pk])
    assert "原文链接" in client.get(response["Location"]).content.decode()
    again = client.post(reverse("news:feed_item_republish", args=[first.pk]), {"expected_status": "new"})
    assert again.status_code == 302 and Article.objects.count() == 1  # a double submit has one effect
    client.post(
        reverse("news:feed_item_ignore", args=[second.pk]),
        {"expected_status": "new", "next": "https://evil.example.com/"},
    )
    second.refresh_from_db()
    assert second.status == ItemStatus.IGNORED
    queue = client.get(reverse("news:feed_queue") + "?all=1").content.decode()
    assert "已转载" in queue and "已忽略" in queue


def test_the_menu_shows_the_queue_to_the_school_news_staff_only(
    world, school_admin, college_organizer, login
) -> None:
    url = reverse("news:feed_queue")
    assert url in login(school_admin).get(reverse("news:manage")).content.decode()
    assert url not in login(college_organizer).get(reverse("news:manage")).content.decode()


@pytest.mark.parametrize(
    "persona", ["college_organizer", "outsider_organizer", "branch_secretary", "member_user"]
)
def test_everyone_else_is_refused_on_every_page_and_post(world, persona, request, login, feed_root) -> None:
    source, _other = demo()
    item = FeedItem.objects.order_by("pk").first()
    client = login(request.getfixturevalue(persona))
    for name, args in (
        ("news:feed_queue", []),
        ("news:feed_sources", []),
        ("news:feed_source_new", []),
        ("news:feed_source", [source.pk]),
        ("news:feed_source_edit", [source.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    posts = (
        ("news:feed_source_new", [], {"name": "甲", "url": "https://x.example.cn/rss"}),
        ("news:feed_source_edit", [source.pk], {"name": "乙", "url": "https://x.example.cn/rss"}),
        ("news:feed_source_fetch", [source.pk], {}),
        ("news:feed_item_ignore", [item.pk], {"expected_status": "new"}),
        ("news:feed_item_republish", [item.pk], {"expected_status": "new"}),
    )
    events = AuditEvent.objects.count()
    for name, args, data in posts:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    item.refresh_from_db()
    source.refresh_from_db()
    assert item.status == ItemStatus.NEW and source.name == "红色资讯网"
    assert FeedSource.objects.count() == 2 and FetchLog.objects.count() == 2 and not Article.objects.exists()
    assert AuditEvent.objects.count() == events
