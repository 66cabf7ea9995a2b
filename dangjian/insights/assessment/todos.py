"""述职评议考核 in the to-do centre: a 书记's 述职报告 to hand in, a reviewer's scores to give, and for
the committee, assessments waiting for their grades (counts asked with every module's)."""

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
    from dangjian.insights.assessment import access, rules
    from dangjian.insights.assessment.models import Assessment, Reviewer, Stage, Target

    wanted: dict[str, Any] = {}
    if scope.person_id:
        wanted["reports"] = Target.objects.filter(
            access.own_targets_q(scope), assessment__stage__in=rules.REPORT_STAGES, report_at__isnull=True
        )
    if scope.user_id:
        wanted["scoring"] = Reviewer.objects.filter(
            user_id=scope.user_id, assessment__stage=Stage.REVIEWING, scored_at__isnull=True
        )
    if scope.has(Permission.ASSESS_ORGS):
        wanted["grading"] = Assessment.objects.filter(access.run_q(scope), stage=Stage.GRADING)
    return wanted


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    listing = reverse("insights:assessments")
    items: list[TodoItem] = []
    if n.get("reports"):
        items.append(
            TodoItem("assessment", _("述职评议考核：请提交述职报告"), listing, "warning", n["reports"])
        )
    if n.get("scoring"):
        items.append(
            TodoItem("assessment", _("述职评议考核：请为被考核组织评分"), listing, "warning", n["scoring"])
        )
    if n.get("grading"):
        items.append(
            TodoItem("assessment", _("述职评议考核待评定等次、公布结果"), listing, "info", n["grading"])
        )
    return items


assessment_todos = Answered(_ask, _answer)
