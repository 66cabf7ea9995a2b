"""发展党员 in the to-do centre: applicants waiting too long for the talk and submissions returned for
correction (the branch), and cases whose next step is the committee above's (cases record their steps in
order) — counts asked with every module's (``hooks.TodoProvider``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    P = Permission
    if not (scope.has(P.MANAGE_RECRUITMENT) or scope.has(P.APPROVE_RECRUITMENT)):
        return {}
    from dangjian.kit.dates import add_months
    from dangjian.policy import get_policy
    from dangjian.recruitment import access
    from dangjian.recruitment.models import Actor, Case, CaseStatus, StepDefinition, StepRecord

    open_cases = Case.objects.filter(status=CaseStatus.OPEN)
    # Returned records are few: find their cases from the records' side (an index on returned_at).
    returned_cases = StepRecord.objects.filter(returned_at__isnull=False, case__status=CaseStatus.OPEN)
    has_returned = Q(pk__in=returned_cases.values("case_id"))
    asked: dict[str, Any] = {}
    if scope.has(P.MANAGE_RECRUITMENT):
        talk_due = add_months(timezone.localdate(), -get_policy().recruit_talk_within_months)
        in_scope = open_cases.filter(access.manage_q(scope))
        asked["late"] = in_scope.filter(last_step=1, applied_on__lt=talk_due)
        asked["returned"] = in_scope.filter(has_returned)
    if scope.has(P.APPROVE_RECRUITMENT):
        # Cases whose last step is the one before a step of the committee above.
        before_upper = StepDefinition.objects.filter(actor=Actor.UPPER).annotate(before=F("number") - 1)
        asked["waiting"] = open_cases.filter(
            access.approve_q(scope), last_step__in=before_upper.values("before")
        ).exclude(has_returned)
    return asked


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    items = []
    if n.get("returned"):
        items.append(
            TodoItem(
                "recruitment",
                _("%(n)s 人的发展党员材料被上级党委退回，待修改后重新提交") % {"n": n["returned"]},
                reverse("recruitment:board"),
                "warning",
                n["returned"],
            )
        )
    if n.get("late"):
        items.append(
            TodoItem(
                "recruitment",
                _("%(n)s 名入党申请人超过一个月未谈话") % {"n": n["late"]},
                reverse("recruitment:board"),
                "danger",
                n["late"],
            )
        )
    if n.get("waiting"):
        items.append(
            TodoItem(
                "recruitment",
                _("%(n)s 人的发展党员步骤待上级党委办理") % {"n": n["waiting"]},
                reverse("recruitment:queue"),
                "warning",
                n["waiting"],
            )
        )
    return items


recruitment_todos = Answered(_ask, _answer)
