"""The plan form picks a whole period (next month by default) and a duplicate links to the plan there."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dangjian.orglife.meetings.forms import PlanForm, next_period
from dangjian.orglife.models import Plan

NOW = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("kind", "today", "start"),
    [
        ("month", date(2026, 11, 29), date(2026, 12, 1)),
        ("month", date(2026, 12, 1), date(2027, 1, 1)),
        ("quarter", date(2026, 11, 29), date(2027, 1, 1)),
        ("quarter", date(2026, 9, 30), date(2026, 10, 1)),
        ("year", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_the_form_offers_the_next_period(kind: str, today: date, start: date) -> None:
    assert next_period(kind, today) == start


def test_the_month_picker_defaults_to_next_month() -> None:
    form = PlanForm(kind="month", today=NOW)
    assert form.fields["period"].initial == "2026-12"
    assert form.fields["period"].widget.input_type == "month"


@pytest.mark.parametrize(
    ("posted", "ok"),
    [("2027-01", True), ("2027-01-15", True), ("2027-13", False), ("下个月", False), ("", False)],
)
def test_the_month_is_parsed_or_refused_in_chinese(posted: str, ok: bool) -> None:
    form = PlanForm({"period_kind": "month", "period": posted}, kind="month", today=NOW)
    assert form.is_valid() is ok
    if ok:
        assert form.cleaned_data["period"] == date(2027, 1, 1)
    else:
        assert any("月份" in e or "必填" in e or "这个字段" in e for e in form.errors["period"])


def test_the_quarter_picker_offers_whole_quarters() -> None:
    form = PlanForm(kind="quarter", today=NOW)
    values = [v for v, _label in form.fields["period"].choices]
    assert values[0] == "2026-10-01" and form.fields["period"].initial == "2027-01-01"
    assert all(date.fromisoformat(v).month in (1, 4, 7, 10) for v in values)


def test_a_secretary_makes_next_months_plan_from_the_default(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:plan_new") + f"?org={world.cs_branch.pk}"
    with time_machine.travel(date(2026, 11, 29), tick=False):
        page = client.get(url).content.decode()
        assert 'type="month"' in page and 'value="2026-12"' in page
        response = client.post(url, {"period_kind": "month", "period": "2026-12"})
    plan = Plan.objects.get()
    assert response.url == reverse("orglife:plan", args=[plan.pk])
    assert plan.period_start == date(2026, 12, 1) and plan.period_kind == "month"


def test_a_quarter_plan_from_its_tab(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:plan_new") + f"?org={world.cs_branch.pk}&kind=quarter"
    with time_machine.travel(date(2026, 11, 29), tick=False):
        assert "2027年第1季度" in client.get(url).content.decode()
        client.post(url, {"period_kind": "quarter", "period": "2027-01-01"})
    assert Plan.objects.get().period_start == date(2027, 1, 1)


def test_a_duplicate_links_to_the_existing_plan(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:plan_new") + f"?org={world.cs_branch.pk}"
    client.post(url, {"period_kind": "month", "period": "2026-12"})
    response = client.post(url, {"period_kind": "month", "period": "2026-12"})
    plan = Plan.objects.get()
    page = response.content.decode()
    assert response.status_code == 200
    assert "计划已存在" in page and reverse("orglife:plan", args=[plan.pk]) in page
