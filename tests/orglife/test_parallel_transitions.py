"""Ten identical requests at once (a double-click, a retry, impatient taps) make exactly one transition:
the others are refused as stale (or, for the draw, return the first draw) — never a 500, never a second
audit event. PostgreSQL only: SQLite has no row locks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.orglife.meetings import services
from dangjian.orglife.models import (
    Assignment,
    AssignmentStatus,
    Draw,
    Feedback,
    LeaveStatus,
    MeetingStatus,
    PlanStatus,
    Supervisor,
)
from dangjian.orglife.supervision import services as supervision
from tests import factories as f
from tests.race import parallel_posts

SYSTEM = Scope.system()  # the platform itself: every check passes

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def _meeting(world, day: date = date(2026, 11, 24)):
    return services.meeting_create(
        actor=None,
        scope=SYSTEM,
        org=world.cs_branch,
        kind="assembly",
        topic="党员大会",
        day=day,
        start_time=time(14, 30),
    )


def _one_transition(responses) -> None:
    assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]


def test_ten_approvals_of_a_plan_approve_it_once(world, college_organizer) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 11, 1)
    )
    _meeting(world)
    services.meeting_create(
        actor=None,
        scope=SYSTEM,
        org=world.cs_branch,
        kind="theme_day",
        topic="主题党日",
        day=date(2026, 11, 10),
        start_time=time(9),
        plan=plan,
    )
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="x")
    url = reverse("orglife:plan_action", args=[plan.pk, "approve"])
    posted = {"expected_status": "submitted", "shortfall_reason": "x"}
    _one_transition(parallel_posts(college_organizer, url, posted))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert AuditEvent.objects.filter(action="orglife.plan_approve").count() == 1


def test_ten_archivings_of_a_meeting_archive_it_once(world, branch_secretary) -> None:
    meeting = _meeting(world)
    with time_machine.travel(START, tick=False):
        services.minutes_record(
            actor=None, scope=SYSTEM, meeting=meeting, host=world.secretary, recorder=None, content="学习"
        )
    url = reverse("orglife:meeting_close", args=[meeting.pk])
    with time_machine.travel(START + timedelta(hours=2)):
        _one_transition(parallel_posts(branch_secretary, url, {"expected_status": "minuted"}))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    assert AuditEvent.objects.filter(action="orglife.meeting_close").count() == 1


def test_ten_decisions_on_a_leave_request_decide_it_once(world, branch_secretary) -> None:
    meeting = _meeting(world, date(2026, 12, 2))
    with time_machine.travel(START, tick=False):
        leave = services.leave_request(actor=None, person=world.member, meeting=meeting, reason="出差")
    url = reverse("orglife:leave_decide", args=[meeting.pk, leave.pk])
    _one_transition(
        parallel_posts(branch_secretary, url, {"decision": "approve", "expected_status": "pending"})
    )
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert AuditEvent.objects.filter(action="orglife.leave_decide").count() == 1


def test_ten_submissions_of_a_feedback_file_it_once(world) -> None:
    meeting = _meeting(world, date(2026, 11, 10))
    person = f.member(world.fl_branch, "督查员周")
    user = f.user_for(person, "fl_sup")
    supervision.supervisor_add(actor=None, scope=SYSTEM, person=person)
    supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 11, 1),
        period_to=date(2026, 11, 30),
        n=1,
    )
    task = Assignment.objects.get(meeting=meeting)
    data = {
        "score_procedure": "20",
        "score_content": "20",
        "score_participation": "20",
        "score_records": "20",
        "attended": "1",
        "problems": "签到表未存档",
        "expected_status": "assigned",
    }
    _one_transition(parallel_posts(user, reverse("orglife:sup_feedback", args=[task.pk]), data))
    task.refresh_from_db()
    assert task.status == AssignmentStatus.FILED
    assert Feedback.objects.count() == 1 and Feedback.objects.get().problems.count() == 1
    assert AuditEvent.objects.filter(action="orglife.supervision_feedback").count() == 1


def test_ten_submissions_of_one_draw_form_draw_once(world, college_organizer) -> None:
    for day in (3, 10, 17):
        _meeting(world, date(2026, 12, day))
    Supervisor.objects.create(person=world.fl_member, home_org=world.fl_branch)
    data = {
        "scope_org": world.cs.pk,
        "period_from": "2026-12-01",
        "period_to": "2026-12-31",
        "n": "1",
        "idempotency_key": "p" * 32,
    }
    responses = parallel_posts(college_organizer, reverse("orglife:sup_draw_new"), data)
    draw = Draw.objects.get()
    assert {r.url for r in responses} == {reverse("orglife:sup_draw", args=[draw.pk])}
    assert AuditEvent.objects.filter(action="orglife.supervision_draw").count() == 1
