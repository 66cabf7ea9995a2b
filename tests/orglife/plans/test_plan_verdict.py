"""One verdict for a whole plan; going on with a plan that does not meet it takes a reason, kept and shown."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import selectors, services
from dangjian.orglife.models import Plan, PlanStatus

SYSTEM = Scope.system()


def october_plan(world, kinds=("theme_day", "group")) -> Plan:
    """October: a month that closes no quarter, so only the monthly forms (主题党日, 党小组会) are due."""
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 10, 1)
    )
    for kind in kinds:
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind=kind,
            topic=f"十月{kind}",
            day=date(2026, 10, 15),
            start_time=time(9),
            plan=plan,
            **({"group": world.cs_group} if kind == "group" else {}),
        )
    return plan


def test_a_complete_plan_meets_the_requirements(world) -> None:
    verdict = selectors.plan_verdict(october_plan(world))
    assert verdict.ok and verdict.text == "本计划满足要求"


def test_one_missing_form_is_named(world) -> None:
    verdict = selectors.plan_verdict(october_plan(world, kinds=("theme_day",)))
    assert not verdict.ok and verdict.missing == ("党小组会",)
    assert verdict.text == "本计划未满足：党小组会"


def test_several_missing_forms_are_listed(world) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
    )
    assert selectors.plan_verdict(plan).text == (
        "本计划未满足：支部党员大会、党小组会、党课、主题党日、组织生活会、民主评议党员"
    )


def test_submitting_a_plan_that_falls_short_needs_a_reason(world) -> None:
    plan = october_plan(world, kinds=("theme_day",))
    for reason in ("", "   "):
        with pytest.raises(RuleViolation) as exc:
            services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason=reason)
        assert exc.value.code == "shortfall_reason_required" and "党小组会" in exc.value.message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="党小组本月外出实践")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submit_reason == "党小组本月外出实践"
    event = AuditEvent.objects.get(action="orglife.plan_submit")
    assert event.changes["missing"] == ["党小组会"] and event.changes["reason"] == "党小组本月外出实践"


def test_approving_a_plan_that_falls_short_needs_a_reason(world) -> None:
    plan = october_plan(world, kinds=("theme_day",))
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="外出")
    with pytest.raises(RuleViolation):
        services.plan_approve(actor=None, scope=SYSTEM, plan=plan)
    services.plan_approve(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="同意，下月补齐")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approve_reason == "同意，下月补齐"
    event = AuditEvent.objects.get(action="orglife.plan_approve")
    assert event.changes["reason"] == "同意，下月补齐" and event.changes["missing"] == ["党小组会"]


def test_a_complete_plan_needs_no_reason_and_keeps_none(world) -> None:
    plan = october_plan(world)
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="无需")
    services.plan_approve(actor=None, scope=SYSTEM, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.submit_reason == plan.approve_reason == ""


def test_both_sides_see_the_verdict_and_the_other_sides_reason(
    world, login, branch_secretary, college_organizer
) -> None:
    plan = october_plan(world, kinds=("theme_day",))
    secretary = login(branch_secretary)
    page = secretary.get(reverse("orglife:plan", args=[plan.pk])).content.decode()
    assert "本计划未满足：党小组会" in page and 'name="shortfall_reason"' in page and "data-confirm=" in page
    url = reverse("orglife:plan_action", args=[plan.pk, "submit"])
    secretary.post(url, {"expected_status": "draft"})  # no reason: refused, still a draft
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    secretary.post(url, {"expected_status": "draft", "shortfall_reason": "党小组本月外出实践"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    reviewer = login(college_organizer)
    page = reviewer.get(reverse("orglife:plan", args=[plan.pk])).content.decode()
    assert "本计划未满足：党小组会" in page and "党小组本月外出实践" in page
    assert "说明原因后仍通过" in page
    reviewer.post(
        reverse("orglife:plan_action", args=[plan.pk, "approve"]),
        {"expected_status": "submitted", "shortfall_reason": "同意，下月补齐"},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert "同意，下月补齐" in secretary.get(reverse("orglife:plan", args=[plan.pk])).content.decode()


def test_a_complete_plan_page_asks_for_no_reason(world, login, branch_secretary) -> None:
    plan = october_plan(world)
    page = login(branch_secretary).get(reverse("orglife:plan", args=[plan.pk])).content.decode()
    assert "本计划满足要求" in page and 'name="shortfall_reason"' not in page
