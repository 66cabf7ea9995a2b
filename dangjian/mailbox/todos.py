"""The 书记信箱 in the to-do centre: the letters waiting for a reply in the organizations the user handles,
overdue ones called out first. One query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem


def mailbox_todos(user: Any, scope: Scope) -> list[TodoItem]:
    from dangjian.mailbox.selectors import waiting_count

    if not scope.has(Permission.HANDLE_REQUESTS):
        return []
    waiting, overdue = waiting_count(scope)
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
