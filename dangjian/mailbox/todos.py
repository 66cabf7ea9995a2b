"""The 书记信箱 in the to-do centre: the letters waiting for a reply in the organizations the user handles,
overdue ones called out first (counts asked with every module's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.mailbox.selectors import waiting

    if not scope.has(Permission.HANDLE_REQUESTS):
        return {}
    return waiting(scope)


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    waiting, overdue = n.get("waiting", 0), n.get("overdue", 0)
    if not waiting:
        return []
    link = reverse("mailbox:inbox")
    items: list[TodoItem] = []
    if overdue:
        items.append(
            TodoItem(
                "mailbox",
                _("%(n)s 封书记信箱来信已超过答复期限") % {"n": overdue},
                f"{link}?{urlencode({'status': 'overdue'})}",
                "danger",
                overdue,
            )
        )
    items.append(TodoItem("mailbox", _("%(n)s 封书记信箱来信待回复") % {"n": waiting}, link, "info", waiting))
    return items


mailbox_todos = Answered(_ask, _answer)
