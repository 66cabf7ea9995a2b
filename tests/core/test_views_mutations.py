"""Every mutating page: an outsider (another college's organizer) gets 404 and nothing changes;
an organizer in scope succeeds and an audit event is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import (
    Cadre,
    DemocraticPartyMembership,
    Membership,
    Organization,
    Person,
    Position,
    PositionTitle,
)
from tests import factories as f


def _position(world: Any) -> Position:
    return Position.objects.get(organization=world.cs_branch, title=PositionTitle.SECRETARY)


def _non_member(world: Any) -> Person:
    return f.person("周新", organization=world.cs_branch)


# (url name, args from world, POST data from world, expected audit action)
CASES: list[tuple[str, Callable[[Any], list[Any]], Callable[[Any], dict[str, Any]], str]] = [
    (
        "core:org_create",
        lambda w: [w.cs.pk],
        lambda w: {
            "name": "计算机学院研究生第二党支部",
            "code": "CS-P2",
            "kind": "branch",
            "category": "student",
        },
        "organization.create",
    ),
    (
        "core:org_edit",
        lambda w: [w.cs_branch.pk],
        lambda w: {
            "name": "计算机学院教工第一党支部(改)",
            "code": "CS-T1",
            "kind": "branch",
            "category": "staff",
            "expected_status": "active",
        },
        "organization.update",
    ),
    (
        "core:org_move",
        lambda w: [w.cs_branch2.pk],
        lambda w: {"new_parent": w.school.pk, "expected_status": "active"},
        "organization.move",
    ),
    (
        "core:org_dissolve",
        lambda w: [w.cs_branch2.pk],
        lambda w: {"on": "2026-01-05", "reason": "合并", "expected_status": "active"},
        "organization.dissolve",
    ),
    (
        "core:position_assign",
        lambda w: [w.cs_branch.pk],
        lambda w: {"person": w.member.pk, "title": "organization", "started_on": "2026-01-05"},
        "position.assign",
    ),
    (
        "core:position_end",
        lambda w: [_position(w).pk],
        lambda w: {"ended_on": "2026-01-05", "reason": "调离", "expected_status": "current"},
        "position.end",
    ),
    (
        "core:org_new_term",
        lambda w: [w.cs_branch.pk],
        lambda w: {
            "started_on": "2026-01-05",
            "row0": w.member.pk,
            "expected_status": w.cs_branch.term_state,
        },
        "organization.new_term",
    ),
    (
        "core:person_edit",
        lambda w: [w.member.pk],
        lambda w: {
            "name": "李晓红",
            "gender": "female",
            "birth_date": "1980-05-17",
            "ethnicity": "回族",
            "person_type": "staff",
            "organization": w.cs_branch.pk,
            "staff_number": w.member.staff_number,
        },
        "person.update",
    ),
    (
        "core:membership_standing",
        lambda w: [w.member.pk],
        lambda w: {
            "standing": "flowing",
            "since": "2026-01-05",
            "note": "外出访学",
            "flow_destination": "上海",
            "expected_status": "normal",
        },
        "membership.change_standing",
    ),
    (
        "core:membership_admit",
        lambda w: [_non_member(w).pk],
        lambda w: {
            "organization": w.cs_branch.pk,
            "membership_type": "full",
            "joined_on": "2010-07-01",
            "full_on": "2011-07-01",
        },
        "membership.admit_existing",
    ),
    (
        "core:cadre_edit",
        lambda w: [w.member.pk],
        lambda w: {
            "post": "副院长",
            "rank": "deputy_division",
            "unit": "计算机学院",
            "is_leading": "on",
            "dual_life_branch": w.cs_branch.pk,
        },
        "cadre.set",
    ),
    (
        "core:democratic_party_edit",
        lambda w: [w.member.pk],
        lambda w: {"party": "js", "joined_on": "2012-03-01"},
        "democratic_party.set",
    ),
]


def _state() -> tuple[Any, ...]:
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "name", "path", "is_active")),
        list(Person.objects.order_by("pk").values_list("pk", "name", "ethnicity")),
        list(Membership.objects.order_by("pk").values_list("pk", "standing", "organization_id")),
        list(Position.objects.order_by("pk").values_list("pk", "ended_on")),
        Cadre.objects.count(),
        DemocraticPartyMembership.objects.count(),
        DemocraticPartyMembership.objects.count(),
    )


@pytest.mark.parametrize(("name", "args", "data", "action"), CASES, ids=[c[0] for c in CASES])
def test_outsider_gets_404_and_nothing_changes(
    name, args, data, action, world, login, outsider_organizer
) -> None:
    client = login(outsider_organizer)
    url = reverse(name, args=args(world))
    payload = data(world)
    before = _state()
    events = AuditEvent.objects.count()
    assert client.get(url).status_code == 404
    assert client.post(url, payload).status_code == 404
    assert _state() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("name", "args", "data", "action"), CASES, ids=[c[0] for c in CASES])
def test_organizer_in_scope_succeeds_and_is_audited(
    name, args, data, action, world, login, school_admin
) -> None:
    client = login(school_admin)
    url = reverse(name, args=args(world))
    assert client.get(url).status_code == 200
    response = client.post(url, data(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(action=action).latest("id")
    assert event.actor_id == school_admin.pk


def test_member_cannot_reach_any_management_page(world, login, member_user) -> None:
    client = login(member_user)
    for name, args, data, _action in CASES:
        assert client.post(reverse(name, args=args(world)), data(world)).status_code == 404, name


def test_outsider_cannot_create_person_in_another_college(world, login, outsider_organizer) -> None:
    client = login(outsider_organizer)
    response = client.post(
        reverse("core:person_create"),
        {
            "name": "吴越",
            "id_number": "",
            "gender": "male",
            "birth_date": "1990-01-01",
            "ethnicity": "汉族",
            "person_type": "staff",
            "organization": world.cs_branch.pk,
        },
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="吴越").exists()
    assert "organization" in response.context["form"].errors


def test_person_create_in_scope_with_bad_id_shows_chinese_field_error(
    world, login, college_organizer
) -> None:
    client = login(college_organizer)
    response = client.post(
        reverse("core:person_create"),
        {
            "name": "吴越",
            "id_number": "110101199001011235",
            "gender": "male",
            "birth_date": "1990-01-01",
            "ethnicity": "汉族",
            "person_type": "staff",
            "organization": world.cs_branch.pk,
        },
    )
    assert response.status_code == 200
    assert "校验位" in str(response.context["form"].errors["id_number"])
    assert not Person.objects.filter(name="吴越").exists()


def test_person_create_in_scope_is_audited_without_raw_id(world, login, college_organizer) -> None:
    from dangjian.core.idnumbers import make_id_number

    number = make_id_number("110101", date(1990, 1, 1), 7, female=False)
    client = login(college_organizer)
    response = client.post(
        reverse("core:person_create"),
        {
            "name": "吴越",
            "id_number": number,
            "gender": "male",
            "birth_date": "1990-01-01",
            "ethnicity": "汉族",
            "person_type": "staff",
            "organization": world.cs_branch.pk,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="person.create").latest("id")
    assert event.target_repr == "吴越"
    assert number not in str(event.changes)


def test_org_dissolve_with_members_is_refused_with_reason(world, login, school_admin) -> None:
    client = login(school_admin)
    response = client.post(
        reverse("core:org_dissolve", args=[world.cs_branch.pk]),
        {"on": "2026-01-05", "reason": "合并", "expected_status": "active"},
    )
    assert response.status_code == 200
    assert "党员" in str(response.context["form"].non_field_errors())
    world.cs_branch.refresh_from_db()
    assert world.cs_branch.is_active


def test_branch_secretary_may_edit_own_branch_people_but_not_orgs(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    assert client.get(reverse("core:person_edit", args=[world.member.pk])).status_code == 200
    assert client.get(reverse("core:org_edit", args=[world.cs_branch.pk])).status_code == 404
    assert client.get(reverse("core:person_edit", args=[world.fl_member.pk])).status_code == 404


def test_edit_org_then_audit_log_shows_it(world, login, college_organizer, auditor) -> None:
    services.organization_update(actor=None, org=world.fl_branch, name="外国语学院教工第一党支部")
    client = login(college_organizer)
    client.post(
        reverse("core:org_edit", args=[world.cs_branch.pk]),
        {
            "name": "计算机学院教工党支部",
            "code": "CS-T1",
            "kind": "branch",
            "category": "staff",
            "expected_status": "active",
        },
    )
    page = client.get(reverse("audit:log")).content.decode()
    assert "计算机学院教工党支部" in page
    assert "外国语学院教工第一党支部" not in page  # another college's event is out of scope
    auditor_page = login(auditor).get(reverse("audit:log")).content.decode()
    assert "外国语学院教工第一党支部" in auditor_page


def test_member_branch_cannot_be_changed_by_editing_the_person(world, login, school_admin) -> None:
    client = login(school_admin)
    response = client.post(
        reverse("core:person_edit", args=[world.member.pk]),
        {
            "name": "李晓红",
            "gender": "female",
            "birth_date": "1980-05-17",
            "ethnicity": "汉族",
            "person_type": "staff",
            "organization": world.cs_branch2.pk,
        },
    )
    assert response.status_code == 200
    assert "组织关系转接" in str(response.context["form"].errors["organization"])
    world.member.refresh_from_db()
    assert world.member.organization_id == world.cs_branch.pk


def test_the_tree_shows_children_a_page_at_a_time(world, login, school_admin, monkeypatch) -> None:
    from dangjian.core import views

    monkeypatch.setattr(views, "CHILDREN_PAGE", 1)
    page = login(school_admin).get(reverse("core:org_tree")).content.decode()
    assert "显示更多下级组织" in page and "计算机学院党委" in page and "外国语学院党委" not in page
    more = login(school_admin).get(reverse("core:org_children", args=[world.school.pk]) + "?offset=1")
    assert "外国语学院党委" in more.content.decode()


def test_leaving_the_school_is_a_page_for_non_members_and_refuses_outsiders(
    world, login, college_organizer, outsider_organizer
) -> None:
    person = f.person("离校职工", organization=world.cs_branch)
    url = reverse("core:person_leave", args=[person.pk])
    assert login(outsider_organizer).post(url, {"left_on": "2026-06-30"}).status_code == 404
    page = login(college_organizer).get(reverse("core:person_detail", args=[person.pk])).content.decode()
    assert url in page
    response = login(college_organizer).post(url, {"left_on": "2026-06-30"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.left_on == date(2026, 6, 30) and not person.is_active
    assert AuditEvent.objects.filter(action="person.leave", target_id=str(person.pk)).count() == 1
    member_page = login(college_organizer).get(reverse("core:person_detail", args=[world.member.pk]))
    assert reverse("core:person_leave", args=[world.member.pk]) not in member_page.content.decode()
    refused = login(college_organizer).post(
        reverse("core:person_leave", args=[world.member.pk]), {"left_on": "2026-06-30"}
    )
    assert "党员离校须先办理组织关系转出" in refused.content.decode()
