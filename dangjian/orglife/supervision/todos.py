"""督查 in the to-do centre: a supervisor's tasks without feedback, the problems a branch has to answer,
and (for the committees that review) problems past their rectification date. Counts asked with every
module's."""

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
from dangjian.orglife import access

P = Permission
_PATH = "feedback__assignment__meeting__organization__path"


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.orglife.models import Assignment, AssignmentStatus, MeetingStatus, Problem, ProblemStatus

    asked: dict[str, Any] = {}
    if scope.person_id:
        asked["unfiled"] = Assignment.objects.filter(
            supervisor__person_id=scope.person_id, status=AssignmentStatus.ASSIGNED
        ).exclude(meeting__status=MeetingStatus.CANCELLED)
    if scope.has(P.MANAGE_ORGLIFE):
        asked["open"] = Problem.objects.filter(access.manage_q(scope, _PATH), status=ProblemStatus.OPEN)
    if scope.has(P.REVIEW_ORGLIFE):
        asked["late"] = Problem.objects.filter(
            access.review_q(scope, _PATH),
            status=ProblemStatus.OPEN,
            rectify_by__lt=timezone.localdate(),
        )
    return asked


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    items: list[TodoItem] = []
    problems = reverse("orglife:sup_problems")
    if n.get("unfiled"):
        items.append(
            TodoItem(
                "orglife",
                _("%(n)s 项组织生活督查任务待反馈") % {"n": n["unfiled"]},
                reverse("orglife:sup_tasks"),
                "warning",
                n["unfiled"],
            )
        )
    if n.get("open"):
        items.append(
            TodoItem(
                "orglife",
                _("%(n)s 个督查问题待答复整改") % {"n": n["open"]},
                problems + "?status=open",
                "warning",
                n["open"],
            )
        )
    if n.get("late"):
        items.append(
            TodoItem(
                "orglife",
                _("%(n)s 个督查问题已超过整改时限未答复") % {"n": n["late"]},
                problems + "?status=open&overdue=1",
                "danger",
                n["late"],
            )
        )
    return items


supervision_todos = Answered(_ask, _answer)
