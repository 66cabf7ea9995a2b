"""Copying last month's plan: next month's draft with the meetings moved, once, audited, in scope."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import services
from dangjian.orglife.models import Attendee, Meeting, MeetingStatus, Plan, PlanStatus

SYSTEM = Scope.system()
TODAY = date(2026, 11, 29)


def _october_plan(world) -> Plan:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 10, 1), note="十月"
    )
    for kind, day, extra in [
        ("theme_day", date(2026, 10, 31), {}),
        ("group", date(2026, 10, 12), {"group": world.cs_group}),
        ("assembly", date(2026, 10, 20), {}),
    ]:
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind=kind,
            topic=f"十月{kind}",
            day=day,
            start_time=time(9),
            plan=plan,
            **extra,
        )
    cancelled = Meeting.objects.get(kind="assembly")
    Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)
    return plan


def test_next_months_plan_copies_the_latest_earlier_plan(world) -> None:
    source = _october_plan(world)
    plan, made = services.plan_copy_forward(actor=None, scope=SYSTEM, org=world.cs_branch, today=TODAY)
    assert made and plan.period_start == date(2026, 12, 1) and plan.status == PlanStatus.DRAFT
    assert plan.note == "十月"
    meetings = {m.kind: m for m in plan.meetings.all()}
    assert set(meetings) == {"theme_day", "group"}  # the cancelled 党员大会 is not copied
    assert meetings["theme_day"].date == date(2026, 12, 31) and meetings["group"].date == date(2026, 12, 12)
    assert meetings["group"].group == world.cs_group and meetings["group"].status == MeetingStatus.PLANNED
    assert Attendee.objects.filter(meeting=meetings["theme_day"]).count() == 3
    event = AuditEvent.objects.get(action="orglife.plan_copy")
    assert event.changes["copied_from"] == source.pk and len(event.changes["meetings"]) == 2


def test_a_second_copy_returns_the_same_plan(world) -> None:
    _october_plan(world)
    first, made = services.plan_copy_forward(actor=None, scope=SYSTEM, org=world.cs_branch, today=TODAY)
    again, made_again = services.plan_copy_forward(actor=None, scope=SYSTEM, org=world.cs_branch, today=TODAY)
    assert made and not made_again and first.pk == again.pk
    assert Plan.objects.count() == 2 and Meeting.objects.filter(plan=first).count() == 2
    assert AuditEvent.objects.filter(action="orglife.plan_copy").count() == 1


def test_nothing_to_copy_is_said_in_chinese(world) -> None:
    with pytest.raises(RuleViolation) as exc:
        services.plan_copy_forward(actor=None, scope=SYSTEM, org=world.cs_branch, today=TODAY)
    assert "没有更早的月度计划" in exc.value.message


def test_the_secretary_copies_from_the_list_twice_and_gets_one_plan(world, login, branch_secretary) -> None:
    _october_plan(world)
    client = login(branch_secretary)
    with time_machine.travel(TODAY, tick=False):
        assert "复制上月计划" in client.get(reverse("orglife:plans")).content.decode()
        first = client.post(reverse("orglife:plan_copy"), {"org": world.cs_branch.pk})
        second = client.post(reverse("orglife:plan_copy"), {"org": world.cs_branch.pk})
    plan = Plan.objects.get(period_start=date(2026, 12, 1))
    assert first.url == second.url == reverse("orglife:plan", args=[plan.pk])
    assert Plan.objects.count() == 2


def test_an_outsider_cannot_copy_a_branchs_plan(world, login, outsider_organizer) -> None:
    _october_plan(world)
    response = login(outsider_organizer).post(reverse("orglife:plan_copy"), {"org": world.cs_branch.pk})
    assert response.status_code == 404
    assert Plan.objects.count() == 1 and not AuditEvent.objects.filter(action="orglife.plan_copy").exists()
