"""党校 in the to-do centre: classes past their end date that are not closed yet (certificates, hours
and the development targets' training step wait for the close), counted with every module's to-dos."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    if not scope.has(Permission.MANAGE_TRAINING):
        return {}
    from dangjian.learning.selectors import overdue_classes

    return {"late": overdue_classes(scope, timezone.localdate())}


def _answer(user: Any, scope: Scope, counts: Mapping[str, int]) -> list[TodoItem]:
    from dangjian.learning.models import ClassStatus

    late = counts.get("late", 0)
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


learning_todos = Answered(_ask, _answer)
