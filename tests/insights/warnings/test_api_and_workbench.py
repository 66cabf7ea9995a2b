"""``GET /api/v1/warnings`` (scoped, filtered, paginated; an organization outside answers 404), the
工作台 tile (open counts by level and the top kinds) and the to-do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.accounts.scope import resolve_scope
from dangjian.insights.models import AlertStatus
from dangjian.insights.warnings.tiles import warnings_tile
from dangjian.insights.warnings.todos import warning_todos
from tests.insights.warnings.conftest import make_alert

pytestmark = pytest.mark.django_db
API = "/api/v1/warnings"


@pytest.fixture
def alerts(world, fake):
    return [
        make_alert(world.cs_branch, "a", level="serious", person=world.member),
        make_alert(world.cs_branch, "b", level="warning", status=AlertStatus.HANDLING),
        make_alert(world.cs_branch2, "c", level="notice"),
        make_alert(world.cs_branch, "d", status=AlertStatus.CLOSED, note="已办"),
        make_alert(world.fl_branch, "e"),
        make_alert(world.cs_branch, "x", source="test.other"),
    ]


def _keys(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["summary"].removeprefix("情况 ") for row in response.json()["items"]}


def test_the_api_lists_the_scope_s_open_warnings(login, college_organizer, alerts) -> None:
    response = login(college_organizer).get(API)
    assert _keys(response) == {"a", "b", "c", "x"}
    row = next(r for r in response.json()["items"] if r["summary"] == "情况 a")
    assert (
        row["level_label"] == "严重" and row["source_label"] == "测试预警" and row["person_name"] == "李晓红"
    )
    assert response.json()["count"] == 4


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("?level=serious", {"a"}),
        ("?status=handling", {"b"}),
        ("?status=closed", {"d"}),
        ("?source=test.fake", {"a", "b", "c"}),
    ],
)
def test_the_api_filters(login, college_organizer, alerts, query, keys) -> None:
    assert _keys(login(college_organizer).get(API + query)) == keys


def test_the_api_narrows_to_an_organization_in_scope(login, college_organizer, world, alerts) -> None:
    assert _keys(login(college_organizer).get(f"{API}?org={world.cs_branch2.pk}")) == {"c"}


def test_the_api_answers_404_for_an_organization_outside(login, college_organizer, world, alerts) -> None:
    response = login(college_organizer).get(f"{API}?org={world.fl_branch.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_api_answers_404_without_the_permission(login, member_user, alerts) -> None:
    assert login(member_user).get(API).status_code == 404


def test_the_api_pages(login, school_admin, world, fake) -> None:
    for i in range(60):
        make_alert(world.cs_branch, f"k{i}")
    body = login(school_admin).get(API + "?page=2").json()
    assert body["count"] == 60 and len(body["items"]) == 10


def test_the_tile_counts_open_warnings_by_level_and_kind(rf, college_organizer, alerts) -> None:
    tile = warnings_tile(rf.get("/"), resolve_scope(college_organizer))
    assert tile is not None
    assert [(code, n) for code, _label, n in tile["levels"]] == [
        ("serious", 1),
        ("warning", 2),
        ("notice", 1),
    ]
    assert [(c.source, c.total) for c in tile["kinds"]] == [("test.fake", 3), ("test.other", 1)]
    assert tile["total"] == 4


def test_the_tile_is_for_those_who_handle_warnings(rf, member_user, alerts) -> None:
    assert warnings_tile(rf.get("/"), resolve_scope(member_user)) is None


def test_the_tile_on_the_home_page(login, college_organizer, alerts) -> None:
    page = login(college_organizer).get(reverse("web:home")).content.decode()
    assert 'id="tile-warnings"' in page and "测试预警" in page


def test_the_todo_counts_the_warnings_nobody_took(
    college_organizer, branch_secretary, member_user, alerts
) -> None:
    (item,) = warning_todos(college_organizer, resolve_scope(college_organizer))
    assert item.count == 3 and item.title == "3 条预警待处理" and "status=open" in item.link
    (item,) = warning_todos(branch_secretary, resolve_scope(branch_secretary))
    assert item.count == 2
    assert warning_todos(member_user, resolve_scope(member_user)) == []
