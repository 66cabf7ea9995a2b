"""智慧宣传 in the to-do centre: the articles waiting at a step the user reviews (one query)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem


def news_todos(user: Any, scope: Scope) -> list[TodoItem]:
    from dangjian.news.selectors import waiting_count

    n = waiting_count(scope)
    if not n:
        return []
    return [
        TodoItem("news", _("%(n)s 篇稿件待审核") % {"n": n}, reverse("news:manage") + "?waiting=1", "info", n)
    ]
