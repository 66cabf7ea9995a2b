"""How 智慧宣传 plugs into the platform: the public site and the pages, the API, the menu, the to-dos,
the scheduled publishing, the demo and the audit words."""

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import NavEntry, NavSection
from dangjian.news import audit_labels
from dangjian.news.feeds import access as feeds_access
from dangjian.news.feeds import audit_labels as feeds_audit
from dangjian.news.todos import news_todos


def _reader(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None or scope.has(P.PUBLISH_NEWS)


def _aggregates(request: HttpRequest, scope: Scope) -> bool:
    return feeds_access.may_aggregate(scope)


def _seed_feeds(seed: int) -> dict[str, int]:
    from dangjian.news.feeds.demo import seed_feeds

    return seed_feeds(seed=seed)


def _seed(seed: int) -> dict[str, int]:
    from dangjian.news.demo import seed_news

    return seed_news(seed=seed)


def _seed_attention(seed: int) -> dict[str, int]:
    from dangjian.news.attention.demo import seed_attention

    return seed_attention(seed=seed)


hooks.url_mounts.add(hooks.UrlMount("news/", "dangjian.news.urls"))
hooks.api_routers.add(hooks.ApiRouter("dangjian.news.api:router", order=75))
hooks.nav_sections.add(NavSection("news", _("宣传"), order=68))
hooks.nav.add(NavEntry(_("新闻"), "news:reading", "book", order=680, group="news", visible=_reader))
hooks.nav.add(
    NavEntry(_("宣传稿件"), "news:manage", "list", order=681, group="news", permission=P.PUBLISH_NEWS)
)
hooks.nav.add(
    NavEntry(_("阅读关注度"), "news:attention", "chart", order=682, group="news", permission=P.PUBLISH_NEWS)
)
hooks.todos.add(hooks.TodoProvider("news", ask=news_todos.ask, answer=news_todos.answer))
hooks.periodic.add(
    hooks.PeriodicTask(
        "news-publish-scheduled", "dangjian.news.tasks.publish_scheduled_articles", crontab(minute="*/5")
    )
)
hooks.periodic.add(
    hooks.PeriodicTask("news-retry-webhooks", "dangjian.news.tasks.retry_deliveries", crontab(minute="*/5"))
)
hooks.periodic.add(
    hooks.PeriodicTask("news-fold-reads", "dangjian.news.tasks.fold_read_events", crontab(minute="*"))
)
hooks.seeders.add(hooks.DemoSeeder("news", _seed))
hooks.seeders.add(hooks.DemoSeeder("news.attention", _seed_attention, after=("news",)))
hooks.audit_actions.add(audit_labels.ACTIONS)

# ---- 智能整理 (news.feeds): the school's feed sources, fetched hourly, and the editors' queue
hooks.nav.add(
    NavEntry(
        _("聚合新闻"),
        "news:feed_queue",
        "list",
        order=682,
        group="news",
        permission=P.PUBLISH_NEWS,
        visible=_aggregates,
    )
)
hooks.periodic.add(
    hooks.PeriodicTask("news-fetch-feeds", "dangjian.news.feeds.tasks.fetch_feeds", crontab(minute=17))
)
hooks.seeders.add(hooks.DemoSeeder("news.feeds", _seed_feeds, after=("news",)))
hooks.audit_actions.add(feeds_audit.ACTIONS)


def _contribute_indicators() -> None:
    from dangjian.news.attention.indicators import INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)


_contribute_indicators()
