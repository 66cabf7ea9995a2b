"""Who may act in 智能整理: the school's news staff — PUBLISH_NEWS over the whole tree (the 组织部 at
the school committee) — configure the sources, fetch them, see the queue and ignore or 转载 its items.
A college's or a branch's writers hold PUBLISH_NEWS below the root only and see none of it (404).
One rule, asked by the services (a refusal), the pages (404) and the menu."""

from __future__ import annotations

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import ROOT_PATH_LENGTH, Scope
from dangjian.news.feeds.models import FeedItem, ItemStatus


def may_aggregate(scope: Scope) -> bool:
    """PUBLISH_NEWS at the school committee (the root) or the platform itself; no query."""
    return scope.is_system or any(len(p) <= ROOT_PATH_LENGTH for p in scope.prefixes(Permission.PUBLISH_NEWS))


def aggregate_q(scope: Scope) -> Q:
    """``may_aggregate`` as a filter: everything or nothing."""
    return Q(pk__isnull=False) if may_aggregate(scope) else Q(pk__in=[])


def may_handle(scope: Scope, item: FeedItem) -> bool:
    """Ignore or 转载 an item still waiting in the queue."""
    return item.status == ItemStatus.NEW and may_aggregate(scope)
