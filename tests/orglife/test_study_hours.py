"""Org life that counts toward the 32 hours (DOMAIN §6): an archived 党课 or 集中学习 gives each person
present its hours in 党员学习's ledger, once; a corrected attendance reverses or adds rows; kinds and the
minutes per class hour are policy settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.learning.models import SourceKind, StudyHours, StudyYear
from dangjian.orglife.meetings import services
from dangjian.orglife.meetings.study import class_hours
from dangjian.orglife.models import Attendance

pytestmark = pytest.mark.django_db
SYSTEM = Scope.system()
START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai; 90 minutes
AFTER = START + timedelta(minutes=95)


@pytest.mark.parametrize(
    ("minutes", "per_hour", "hours"),
    [(90, 60, "1.5"), (45, 60, "0.8"), (100, 60, "1.7"), (90, 45, "2.0"), (0, 60, "0"), (30, 0, "0")],
)
def test_class_hours_of_a_meeting(minutes: int, per_hour: int, hours: str) -> None:
    assert class_hours(minutes, per_hour) == Decimal(hours)


def _held(world, make_meeting, kind: str = "theme_day"):
    meeting = make_meeting(kind=kind, day=date(2026, 11, 24), at=time(14, 30))
    with time_machine.travel(START, tick=False):
        services.checkin_manual(
            actor=None, scope=SYSTEM, meeting=meeting, people=[world.member, world.secretary]
        )
        services.minutes_record(
            actor=None,
            scope=SYSTEM,
            meeting=meeting,
            host=world.secretary,
            recorder=world.secretary,
            content="学习",
        )
    with time_machine.travel(AFTER, tick=False):
        services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting)
    return meeting


def test_archiving_a_study_meeting_credits_those_present_once(world, make_meeting) -> None:
    meeting = _held(world, make_meeting)
    rows = StudyHours.objects.filter(batch=f"meeting:{meeting.pk}")
    assert sorted(rows.values_list("person_id", "hours", "source_kind")) == sorted(
        [
            (world.member.pk, Decimal("1.5"), SourceKind.ORGLIFE),
            (world.secretary.pk, Decimal("1.5"), SourceKind.ORGLIFE),
        ]
    )
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("1.5")
    # Sent again (a retry): nothing more.
    from dangjian.orglife.meetings.study import tell_study

    tell_study(None, [meeting])
    assert rows.count() == 2


def test_a_meeting_of_another_kind_counts_nothing(world, make_meeting) -> None:
    _held(world, make_meeting, kind="assembly")
    assert not StudyHours.objects.exists()


def test_the_kinds_are_a_school_setting(world, make_meeting, settings) -> None:
    settings.DANGJIAN_POLICY = {"study_orglife_kinds": ["assembly"]}
    _held(world, make_meeting, kind="assembly")
    assert StudyHours.objects.count() == 2


def test_a_corrected_attendance_reverses_and_adds(world, make_meeting) -> None:
    meeting = _held(world, make_meeting)
    others = list(
        meeting.attendees.exclude(person__in=[world.member, world.secretary]).values_list(
            "person_id", flat=True
        )
    )
    assert others  # 张伟 was absent
    with time_machine.travel(AFTER + timedelta(days=1), tick=False):
        services.minutes_correct(
            actor=None,
            scope=SYSTEM,
            meeting=meeting,
            reason="签到遗漏",
            changes={},
            attendance={world.member.pk: Attendance.ABSENT, others[0]: Attendance.PRESENT},
        )
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("0")
    assert StudyYear.objects.get(person_id=others[0], year=2026).hours == Decimal("1.5")
    reversal = StudyHours.objects.get(person=world.member, source_kind=SourceKind.CORRECTION)
    assert reversal.hours == Decimal("-1.5") and reversal.on == date(2026, 11, 24)


def test_the_backfill_credits_archived_meetings_once(world, make_meeting) -> None:
    from django.core.management import call_command

    meeting = _held(world, make_meeting)
    StudyHours.objects.filter(batch=f"meeting:{meeting.pk}").delete()  # archived before the ledger counted
    StudyYear.objects.all().delete()
    call_command("study_hours_backfill", "--since", "2026-01-01")
    call_command("study_hours_backfill", "--since", "2026-01-01")
    assert StudyHours.objects.filter(batch=f"meeting:{meeting.pk}").count() == 2
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("1.5")
