"""民主评议 in the to-do centre: a member's self review or ratings to do in their open round; for those
who run a branch's round, 不合格 cases decided but not yet reported up (counts asked with every module's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.appraisal import access
    from dangjian.appraisal.models import Grade, Participant, Stage
    from dangjian.appraisal.selectors import own_waiting

    asked: dict[str, Any] = dict(own_waiting(scope))
    if scope.has(Permission.MANAGE_APPRAISAL):
        asked["unreported"] = Participant.objects.filter(
            access.manage_q(scope, "round__branch__path"),
            round__stage=Stage.DECIDED,
            decided_grade=Grade.UNQUALIFIED,
            reported_at__isnull=True,
        )
    return asked


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    items: list[TodoItem] = []
    reviews, ratings = n.get("reviews", 0), n.get("ratings", 0)
    mine = reverse("appraisal:mine")
    if reviews:
        items.append(TodoItem("appraisal", _("民主评议：请填写自我评价"), mine, "info", reviews))
    if ratings:
        items.append(TodoItem("appraisal", _("民主评议：请完成民主测评"), mine, "warning", ratings))
    waiting = n.get("unreported", 0)
    if waiting:
        items.append(
            TodoItem(
                "appraisal",
                _("%(n)s 名评定为不合格的党员处置情况待上报") % {"n": waiting},
                reverse("appraisal:rounds"),
                "warning",
                waiting,
            )
        )
    return items


appraisal_todos = Answered(_ask, _answer)
