"""党校 in the to-do centre: classes past their end date that are not closed yet (certificates, hours
and the development targets' training step wait for the close). One query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem


def learning_todos(user: Any, scope: Scope) -> list[TodoItem]:
    if not scope.has(Permission.MANAGE_TRAINING):
        return []
    from dangjian.learning.models import ClassStatus
    from dangjian.learning.selectors import overdue_classes

    late = overdue_classes(scope, timezone.localdate()).count()
    if not late:
        return []
    return [
        TodoItem(
            "learning",
            _("%(n)s 个党校培训班已结束尚未结班") % {"n": late},
            reverse("learning:classes") + f"?status={ClassStatus.OPEN}",
            "warning",
            late,
        )
    ]
