"""The statistics pages and API: each viewer sees their subtree's figures and the people behind a cell;
an outsider gets 404 everywhere; the page costs a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.reporting.models import Snapshot
from dangjian.reporting.services import snapshot_compute

ON = date(2026, 11, 1)


@pytest.fixture
def snapshot(world) -> Snapshot:
    return snapshot_compute(on=ON, actor=None, scope=Scope.system())


def test_the_school_sees_its_tables_children_and_no_failed_checks(
    login, school_admin, world, snapshot
) -> None:
    page = login(school_admin).get(reverse("reporting:org", args=[world.school.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "党员基本情况" in text and "党员增减变化" in text
    assert world.cs.display_name in text  # the children's breakdown
    assert page.context["failures"] == []
    values = {k: v for t in page.context["tables"] for s in t["sections"] for k, _l, v, _u in s["rows"]}
    assert values["members_total"] == 6


def test_the_index_opens_the_viewers_highest_organization(login, college_organizer, world, snapshot) -> None:
    page = login(college_organizer).get(reverse("reporting:index"))
    assert page.status_code == 302
    assert page["Location"] == reverse("reporting:org", args=[world.cs.pk])


def test_a_cell_lists_the_people_it_counts(login, college_organizer, world, snapshot) -> None:
    url = reverse("reporting:explain", args=[world.cs.pk, "gender_female"]) + f"?on={ON.isoformat()}"
    page = login(college_organizer).get(url)
    assert page.status_code == 200
    assert [row.person.name for row in page.context["page"]] == ["李晓红"]


def test_a_cell_exports_its_list_audited(login, college_organizer, world, snapshot) -> None:
    url = reverse("reporting:explain_export", args=[world.cs.pk, "members_total"])
    response = login(college_organizer).get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="reporting.explain_export").count() == 1


@pytest.mark.parametrize(
    "name,args",
    [
        ("reporting:org", lambda w: [w.cs.pk]),
        ("reporting:export", lambda w: [w.cs.pk]),
        ("reporting:explain", lambda w: [w.cs.pk, "members_total"]),
        ("reporting:explain_export", lambda w: [w.cs.pk, "members_total"]),
    ],
)
def test_an_outsider_gets_404(login, outsider_organizer, world, snapshot, name, args) -> None:
    assert login(outsider_organizer).get(reverse(name, args=args(world))).status_code == 404


def test_the_api_answers_in_scope_only(login, college_organizer, outsider_organizer, world, snapshot) -> None:
    url = f"/api/v1/statistics/{world.cs.pk}?on={ON.isoformat()}"
    body = login(college_organizer).get(url).json()
    assert body["on"] == ON.isoformat()
    assert body["figures"]["members_total"] == 3
    assert login(outsider_organizer).get(url).status_code == 404


def test_an_unknown_figure_is_404(login, school_admin, world, snapshot) -> None:
    url = reverse("reporting:explain", args=[world.school.pk, "no_such_figure"])
    assert login(school_admin).get(url).status_code == 404


def test_only_the_school_may_recompute_and_it_runs_as_a_job(
    login, school_admin, college_organizer, world, django_capture_on_commit_callbacks
) -> None:
    url = reverse("reporting:recompute")
    assert login(college_organizer).post(url, {"on": "2025-12-31"}).status_code == 404
    assert not Snapshot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(school_admin).post(url, {"on": "2025-12-31"})
    assert response.status_code == 302
    snapshot = Snapshot.objects.get(on=date(2025, 12, 31))
    assert snapshot.status == "ready"
    assert AuditEvent.objects.filter(action="reporting.snapshot_compute").exists()


def test_a_date_in_the_future_is_refused_with_a_message(login, school_admin, world) -> None:
    response = login(school_admin).post(reverse("reporting:recompute"), {"on": "2999-01-01"}, follow=True)
    assert "统计时点不能晚于今天" in response.content.decode()
    assert not Snapshot.objects.exists()


def test_the_page_costs_the_same_whatever_the_tree(
    login, school_admin, world, django_assert_max_num_queries
) -> None:
    from tests import factories as f

    for n in range(12):
        branch = f.org(world.fl, "branch", f"新支部{n}")
        f.member(branch, f"党员{n}")
    snapshot_compute(on=date(2025, 12, 31), actor=None, scope=Scope.system())  # last year's closing
    snapshot_compute(on=ON, actor=None, scope=Scope.system())
    client = login(school_admin)
    client.get(reverse("reporting:org", args=[world.school.pk]))  # the scope cached, as on every later page
    with django_assert_max_num_queries(10):  # issue 15: the root's statistics ≤ 10 queries
        assert client.get(reverse("reporting:org", args=[world.school.pk])).status_code == 200
