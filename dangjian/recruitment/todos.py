"""发展党员 in the to-do centre: applicants waiting too long for the talk and submissions returned for
correction (the branch, one query), and cases whose next step is the committee above's (one query; cases
record their steps in order)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.workbench.todos import TodoItem, register


@register("recruitment")
def recruitment_todos(user: Any, scope: Scope) -> list[TodoItem]:
    P = Permission
    if not (scope.has(P.MANAGE_RECRUITMENT) or scope.has(P.APPROVE_RECRUITMENT)):
        return []
    from dangjian.core.dates import add_months
    from dangjian.policy import get_policy
    from dangjian.recruitment.models import Actor, Case, CaseStatus, StepDefinition

    items = []
    open_cases = Case.objects.filter(status=CaseStatus.OPEN).annotate(
        last=Max("steps__step__number"),
        n_returned=Count("steps", filter=Q(steps__returned_at__isnull=False)),
    )
    if scope.has(P.MANAGE_RECRUITMENT):
        talk_due = add_months(timezone.localdate(), -get_policy().recruit_talk_within_months)
        counts = open_cases.filter(scope.q(P.MANAGE_RECRUITMENT, "branch__path")).aggregate(
            late=Count("id", filter=Q(last=1, applied_on__lt=talk_due)),
            returned=Count("id", filter=Q(n_returned__gt=0)),
        )
        late, returned = counts["late"] or 0, counts["returned"] or 0
        if returned:
            items.append(
                TodoItem(
                    "recruitment",
                    _("%(n)s 人的发展党员材料被上级党委退回，待修改后重新提交") % {"n": returned},
                    reverse("recruitment:board"),
                    "warning",
                    returned,
                )
            )
        if late:
            items.append(
                TodoItem(
                    "recruitment",
                    _("%(n)s 名入党申请人超过一个月未谈话") % {"n": late},
                    reverse("recruitment:board"),
                    "danger",
                    late,
                )
            )
    if scope.has(P.APPROVE_RECRUITMENT):
        upper = list(StepDefinition.objects.filter(actor=Actor.UPPER).values_list("number", flat=True))
        waiting = open_cases.filter(
            scope.q(P.APPROVE_RECRUITMENT, "branch__path"), last__in=[n - 1 for n in upper], n_returned=0
        ).count()
        if waiting:
            items.append(
                TodoItem(
                    "recruitment",
                    _("%(n)s 人的发展党员步骤待上级党委办理") % {"n": waiting},
                    reverse("recruitment:queue"),
                    "warning",
                    waiting,
                )
            )
    return items
