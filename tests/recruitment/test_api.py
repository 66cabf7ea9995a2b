"""/api/v1/recruitment: cases by side, recording a step, 422 with the rule's code, outsiders 404."""

from __future__ import annotations

from datetime import date

from django.test import Client

from dangjian.accounts.scope import Scope
from dangjian.accounts.services import api_token_create
from dangjian.recruitment import services
from tests import factories as f


def client_for(user) -> Client:
    _token, raw = api_token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_cases_steps_and_rule_codes(world, college_organizer, outsider_organizer) -> None:
    person = f.person("陈同学", organization=world.cs_branch2, birth=date(2003, 5, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=person, branch=world.cs_branch2, applied_on=date(2025, 3, 1)
    )
    api = client_for(college_organizer)
    listed = api.get("/api/v1/recruitment/cases?overdue=true").json()
    assert listed["count"] == 1 and listed["items"][0]["next_step"] == "talk"
    seen = listed["items"][0]["state"]
    bad = api.post(
        f"/api/v1/recruitment/cases/{case.pk}/steps",
        {"code": "activist", "done_on": "2025-04-01", "expected_status": seen},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "rule_order"
    ok = api.post(
        f"/api/v1/recruitment/cases/{case.pk}/steps",
        {"code": "talk", "done_on": "2025-03-20", "expected_status": seen},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["code"] == "talk"
    detail = api.get(f"/api/v1/recruitment/cases/{case.pk}").json()
    assert [s["code"] for s in detail["steps"]] == ["apply", "talk"] and detail["next_step"] == "activist"
    outsider = client_for(outsider_organizer)
    assert outsider.get(f"/api/v1/recruitment/cases/{case.pk}").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/recruitment/cases/{case.pk}/steps",
            {"code": "activist", "done_on": "2025-04-01", "expected_status": seen},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider.get("/api/v1/recruitment/cases").json()["count"] == 0


def test_overdue_cases_are_paginated_by_the_database(
    world, college_organizer, django_assert_max_num_queries
) -> None:
    for i in range(7):
        p = f.person(f"迟谈{i}", organization=world.cs_branch2, birth=date(2002, 1, 1))
        services.case_open(
            scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=date(2025, 3, 1)
        )
    fresh = f.person("新申请", organization=world.cs_branch2, birth=date(2002, 1, 1))
    services.case_open(
        scope=Scope.system(), actor=None, person=fresh, branch=world.cs_branch2, applied_on=date.today()
    )
    api = client_for(college_organizer)
    with django_assert_max_num_queries(14):
        page = api.get("/api/v1/recruitment/cases?overdue=true&page_size=5").json()
    assert page["count"] == 7 and len(page["items"]) == 5 and all(c["overdue"] for c in page["items"])
    everything = api.get(f"/api/v1/recruitment/cases?org={world.cs.pk}").json()
    assert everything["count"] == 8


def test_my_case(world, member_user) -> None:
    person = f.person("陈同学", organization=world.cs_branch2, birth=date(2003, 5, 1))
    services.case_open(
        scope=Scope.system(), actor=None, person=person, branch=world.cs_branch2, applied_on=date(2025, 3, 1)
    )
    mine = client_for(f.user_for(person, "chen")).get("/api/v1/recruitment/me").json()
    assert mine["person_name"] == "陈同学" and mine["next_step"] == "talk" and mine["overdue"]
    assert client_for(member_user).get("/api/v1/recruitment/me").status_code == 404
