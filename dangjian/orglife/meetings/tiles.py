"""组织生活 on the 工作台: a member's next meeting (with 请假 while it may still be asked), and the branch
secretary's quick actions (发起会议; today's meetings with their check-in code and projector view).
Each context is a bounded number of queries and None when there is nothing to show."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from dangjian.accounts.roles import Permission
from dangjian.kit.counting import recall_count
from dangjian.orglife.meetings import checkin
from dangjian.orglife.meetings.selectors import branches_run
from dangjian.orglife.models import Attendance, Attendee, LeaveRequest, Meeting, MeetingStatus


def next_meeting_tile(request: HttpRequest, scope: Any) -> dict[str, Any] | None:
    """下次组织生活: the person's next meeting not yet over, and whether they asked for leave (one query)."""
    if not scope.person_id:
        return None
    now = timezone.now()
    today = timezone.localdate()
    asked_leave = LeaveRequest.objects.filter(meeting_id=OuterRef("meeting_id"), person_id=scope.person_id)
    rows = (
        Attendee.objects.filter(person_id=scope.person_id, meeting__date__gte=today)
        .exclude(meeting__status__in=(MeetingStatus.CANCELLED, MeetingStatus.CLOSED))
        .annotate(asked_leave=Exists(asked_leave))
        .select_related("meeting__organization")
        .order_by("meeting__date", "meeting__start_time", "meeting_id")[:5]
    )
    mine = next((a for a in rows if a.meeting.ends_at > now), None)
    if mine is None:
        return None
    meeting = mine.meeting
    window = checkin.window(meeting)
    may_leave = (
        mine.attendance == Attendance.EXPECTED
        and meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED)
        and now < meeting.starts_at
        and not mine.asked_leave
    )
    return {
        "attendee": mine,
        "meeting": meeting,
        "window_open": window.contains(now) and mine.attendance != Attendance.PRESENT,
        "may_leave": may_leave,
    }


def _held_today(branch: Any) -> Any:
    """The branch's meetings today, not cancelled or closed."""
    return branch.meetings.filter(date=timezone.localdate()).exclude(
        status__in=(MeetingStatus.CANCELLED, MeetingStatus.CLOSED)
    )


def _only_branch(scope: Any) -> Any:
    """The one branch whose 组织生活 the user runs, or None (none, or several: a college organizer)."""
    branches = branches_run(scope) if scope.has(Permission.MANAGE_ORGLIFE) else []
    return branches[0] if len(branches) == 1 else None


def secretary_questions(request: HttpRequest, scope: Any) -> dict[str, Any]:
    """Whether the branch holds a meeting today: counted in the 工作台's one statement (most days, none)."""
    branch = _only_branch(scope)
    return {} if branch is None else {"today": _held_today(branch)}


def secretary_tile(request: HttpRequest, scope: Any) -> dict[str, Any] | None:
    """The quick actions of whoever runs exactly one branch's 组织生活 (a college organizer, running
    many, has the lists instead). One query, shared with the plans' tile, and a second on a day with a
    meeting (``secretary_questions`` counts them)."""
    branch = _only_branch(scope)
    if branch is None:
        return None
    now = timezone.now()
    today: list[Meeting] = []
    if recall_count(scope, "tile.orglife.secretary:today", _held_today(branch)):
        today = list(_held_today(branch).order_by("start_time", "pk")[:3])
    return {
        "branch": branch,
        "today": [(m, checkin.window(m).contains(now)) for m in today],
    }
