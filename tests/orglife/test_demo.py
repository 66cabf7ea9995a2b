"""The 组织生活 demo: a year of meetings, plans in every state, and the deliberate gaps."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from dangjian.kit.dates import add_months
from dangjian.orglife.models import Attendance, Attendee, Meeting, MeetingStatus, Plan


@pytest.fixture
def seeded(db) -> None:
    call_command("seed_demo", size="small", seed=1)


def test_the_demo_holds_a_year_of_meetings_with_attendance_and_minutes(seeded) -> None:
    assert Meeting.objects.filter(status=MeetingStatus.CLOSED).count() > 500
    assert Meeting.objects.filter(status__in=(MeetingStatus.PLANNED, MeetingStatus.NOTIFIED)).exists()
    counts = dict(Attendee.objects.values_list("attendance").annotate(n=Count("id")))
    assert counts[Attendance.PRESENT] > counts[Attendance.LEAVE] > 0 and counts[Attendance.ABSENT] > 0
    assert set(Plan.objects.values_list("status", flat=True)) == {
        "approved",
        "submitted",
        "returned",
        "draft",
    }


def test_the_demo_has_a_branch_missing_committee_months_and_a_long_absentee(seeded) -> None:
    months = set(
        Meeting.objects.filter(organization__code="CS-S1", kind="committee").values_list(
            "date__month", flat=True
        )
    )
    assert len(months) < 12
    since = add_months(timezone.localdate().replace(day=1), -6)
    recent = Attendee.objects.filter(
        meeting__organization__code="CS-T1", meeting__date__gte=since, meeting__date__lt=timezone.localdate()
    )
    absentees = (
        recent.values("person_id")
        .annotate(n=Count("id"), came=Count("id", filter=~Q(attendance=Attendance.ABSENT)))
        .filter(came=0, n__gt=3)
    )
    assert absentees.count() == 1


def test_the_demo_warns_the_branch_of_the_long_absentee_and_has_a_supervision_round(seeded) -> None:
    from dangjian.orglife.models import AbsenceWarning, Assignment, Problem

    assert AbsenceWarning.objects.filter(branch__code="CS-T1").count() == 1
    assert Assignment.objects.filter(meeting__organization__code__startswith="CS-").exists()
    assert (
        Problem.objects.filter(status="open").exists() and Problem.objects.filter(status="answered").exists()
    )


def test_the_demo_ends_with_its_attendance_tally(seeded) -> None:
    from dangjian.orglife.compliance.tally import tally_drift
    from dangjian.orglife.models import AttendanceTally

    assert AttendanceTally.objects.exists()
    assert tally_drift() == []
