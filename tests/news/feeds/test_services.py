"""The writes of 智能整理: sources validated, a fetch storing each item once (an upsert by guid),
near-duplicates across the two demo feeds grouped into topics, failures storing nothing and counting
up, and an item ignored or 转载 as a 媒体聚焦 draft with the attribution — once, with audit rows."""

from __future__ import annotations

import pytest

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.news.feeds import services
from dangjian.news.feeds.models import FeedItem, FeedSource, FetchLog, FetchStatus, ItemStatus, Topic
from dangjian.news.models import Article, Category, Status
from tests.news.feeds.conftest import RSS, FakeOpener, not_modified

pytestmark = pytest.mark.django_db
SYSTEM = Scope.system()


def add(name: str, url: str) -> FeedSource:
    return services.source_create(actor=None, scope=SYSTEM, data=services.SourceInput(name=name, url=url))


def fetch_demo() -> tuple[FeedSource, FeedSource]:
    a, b = add("红色资讯网", "file:hongse.xml"), add("高校党建在线", "file:gxdj.xml")
    services.source_fetch(actor=None, scope=SYSTEM, source=a)
    services.source_fetch(actor=None, scope=SYSTEM, source=b)
    return a, b


@pytest.mark.parametrize(
    ("name", "url", "field", "message"),
    [
        ("", "https://a.example.cn/rss", "name", "请填写名称"),
        ("甲", "a.example.cn/rss", "url", "http://"),
        ("甲", "javascript:alert(1)", "url", "http://"),
        ("甲", "https:///rss", "url", "有效的网址"),
        ("甲", "file:../../etc/passwd", "url", "只能位于"),
        ("甲", "https://a.example.cn/" + "x" * 500, "url", "500"),
        ("甲", "http://127.0.0.1/rss", "url", "内网"),
        ("甲", "https://192.168.1.20:8443/rss", "url", "内网"),
        ("甲", "http://[::1]/rss", "url", "内网"),
    ],
)
def test_a_bad_source_is_refused_with_a_chinese_message(feed_root, name, url, field, message) -> None:
    with pytest.raises(RuleViolation, match=message) as err:
        add(name, url)
    assert err.value.field == field
    assert not FeedSource.objects.exists()


def test_names_are_unique_and_edits_forget_the_validators(feed_root) -> None:
    source = add("红色资讯网", "https://a.example.cn/rss")
    with pytest.raises(RuleViolation, match="同名"):
        add("红色资讯网", "https://b.example.cn/rss")
    FeedSource.objects.filter(pk=source.pk).update(etag='"x"', failures=4)
    source = services.source_update(
        actor=None,
        scope=SYSTEM,
        source=source,
        data=services.SourceInput(name="红色资讯网", url="https://c.example.cn/rss", enabled=False),
    )
    assert source.etag == "" and not source.enabled
    event = AuditEvent.objects.get(action="news.feed_source_update")
    assert event.changes["url"] == ["https://a.example.cn/rss", "https://c.example.cn/rss"]


def test_the_demo_feeds_group_their_five_shared_stories(feed_root) -> None:
    fetch_demo()
    assert FeedItem.objects.count() == 30
    dups = FeedItem.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")
    assert dups.count() == 5
    for item in dups:
        assert item.topic_id == item.duplicate_of.topic_id
        assert item.source_id != item.duplicate_of.source_id
    assert Topic.objects.count() == 25
    assert sorted(Topic.objects.values_list("item_count", flat=True)).count(2) == 5
    item = FeedItem.objects.filter(duplicate_of__isnull=True).first()
    assert item.keywords and item.topic.representative_id is not None
    log = FetchLog.objects.order_by("pk").last()
    assert log.items_new == 15 and log.items_duplicate == 5 and log.status == FetchStatus.OK


def test_fetching_again_stores_nothing_twice(feed_root) -> None:
    source = add("甲", "https://a.example.cn/rss")
    services.source_fetch(actor=None, scope=SYSTEM, source=source, opener=FakeOpener(RSS))
    FeedSource.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()
    log = services.source_fetch(actor=None, scope=SYSTEM, source=source, opener=FakeOpener(RSS))
    assert log.status == FetchStatus.OK and log.items_new == 0
    assert FeedItem.objects.count() == 2 and Topic.objects.count() == 2


def test_the_same_local_file_is_not_modified_the_second_time(feed_root) -> None:
    a, _b = fetch_demo()
    a.refresh_from_db()
    log = services.source_fetch(actor=None, scope=SYSTEM, source=a)
    assert log.status == FetchStatus.NOT_MODIFIED and FeedItem.objects.count() == 30


def test_304_is_logged_as_not_modified() -> None:
    source = add("甲", "https://a.example.cn/rss")
    log = services.source_fetch(
        actor=None, scope=SYSTEM, source=source, opener=FakeOpener(error=not_modified())
    )
    assert log.status == FetchStatus.NOT_MODIFIED and not FeedItem.objects.exists()


@pytest.mark.parametrize(
    "body", [b"not xml at all", b"<rss><channel><item>", b"<!DOCTYPE x><rss/>", b"<rss>" + b" " * 3_000_000]
)
def test_a_bad_feed_stores_nothing_and_counts_a_failure(body, settings) -> None:
    settings.NEWS_FEED_MAX_BYTES = 2 * 1024 * 1024
    source = add("甲", "https://a.example.cn/rss")
    for n in (1, 2):
        log = services.source_fetch(actor=None, scope=SYSTEM, source=source, opener=FakeOpener(body))
        source.refresh_from_db()
        assert log.status == FetchStatus.ERROR and log.error and source.failures == n
    assert source.last_error == log.error and source.last_status == FetchStatus.ERROR
    assert not FeedItem.objects.exists() and not Topic.objects.exists()
    assert AuditEvent.objects.filter(action="news.feed_fetch", changes__status="error").count() == 2
    services.source_fetch(actor=None, scope=SYSTEM, source=source, opener=FakeOpener(RSS))
    source.refresh_from_db()
    assert source.failures == 0 and source.last_error == ""


def test_a_source_resolving_to_a_private_address_logs_a_refusal_and_stores_nothing(network) -> None:
    network.dns["feeds.example.org"] = ["10.20.30.40"]
    source = add("甲", "http://feeds.example.org/rss")
    log = services.source_fetch(actor=None, scope=SYSTEM, source=source)
    assert log.status == FetchStatus.ERROR and "内网" in log.error
    assert network.connected == [] and not FeedItem.objects.exists()


def test_an_intranet_school_saves_a_private_source_with_the_setting(settings) -> None:
    settings.NEWS_FEED_ALLOW_PRIVATE = True
    assert add("甲", "http://10.0.0.8/rss").url == "http://10.0.0.8/rss"


def test_fetch_all_skips_disabled_sources_and_survives_a_failing_one(feed_root) -> None:
    add("坏", "file:missing.xml")
    add("甲", "file:hongse.xml")
    off = add("停", "file:gxdj.xml")
    FeedSource.objects.filter(pk=off.pk).update(enabled=False)
    assert services.fetch_all(scope=SYSTEM) == 15
    assert FeedSource.objects.get(name="坏").failures == 1


def test_republish_writes_a_media_draft_with_the_attribution(world, school_admin, feed_root) -> None:
    fetch_demo()
    item = FeedItem.objects.select_related("source").order_by("pk").first()
    scope = resolve_scope(school_admin)
    article = services.item_republish(actor=school_admin, scope=scope, item=item, expected_status="new")
    assert article.status == Status.DRAFT and article.category == Category.MEDIA
    assert article.organization == world.school and article.title == item.title
    assert f"来源：{item.source.name}，原文链接：" in article.body and item.link in article.body
    assert 'rel="noopener noreferrer"' in article.body  # through the news sanitiser
    item.refresh_from_db()
    assert (
        item.status == ItemStatus.REPUBLISHED and item.article == article and item.handled_by == school_admin
    )
    assert AuditEvent.objects.filter(action="news.feed_item_republish", actor=school_admin).exists()
    assert AuditEvent.objects.filter(action="news.article_create", actor=school_admin).exists()
    with pytest.raises(StaleState):
        services.item_republish(actor=school_admin, scope=scope, item=item, expected_status="new")
    with pytest.raises(RuleViolation, match="已处理"):
        services.item_republish(actor=school_admin, scope=scope, item=item, expected_status=None)
    assert Article.objects.count() == 1


def test_ignore_marks_the_item_once(world, school_admin, feed_root) -> None:
    fetch_demo()
    item = FeedItem.objects.order_by("pk").first()
    scope = resolve_scope(school_admin)
    services.item_ignore(actor=school_admin, scope=scope, item=item, expected_status="new")
    item.refresh_from_db()
    assert item.status == ItemStatus.IGNORED
    assert AuditEvent.objects.filter(action="news.feed_item_ignore").count() == 1
    with pytest.raises(StaleState):
        services.item_ignore(actor=school_admin, scope=scope, item=item, expected_status="new")


@pytest.mark.parametrize("persona", ["college_organizer", "branch_secretary", "member_user"])
def test_only_the_school_news_staff_aggregate(world, persona, request, feed_root) -> None:
    user = request.getfixturevalue(persona)
    scope = resolve_scope(user)
    with pytest.raises(NotFound):
        services.source_create(
            actor=user, scope=scope, data=services.SourceInput(name="甲", url="file:hongse.xml")
        )
    source = add("甲", "file:hongse.xml")
    with pytest.raises(NotFound):
        services.source_fetch(actor=user, scope=scope, source=source)
    services.source_fetch(actor=None, scope=SYSTEM, source=source)
    item = FeedItem.objects.first()
    with pytest.raises(NotFound):
        services.item_republish(actor=user, scope=scope, item=item, expected_status="new")
    with pytest.raises(NotFound):
        services.item_ignore(actor=user, scope=scope, item=item, expected_status="new")
    assert not Article.objects.exists()
