"""智慧宣传 in the to-do centre: the articles waiting at a step the user reviews (counted with every
module's to-dos)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.news.selectors import waiting

    return {"waiting": waiting(scope)}


def _answer(user: Any, scope: Scope, counts: Mapping[str, int]) -> list[TodoItem]:
    n = counts.get("waiting", 0)
    if not n:
        return []
    return [
        TodoItem("news", _("%(n)s 篇稿件待审核") % {"n": n}, reverse("news:manage") + "?waiting=1", "info", n)
    ]


news_todos = Answered(_ask, _answer)
