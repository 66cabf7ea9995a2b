"""数据报送 in the to-do centre: tables the user's organizations must fill (returned ones first), tables
submitted to the user for review, and organizations overdue on the returns the user reviews (counts
asked with every module's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    if not scope.has(Permission.FILL_RETURNS):
        return {}
    from dangjian.returns import access
    from dangjian.returns.models import FILLABLE, Assignment, AssignmentStatus, ReturnStatus
    from dangjian.returns.selectors import overdue_q

    today = timezone.localdate()
    reviewing = access.review_q(scope, "ret__designer__path")
    open_ones = Assignment.objects.filter(ret__status=ReturnStatus.OPEN)
    return {
        "fill": open_ones.filter(access.to_fill_q(scope) & Q(status__in=FILLABLE)),
        "review": open_ones.filter(reviewing & Q(status=AssignmentStatus.SUBMITTED)),
        "overdue": open_ones.filter(reviewing & overdue_q(today)),
    }


def _answer(user: Any, scope: Scope, counts: Mapping[str, int]) -> list[TodoItem]:
    link = reverse("returns:list")
    items = []
    if counts.get("fill"):
        n = counts["fill"]
        items.append(TodoItem("returns", _("%(n)s 张报表待填报") % {"n": n}, link, "warning", n))
    if counts.get("review"):
        n = counts["review"]
        items.append(TodoItem("returns", _("%(n)s 份填报待审核") % {"n": n}, link, "warning", n))
    if counts.get("overdue"):
        n = counts["overdue"]
        items.append(TodoItem("returns", _("%(n)s 个组织逾期未提交报表") % {"n": n}, link, "danger", n))
    return items


returns_todos = Answered(_ask, _answer)
