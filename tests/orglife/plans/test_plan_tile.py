"""The 工作台 tile: next month's plan for a secretary, plans waiting for an organizer; bounded queries."""

from __future__ import annotations

from datetime import date, datetime

import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.orglife.meetings import services
from dangjian.orglife.meetings.plan_tile import plan_tile
from tests.orglife.plans.test_plan_batch import submitted

SYSTEM = Scope.system()
NOW = datetime(2026, 11, 29, 6, 0)


def _tile(user, django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = user
    scope = resolve_scope(user)
    request.scope = scope  # what the middleware sets
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(2):  # the branches, their plans
        tile = plan_tile(request, scope)
    return request, tile


def test_a_secretary_without_next_months_plan_is_offered_to_copy_or_make_it(
    world, branch_secretary, django_assert_max_num_queries
) -> None:
    services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 11, 1)
    )
    request, tile = _tile(branch_secretary, django_assert_max_num_queries)
    assert tile is not None and not tile["reviewer"] and tile["month"] == date(2026, 12, 1)
    row = tile["rows"][0]
    assert row["branch"] == world.cs_branch and str(row["state"]) == "未制定" and row["can_copy"]
    html = render_to_string("orglife/_plan_tile.html", {"tile": tile}, request=request)
    assert 'class="col-12 col-md-6 col-xl-4"' in html and "复制上月计划" in html
    assert reverse("orglife:plan_new") + f"?org={world.cs_branch.pk}" in html


def test_a_secretary_sees_the_state_of_next_months_plan(
    world, branch_secretary, django_assert_max_num_queries
) -> None:
    plan = submitted(world, 12)
    request, tile = _tile(branch_secretary, django_assert_max_num_queries)
    row = tile["rows"][0]
    assert row["plan"] == {"pk": plan.pk} and str(row["state"]) == "已提交待审"
    html = render_to_string("orglife/_plan_tile.html", {"tile": tile}, request=request)
    assert reverse("orglife:plan", args=[plan.pk]) in html


def test_an_organizer_sees_the_plans_waiting_for_review(
    world, college_organizer, outsider_organizer, django_assert_max_num_queries
) -> None:
    submitted(world, 7)
    submitted(world, 8)
    request, tile = _tile(college_organizer, django_assert_max_num_queries)
    assert tile == {"reviewer": True, "waiting": 2}
    html = render_to_string("orglife/_plan_tile.html", {"tile": tile}, request=request)
    assert reverse("orglife:plans") + "?status=submitted" in html
    assert _tile(outsider_organizer, django_assert_max_num_queries)[1] is None  # nothing of theirs waits


def test_a_member_gets_no_tile(world, member_user, django_assert_max_num_queries) -> None:
    assert _tile(member_user, django_assert_max_num_queries)[1] is None
