"""The meeting form posted twice (a double-click, a retry) makes one meeting: the replay answers as the
first submission did, before any other check; a key of someone else's form is refused, not replayed.
Ten posts at once make one meeting too (PostgreSQL only: SQLite serializes the requests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.orglife.meetings import services
from dangjian.orglife.models import Meeting, PlanStatus
from tests.race import parallel_posts

SYSTEM = Scope.system()  # the platform itself: every check passes

START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
KEY = "a" * 32


def _form(**extra: str) -> dict[str, str]:
    return {
        "kind": "assembly",
        "topic": "党员大会：学习全会精神",
        "date": "2026-12-05",
        "start_time": "14:30",
        "duration_minutes": "90",
        "place": "会议室",
        "idempotency_key": KEY,
        **extra,
    }


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(START, tick=False):
        yield


def test_the_meeting_form_carries_a_fresh_one_time_key(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}"
    first, second = (client.get(url).context["form"]["idempotency_key"].value() for _ in range(2))
    assert len(first) == 32 and first != second


def test_the_same_meeting_form_posted_twice_makes_one_meeting(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}"
    responses = [client.post(url, _form()) for _ in range(2)]
    meeting = Meeting.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("orglife:meeting", args=[meeting.pk])}
    assert meeting.idempotency_key == KEY and meeting.created_by == branch_secretary
    assert AuditEvent.objects.filter(action="orglife.meeting_create").count() == 1
    page = client.get(responses[1].url).content.decode()
    assert "会议已创建" in page


def test_a_replay_is_answered_before_the_plan_refuses_new_meetings(world, login, branch_secretary) -> None:
    """The first post was planned into the plan, which has been submitted since: the replay is not an
    attempt to add a meeting to a submitted plan, it is the same meeting."""
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
    )
    client = login(branch_secretary)
    url = reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}&plan={plan.pk}"
    assert client.post(url, _form()).url == reverse("orglife:plan", args=[plan.pk])
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="x")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    response = client.post(url, _form(topic=""))  # even a form that would not validate
    assert response.status_code == 302 and response.url == reverse("orglife:plan", args=[plan.pk])
    assert Meeting.objects.get().plan == plan


def test_without_a_key_each_post_is_a_new_meeting(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}"
    for _ in range(2):
        assert client.post(url, _form(idempotency_key="")).status_code == 302
    assert Meeting.objects.filter(idempotency_key=None).count() == 2


def test_the_key_of_someone_elses_meeting_is_refused_not_replayed(
    world, login, branch_secretary, outsider_organizer
) -> None:
    login(branch_secretary).post(reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}", _form())
    response = login(outsider_organizer).post(
        reverse("orglife:meeting_new") + f"?org={world.fl_branch.pk}", _form()
    )
    assert response.status_code == 200 and "该事项已由他人处理" in response.content.decode()
    assert Meeting.objects.get().organization == world.cs_branch


def test_system_callers_pass_no_key(world) -> None:
    for _ in range(2):
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="assembly",
            topic="党员大会",
            day=date(2026, 12, 5),
            start_time=time(14, 30),
        )
    assert Meeting.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_posts_of_one_meeting_form_at_once_make_one_meeting(world, branch_secretary) -> None:
    url = reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}"
    responses = parallel_posts(branch_secretary, url, _form())
    meeting = Meeting.objects.get()
    assert [r.status_code for r in responses] == [302] * 10
    assert {r.url for r in responses} == {reverse("orglife:meeting", args=[meeting.pk])}
    assert AuditEvent.objects.filter(action="orglife.meeting_create").count() == 1
