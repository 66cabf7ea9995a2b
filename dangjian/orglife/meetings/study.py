"""What org life tells 党员学习: a 党课 or 集中学习 meeting counts toward the yearly study hours of those
present (DOMAIN §6; which kinds count and the minutes per class hour are policy settings). Sent as the
``study_attended`` event when a meeting is archived, when its attendance is corrected, and by the demo."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dangjian.core.models import Organization
from dangjian.hooks import events
from dangjian.orglife.models import Attendance, Attendee, Meeting, MeetingStatus
from dangjian.policy import get_policy

CHUNK = 900  # meetings per query (SQLite's bound on parameters)


def class_hours(minutes: int, minutes_per_hour: int) -> Decimal:
    """The class hours a meeting of ``minutes`` gives those present, to one decimal (half up)."""
    if minutes <= 0 or minutes_per_hour <= 0:
        return Decimal("0")
    return (Decimal(minutes) / Decimal(minutes_per_hour)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def counts_for_study(meeting: Meeting) -> bool:
    return meeting.kind in get_policy().study_orglife_kinds and meeting.status == MeetingStatus.CLOSED


def attendances_of(meetings: Iterable[Meeting]) -> list[events.StudyAttendance]:
    """The study attendance of the archived meetings that count (two queries: their organizations and
    their attendees)."""
    policy = get_policy()
    counted = [m for m in meetings if counts_for_study(m)]
    if not counted:
        return []
    orgs = Organization.objects.in_bulk({m.organization_id for m in counted})
    present: dict[int, set[int]] = defaultdict(set)
    ids = [m.pk for m in counted]
    for start in range(0, len(ids), CHUNK):
        for meeting_id, person_id in Attendee.objects.filter(
            meeting_id__in=ids[start : start + CHUNK], attendance=Attendance.PRESENT
        ).values_list("meeting_id", "person_id"):
            present[meeting_id].add(person_id)
    return [
        events.StudyAttendance(
            batch=f"meeting:{m.pk}",
            on=m.date,
            hours=class_hours(m.duration_minutes, policy.study_minutes_per_hour),
            person_ids=frozenset(present[m.pk]),
            note=f"{m.get_kind_display()}：{m.topic}"[:200],
            org=orgs.get(m.organization_id),
        )
        for m in counted
    ]


def tell_study(actor: Any, meetings: Iterable[Meeting]) -> None:
    """Send ``study_attended`` for the meetings that count (inside the caller's transaction)."""
    attendances = attendances_of(meetings)
    if attendances:
        events.study_attended.send(sender=Meeting, actor=actor, attendances=attendances)
