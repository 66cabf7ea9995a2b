"""智慧宣传 fixtures: scopes of the personas and a helper that writes an article through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core.models import Organization
from dangjian.news import services
from dangjian.news.models import Article, Audience, Category

SYSTEM = Scope.system()


def scope(user: User) -> Scope:
    return resolve_scope(user)


def write(
    org: Organization,
    *,
    title: str = "召开党建工作推进会",
    audience: str = Audience.PUBLIC,
    author: User | None = None,
    body: str = "<p>会议传达学习了上级文件精神。</p>",
    **extra: Any,
) -> Article:
    return services.article_create(
        actor=author,
        scope=scope(author) if author else SYSTEM,
        organization=org,
        data=services.ArticleInput(
            title=title, body=body, audience=audience, category=Category.WORK, **extra
        ),
    )


def publish(article: Article) -> Article:
    """Through the whole chain in force, as the platform."""
    article = services.article_submit(actor=None, scope=SYSTEM, article=article, expected_status=None)
    while article.status == "in_review":
        article = services.article_approve(actor=None, scope=SYSTEM, article=article, expected_status=None)
    return article


@pytest.fixture
def published() -> Callable[..., Article]:
    def make(org: Organization, **kwargs: Any) -> Article:
        return publish(write(org, **kwargs))

    return make
