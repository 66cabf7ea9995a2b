"""Under real concurrency (PostgreSQL): a member scanning the code several times at once is checked in once,
with one audit event; many members checking in at once are all counted."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

import pytest
from django.db import connection, connections

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.orglife.meetings import checkin, services
from dangjian.orglife.models import Attendance, Attendee, MeetingStatus
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def _race(workers: list) -> list[object]:
    barrier = threading.Barrier(len(workers))
    results: list[object] = []

    def run(work) -> None:
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # the test inspects what each worker met
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def meeting(world):
    return services.meeting_create(
        actor=None,
        scope=SYSTEM,
        org=world.cs_branch,
        kind="assembly",
        topic="t",
        day=date(2026, 11, 24),
        start_time=time(14, 30),
    )


def _scan(meeting, person):
    token = checkin.make_token(meeting, START)
    return services.checkin_scan(actor=None, person=person, token=token, now=START)


def test_a_double_submit_checks_in_once(world, meeting) -> None:
    results = _race([lambda: _scan(meeting, world.member) for _ in range(6)])
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(1 for _a, created in results if created) == 1  # type: ignore[misc]
    assert AuditEvent.objects.filter(action="orglife.check_in").count() == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_many_members_at_once_are_all_counted(world, meeting) -> None:
    people = [f.member(world.cs_branch, f"党员{i}") for i in range(8)]
    from dangjian.orglife.meetings.services import (
        meeting_invite,  # the new members join this meeting as invited
    )

    meeting_invite(actor=None, scope=SYSTEM, meeting=meeting, people=people)
    results = _race([lambda p=p: _scan(meeting, p) for p in people])
    assert all(isinstance(r, tuple) for r in results), results
    assert Attendee.objects.filter(meeting=meeting, attendance=Attendance.PRESENT).count() == 8
