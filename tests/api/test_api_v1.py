"""The /api/v1 surface of the core module: filters, stats, writes through services, error shapes."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.accounts.services import api_token_create
from dangjian.audit.models import AuditEvent
from dangjian.core.idnumbers import make_id_number
from dangjian.core.models import Membership, Person


def api(user) -> Client:
    _token, raw = api_token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_me_lists_person_and_roles_with_scopes(world, branch_secretary) -> None:
    body = api(branch_secretary).get("/api/v1/me").json()
    assert body["name"] == "王建国" and body["organization_id"] == world.cs_branch.pk
    assert body["roles"] == [
        {"role": "branch_secretary", "org_id": world.cs_branch.pk, "org_name": world.cs_branch.name}
    ]


def test_org_filters_parent_kind_and_q(world, school_admin) -> None:
    client = api(school_admin)
    children = client.get(f"/api/v1/orgs?parent={world.cs.pk}").json()["items"]
    assert {o["code"] for o in children} == {"CS-T1", "CS-S1"}
    branches = client.get("/api/v1/orgs?kind=branch&category=student").json()["items"]
    assert [o["code"] for o in branches] == ["CS-S1"]
    assert [o["code"] for o in client.get("/api/v1/orgs?q=外国语").json()["items"]] == ["FL", "FL-T1"]
    assert client.get(f"/api/v1/orgs/{world.cs.pk}/children").json()["count"] == 2


def test_parent_outside_scope_is_404(world, outsider_organizer) -> None:
    assert api(outsider_organizer).get(f"/api/v1/orgs?parent={world.cs.pk}").status_code == 404


def test_subtree_stats(world, school_admin, college_organizer, branch_secretary) -> None:
    body = api(school_admin).get(f"/api/v1/orgs/{world.cs.pk}/stats").json()
    assert body["members"] == 3 and body["people"] == 3
    assert body["by_political_status"] == {"full": 3}
    assert body["by_gender"] == {"female": 1, "male": 2}
    assert sum(body["by_age_band"].values()) == 3 and body["by_age_band"]["46–50"] == 3  # born 1980
    assert body["members_by_category"] == {"staff": 3}
    root = api(school_admin).get(f"/api/v1/orgs/{world.school.pk}/stats").json()
    assert root["members"] == 6
    assert api(college_organizer).get(f"/api/v1/orgs/{world.school.pk}/stats").status_code == 404


def test_people_filters(world, school_admin) -> None:
    client = api(school_admin)
    assert client.get(f"/api/v1/people?org={world.fl.pk}").json()["count"] == 3
    assert client.get("/api/v1/people?person_type=student").json()["count"] == 0
    assert client.get("/api/v1/people?political_status=full&q=zm").json()["items"][0]["name"] == "赵敏"


def _person_payload(world, **extra):
    number = make_id_number("110101", date(1995, 4, 3), 321, female=True)
    payload = {
        "name": "钱晓",
        "id_number": number,
        "gender": "female",
        "birth_date": "1995-04-03",
        "person_type": "staff",
        "organization_id": world.cs_branch.pk,
        "staff_number": "2026001",
    }
    payload.update(extra)
    return payload


def test_create_person_through_the_service_and_audited(world, college_organizer) -> None:
    response = api(college_organizer).post(
        "/api/v1/people", _person_payload(world), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["id_number_masked"].startswith("1101")
    assert AuditEvent.objects.filter(action="person.create", actor=college_organizer).exists()


def test_create_person_with_bad_id_is_422_with_chinese_field_message(world, college_organizer) -> None:
    response = api(college_organizer).post(
        "/api/v1/people",
        _person_payload(world, id_number="110101199504033210"),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "校验位" in body["fields"]["id_number"]


def test_schema_errors_are_422_in_chinese(world, college_organizer) -> None:
    response = api(college_organizer).post("/api/v1/people", {"name": ""}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "请求数据有误，请检查各字段。"
    assert body["fields"]["gender"] == "必填"


def test_outsider_cannot_write_in_another_college(world, outsider_organizer) -> None:
    client = api(outsider_organizer)
    before = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert (
        client.post("/api/v1/people", _person_payload(world), content_type="application/json").status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/people/{world.member.pk}", {"ethnicity": "回族"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/members/{world.member.membership.pk}",
            {"standing": "abroad", "since": "2026-01-01", "note": "访学", "expected_status": "normal"},
            content_type="application/json",
        ).status_code
        == 404
    )
    person = Person.objects.create(
        name="无党籍",
        gender="male",
        birth_date=date(1980, 1, 1),
        person_type="staff",
        organization=world.cs_branch,
    )
    assert (
        client.post(
            "/api/v1/members",
            {
                "person_id": person.pk,
                "organization_id": world.cs_branch.pk,
                "membership_type": "probationary",
                "joined_on": "2026-01-01",
            },
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (Person.objects.count() - 1, Membership.objects.count(), AuditEvent.objects.count()) == before


def test_patch_person_and_change_standing(world, college_organizer) -> None:
    client = api(college_organizer)
    assert (
        client.patch(
            f"/api/v1/people/{world.member.pk}", {"ethnicity": "回族"}, content_type="application/json"
        ).json()["ethnicity"]
        == "回族"
    )
    response = client.patch(
        f"/api/v1/members/{world.member.membership.pk}",
        {"standing": "flowing", "since": "2026-01-01", "note": "外出", "expected_status": "normal"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "flow_destination" in response.json()["fields"]


def test_admit_member_via_api(world, college_organizer) -> None:
    person = (
        api(college_organizer)
        .post("/api/v1/people", _person_payload(world), content_type="application/json")
        .json()
    )
    response = api(college_organizer).post(
        "/api/v1/members",
        {
            "person_id": person["id"],
            "organization_id": world.cs_branch.pk,
            "membership_type": "probationary",
            "joined_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["organization_name"] == world.cs_branch.name
    again = api(college_organizer).post(
        "/api/v1/members",
        {
            "person_id": person["id"],
            "organization_id": world.cs_branch.pk,
            "membership_type": "probationary",
            "joined_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert again.status_code == 422 and again.json()["code"] == "membership_exists"


def test_members_list_is_scoped(world, college_organizer, branch_secretary) -> None:
    assert api(college_organizer).get("/api/v1/members").json()["count"] == 3
    assert api(branch_secretary).get(f"/api/v1/members?org={world.fl.pk}").status_code == 404


def test_pagination_bounds(world, school_admin) -> None:
    client = api(school_admin)
    assert client.get("/api/v1/people?page=999").status_code in (200, 404)
    assert client.get("/api/v1/people?page=0").status_code == 422
    assert client.get("/api/v1/people?page=abc").status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/orgs", "/api/v1/people", "/api/v1/members"])
def test_member_sees_empty_lists(world, member_user, path) -> None:
    assert api(member_user).get(path).json()["count"] == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(max_size=80),
    org=st.one_of(st.none(), st.text(max_size=12), st.integers(min_value=-(2**40), max_value=2**40)),
    status=st.text(max_size=20),
)
def test_list_endpoints_never_answer_500(world, school_admin, q, org, status) -> None:
    client = api(school_admin)
    params = {"q": q, "political_status": status}
    if org is not None:
        params["org"] = str(org)
    for path in ("/api/v1/people", "/api/v1/orgs", "/api/v1/members"):
        assert client.get(path, params).status_code < 500


def test_a_huge_page_number_is_a_422_not_a_500(world, login, school_admin) -> None:
    for path in ("/api/v1/orgs", "/api/v1/people", "/api/v1/members", "/api/v1/transfers"):
        response = login(school_admin).get(f"{path}?page=92233720368547760")
        assert response.status_code == 422, path
        assert response.json()["fields"]["page"] == "数值太大"
