"""组织生活 in the to-do centre: leave requests to decide and meetings past their day without minutes
(the branch), plans waiting for review (the committee above), and the notified meetings a member should
attend in the coming week: counts asked with every module's (``hooks.TodoProvider``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
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


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.orglife.models import (
        Attendance,
        Attendee,
        LeaveRequest,
        LeaveStatus,
        Meeting,
        MeetingStatus,
        Plan,
        PlanStatus,
    )

    today = timezone.localdate()
    asked: dict[str, Any] = {}
    if scope.has(P.MANAGE_ORGLIFE):
        asked["leaves"] = LeaveRequest.objects.filter(
            access.manage_q(scope, "meeting__organization__path"), status=LeaveStatus.PENDING
        )
        asked["unminuted"] = Meeting.objects.filter(
            access.manage_q(scope),
            date__lt=today,
            status__in=(MeetingStatus.PLANNED, MeetingStatus.NOTIFIED, MeetingStatus.HELD),
        )
    if scope.has(P.REVIEW_ORGLIFE):
        asked["waiting"] = Plan.objects.filter(access.review_q(scope), status=PlanStatus.SUBMITTED)
    if scope.person_id:
        asked["soon"] = Attendee.objects.filter(
            person_id=scope.person_id,
            attendance=Attendance.EXPECTED,
            meeting__status=MeetingStatus.NOTIFIED,
            meeting__date__range=(today, today + timedelta(days=7)),
        )
    return asked


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    items: list[TodoItem] = []
    if n.get("leaves"):
        items.append(
            TodoItem(
                "orglife",
                _("%(n)s 条请假申请待审批") % {"n": n["leaves"]},
                reverse("orglife:meetings") + "?status=notified",
                "warning",
                n["leaves"],
            )
        )
    if n.get("unminuted"):
        items.append(
            TodoItem(
                "orglife",
                _("%(n)s 次会议已过会议日期，尚未记录纪要") % {"n": n["unminuted"]},
                reverse("orglife:meetings") + "?status=held",
                "warning",
                n["unminuted"],
            )
        )
    if n.get("waiting"):
        items.append(
            TodoItem(
                "orglife",
                _("%(n)s 份组织生活计划待审核") % {"n": n["waiting"]},
                reverse("orglife:plans") + "?status=submitted",
                "info",
                n["waiting"],
            )
        )
    if n.get("soon"):
        items.append(
            TodoItem(
                "orglife",
                _("未来一周有 %(n)s 次组织生活会议需要参加") % {"n": n["soon"]},
                reverse("orglife:home"),
                "info",
                n["soon"],
            )
        )
    return items


orglife_todos = Answered(_ask, _answer)
