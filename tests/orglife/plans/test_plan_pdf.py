"""The plan on A4: it renders for those who may see the plan; outsiders get 404."""

from __future__ import annotations

from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.orglife.meetings import selectors, services
from tests.orglife.plans.test_plan_verdict import october_plan

SYSTEM = Scope.system()


def test_the_plan_prints_as_a_pdf(world, login, branch_secretary) -> None:
    plan = october_plan(world, kinds=("theme_day",))
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="党小组外出")
    client = login(branch_secretary)
    assert (
        reverse("orglife:plan_pdf", args=[plan.pk])
        in client.get(reverse("orglife:plan", args=[plan.pk])).content.decode()
    )
    response = client.get(reverse("orglife:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_trail_lists_the_submission_with_its_reason(world) -> None:
    plan = october_plan(world, kinds=("theme_day",))
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="党小组外出")
    steps = selectors.plan_trail(plan)
    assert [s.what for s in steps] == ["制定计划", "提交审核"] and steps[1].note == "党小组外出"


def test_an_outsider_gets_404_for_the_pdf(world, login, outsider_organizer) -> None:
    plan = october_plan(world)
    assert login(outsider_organizer).get(reverse("orglife:plan_pdf", args=[plan.pk])).status_code == 404
