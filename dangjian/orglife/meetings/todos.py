"""组织生活 in the to-do centre: leave requests to decide and meetings past their day without minutes
(the branch), plans waiting for review (the committee above), and the notified meetings a member should
attend in the coming week. One query each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.orglife import access

P = Permission


def orglife_todos(user: Any, scope: Scope) -> list[TodoItem]:
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

    items: list[TodoItem] = []
    today = timezone.localdate()
    if scope.has(P.MANAGE_ORGLIFE):
        leaves = LeaveRequest.objects.filter(
            access.manage_q(scope, "meeting__organization__path"), status=LeaveStatus.PENDING
        ).count()
        if leaves:
            items.append(
                TodoItem(
                    "orglife",
                    _("%(n)s 条请假申请待审批") % {"n": leaves},
                    reverse("orglife:meetings") + "?status=notified",
                    "warning",
                    leaves,
                )
            )
        unminuted = Meeting.objects.filter(
            access.manage_q(scope),
            date__lt=today,
            status__in=(MeetingStatus.PLANNED, MeetingStatus.NOTIFIED, MeetingStatus.HELD),
        ).count()
        if unminuted:
            items.append(
                TodoItem(
                    "orglife",
                    _("%(n)s 次会议已过会议日期，尚未记录纪要") % {"n": unminuted},
                    reverse("orglife:meetings") + "?status=held",
                    "warning",
                    unminuted,
                )
            )
    if scope.has(P.REVIEW_ORGLIFE):
        waiting = Plan.objects.filter(access.review_q(scope), status=PlanStatus.SUBMITTED).count()
        if waiting:
            items.append(
                TodoItem(
                    "orglife",
                    _("%(n)s 份组织生活计划待审核") % {"n": waiting},
                    reverse("orglife:plans") + "?status=submitted",
                    "info",
                    waiting,
                )
            )
    if scope.person_id:
        soon = Attendee.objects.filter(
            person_id=scope.person_id,
            attendance=Attendance.EXPECTED,
            meeting__status=MeetingStatus.NOTIFIED,
            meeting__date__range=(today, today + timedelta(days=7)),
        ).count()
        if soon:
            items.append(
                TodoItem(
                    "orglife",
                    _("未来一周有 %(n)s 次组织生活会议需要参加") % {"n": soon},
                    reverse("orglife:home"),
                    "info",
                    soon,
                )
            )
    return items
