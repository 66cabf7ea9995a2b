"""Batch approval: each ticked plan approved with its own state token, short ones left to open one by
one, a plan changed meanwhile skipped; audited per plan; outsiders refused; a double submit acts once."""

from __future__ import annotations

from datetime import date, time

from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.orglife.meetings import services
from dangjian.orglife.models import Plan, PlanStatus

SYSTEM = Scope.system()


def submitted(world, month: int, complete: bool = True) -> Plan:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, month, 1)
    )
    for kind in ("theme_day", "group") if complete else ("theme_day",):
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind=kind,
            topic=kind,
            day=date(2026, month, 15),
            start_time=time(9),
            plan=plan,
            **({"group": world.cs_group} if kind == "group" else {}),
        )
    return services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="外出")


def _post(plans: list[Plan], seen: str = "submitted") -> dict:
    return {"plan": [p.pk for p in plans], **{f"expected_{p.pk}": seen for p in plans}}


def test_the_list_offers_submitted_plans_to_tick(world, login, college_organizer, branch_secretary) -> None:
    plan = submitted(world, 7)
    page = login(college_organizer).get(reverse("orglife:plans")).content.decode()
    assert f'name="plan" value="{plan.pk}"' in page and "批量通过所选计划" in page
    assert 'name="plan"' not in login(branch_secretary).get(reverse("orglife:plans")).content.decode()


def test_complete_plans_are_approved_and_short_ones_listed(world, login, college_organizer) -> None:
    good, also_good, short = submitted(world, 7), submitted(world, 8), submitted(world, 10, complete=False)
    response = login(college_organizer).post(
        reverse("orglife:plan_batch_approve"), _post([good, also_good, short])
    )
    assert response.status_code == 200
    page = response.content.decode()
    statuses = dict(Plan.objects.values_list("pk", "status"))
    assert statuses[good.pk] == statuses[also_good.pk] == PlanStatus.APPROVED
    assert statuses[short.pk] == PlanStatus.SUBMITTED
    assert "未满足要求，请逐一打开审核" in page and reverse("orglife:plan", args=[short.pk]) in page
    events = AuditEvent.objects.filter(action="orglife.plan_approve")
    assert sorted(e.target_id for e in events) == sorted([str(good.pk), str(also_good.pk)])


def test_a_plan_changed_meanwhile_is_skipped_with_its_message(world, login, college_organizer) -> None:
    plan, returned = submitted(world, 7), submitted(world, 8)
    services.plan_return(actor=None, scope=SYSTEM, plan=returned, reason="补充")
    response = login(college_organizer).post(reverse("orglife:plan_batch_approve"), _post([plan, returned]))
    page = response.content.decode()
    assert Plan.objects.get(pk=returned.pk).status == PlanStatus.RETURNED
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert "该事项已由他人处理" in page


def test_a_double_submit_approves_once(world, login, college_organizer) -> None:
    plans = [submitted(world, 7), submitted(world, 8)]
    client = login(college_organizer)
    client.post(reverse("orglife:plan_batch_approve"), _post(plans))
    again = client.post(reverse("orglife:plan_batch_approve"), _post(plans)).content.decode()
    assert AuditEvent.objects.filter(action="orglife.plan_approve").count() == 2
    assert again.count('data-row="refused"') == 2


def test_an_outsider_cannot_batch_approve(world, login, outsider_organizer, branch_secretary) -> None:
    plan = submitted(world, 7)
    for user in (outsider_organizer, branch_secretary):
        response = login(user).post(reverse("orglife:plan_batch_approve"), _post([plan]))
        assert response.status_code == 404
    assert Plan.objects.get().status == PlanStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="orglife.plan_approve").exists()


def test_the_plan_list_uses_a_bounded_number_of_queries(
    world, login, college_organizer, django_assert_max_num_queries
) -> None:
    for month in range(1, 13):
        submitted(world, month)
    client = login(college_organizer)
    client.get(reverse("orglife:plans"))  # warm the session and scope caches
    with django_assert_max_num_queries(10):
        page = client.get(reverse("orglife:plans") + "?status=submitted")
    assert page.content.decode().count('name="plan"') == 12
