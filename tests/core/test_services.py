"""Core services: kind rules, moves, dissolving, 换届, people with encrypted ID numbers, memberships,
positions, cadres — each write audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.idnumbers import make_id_number
from dangjian.core.models import (
    MembershipType,
    Organization,
    OrgKind,
    Person,
    Position,
    PositionTitle,
    Standing,
)
from dangjian.kit.errors import RuleViolation
from tests import factories as f


def audited(action: str) -> bool:
    return AuditEvent.objects.filter(action=action).exists()


class TestOrganizations:
    def test_group_only_under_a_branch(self, world) -> None:
        with pytest.raises(RuleViolation, match="党小组只能设在党支部之下"):
            f.org(world.cs, OrgKind.GROUP, "错误的党小组")

    def test_branch_cannot_hold_a_branch(self, world) -> None:
        with pytest.raises(RuleViolation, match="不能设立"):
            f.org(world.cs_branch, OrgKind.BRANCH, "支部下的支部")

    def test_duplicate_code_and_second_root_refused(self, world) -> None:
        with pytest.raises(RuleViolation, match="已被使用"):
            f.org(world.cs, OrgKind.BRANCH, "重复代码", code="CS-T1")
        with pytest.raises(RuleViolation, match="上级党组织"):
            f.org(None, OrgKind.COMMITTEE, "第二个学校党委")

    def test_update_audits_only_changed_fields(self, world) -> None:
        services.organization_update(actor=None, org=world.cs_branch, name="新名称", code="CS-T1")
        event = AuditEvent.objects.filter(action="organization.update").latest("id")
        assert event.changes == {"name": {"before": "计算机学院教工第一党支部", "after": "新名称"}}
        assert event.org_path == world.cs_branch.path

    def test_move_takes_the_subtree_and_refuses_its_own_descendants(self, world) -> None:
        with pytest.raises(RuleViolation, match="下级组织"):
            services.organization_move(actor=None, org=world.cs, new_parent=world.cs_branch)
        services.organization_move(actor=None, org=world.cs_branch, new_parent=world.fl)
        world.cs_branch.refresh_from_db()
        group = Organization.objects.get(pk=world.cs_group.pk)
        assert world.cs_branch.path.startswith(world.fl.path)
        assert group.path.startswith(world.cs_branch.path)
        assert audited("organization.move")
        assert not Organization.objects.find_problems()[4]  # numchild stays right

    def test_dissolve_refused_while_members_are_held(self, world) -> None:
        with pytest.raises(RuleViolation, match="仍有 3 名党员"):
            services.organization_dissolve(
                actor=None, org=world.cs_branch, on=date(2026, 1, 1), reason="合并"
            )

    def test_dissolve_empty_org_ends_positions(self, world) -> None:
        services.organization_dissolve(actor=None, org=world.cs_branch2, on=date(2026, 1, 1), reason="合并")
        world.cs_branch2.refresh_from_db()
        assert not world.cs_branch2.is_active and world.cs_branch2.dissolved_on == date(2026, 1, 1)
        assert audited("organization.dissolve")

    def test_dissolve_needs_a_reason(self, world) -> None:
        with pytest.raises(RuleViolation, match="原因"):
            services.organization_dissolve(actor=None, org=world.cs_branch2, on=date(2026, 1, 1), reason=" ")

    def test_new_term_ends_old_committee_and_sets_new(self, world) -> None:
        services.organization_start_new_term(
            actor=None,
            org=world.cs_branch,
            started_on=date(2026, 9, 1),
            positions=[
                services.NewPosition(world.member, PositionTitle.SECRETARY),
                services.NewPosition(world.secretary, PositionTitle.ORGANIZATION),
            ],
        )
        old = Position.objects.get(person=world.secretary, title=PositionTitle.SECRETARY)
        assert old.ended_on == date(2026, 9, 1)
        assert (
            Position.objects.get(person=world.member, ended_on__isnull=True).title == PositionTitle.SECRETARY
        )
        world.cs_branch.refresh_from_db()
        assert world.cs_branch.term_started_on == date(2026, 9, 1)
        assert audited("organization.new_term")

    def test_new_term_needs_exactly_one_secretary(self, world) -> None:
        with pytest.raises(RuleViolation, match="书记"):
            services.organization_start_new_term(
                actor=None,
                org=world.cs_branch,
                started_on=date(2026, 9, 1),
                positions=[services.NewPosition(world.member, PositionTitle.ORGANIZATION)],
            )


class TestPeople:
    def test_id_number_is_encrypted_at_rest_and_masked(self, world) -> None:
        number = make_id_number("110101", date(1990, 3, 4), 100, female=False)
        person = services.person_create(
            actor=None,
            name="张三丰",
            id_number=number,
            gender="male",
            birth_date=date(1990, 3, 4),
            person_type="staff",
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id_number_encrypted, id_number_masked FROM core_person WHERE id = %s", [person.pk]
            )
            encrypted, masked = cursor.fetchone()
        assert number not in encrypted
        assert masked == number[:4] + "*" * 10 + number[-4:]
        assert person.name_initials == "zsf"
        assert audited("person.create")

    def test_same_id_number_twice_is_refused_on_the_field(self, world) -> None:
        number = make_id_number("110101", date(1990, 3, 4), 100, female=False)
        services.person_create(
            actor=None,
            name="甲",
            id_number=number,
            gender="male",
            birth_date=date(1990, 3, 4),
            person_type="staff",
        )
        with pytest.raises(ValidationError) as exc:
            services.person_create(
                actor=None,
                name="乙",
                id_number=number,
                gender="male",
                birth_date=date(1990, 3, 4),
                person_type="staff",
            )
        assert "id_number" in exc.value.error_dict

    @pytest.mark.parametrize(("field", "value"), [("birth_date", date(1990, 3, 5)), ("gender", "female")])
    def test_birth_date_or_gender_disagreeing_with_the_number_is_refused(self, world, field, value) -> None:
        data = {"name": "丙", "gender": "male", "birth_date": date(1990, 3, 4), "person_type": "staff"}
        data[field] = value
        with pytest.raises(ValidationError) as exc:
            services.person_create(
                actor=None, id_number=make_id_number("110101", date(1990, 3, 4), 8, female=False), **data
            )
        assert field in exc.value.error_dict

    @pytest.mark.parametrize("phone", ["1381234567", "23812345678", "abc"])
    def test_invalid_phone_refused(self, world, phone) -> None:
        with pytest.raises(ValidationError) as exc:
            f.person("丁", phone=phone)
        assert "phone" in exc.value.error_dict

    @pytest.mark.parametrize("phone", ["13812345678", "023-65102345"])
    def test_valid_phones_accepted(self, world, phone) -> None:
        assert f.person("戊", phone=phone).phone == phone


class TestMemberships:
    def test_admit_sets_status_and_refuses_twice(self, world) -> None:
        person = f.person("新党员", organization=world.cs_branch)
        services.membership_admit_existing(
            actor=None,
            person=person,
            organization=world.cs_branch,
            membership_type=MembershipType.PROBATIONARY,
            joined_on=date(2026, 1, 5),
        )
        person.refresh_from_db()
        assert person.political_status == "probationary"
        with pytest.raises(RuleViolation, match="已有党员档案"):
            services.membership_admit_existing(
                actor=None,
                person=person,
                organization=world.cs_branch,
                membership_type=MembershipType.PROBATIONARY,
                joined_on=date(2026, 1, 5),
            )

    def test_full_member_needs_full_on_and_adult_age(self, world) -> None:
        person = f.person("年轻人", organization=world.cs_branch, birth=date(2000, 1, 1))
        with pytest.raises(ValidationError) as exc:
            services.membership_admit_existing(
                actor=None,
                person=person,
                organization=world.cs_branch,
                membership_type=MembershipType.FULL,
                joined_on=date(2017, 1, 1),
            )
        assert {"full_on", "joined_on"} <= set(exc.value.error_dict)

    def test_membership_only_in_a_branch(self, world) -> None:
        person = f.person("甲乙", organization=world.cs_branch)
        with pytest.raises(ValidationError) as exc:
            services.membership_admit_existing(
                actor=None,
                person=person,
                organization=world.cs,
                membership_type=MembershipType.PROBATIONARY,
                joined_on=date(2026, 1, 5),
            )
        assert "organization" in exc.value.error_dict

    def test_standing_change_needs_a_reason_and_flow_destination(self, world) -> None:
        membership = world.member.membership
        with pytest.raises(ValidationError):
            services.membership_change_standing(
                actor=None, membership=membership, standing=Standing.ABROAD, since=date(2026, 1, 1)
            )
        with pytest.raises(ValidationError) as exc:
            services.membership_change_standing(
                actor=None,
                membership=membership,
                standing=Standing.FLOWING,
                since=date(2026, 1, 1),
                note="外出",
            )
        assert "flow_destination" in exc.value.error_dict
        services.membership_change_standing(
            actor=None,
            membership=membership,
            standing=Standing.FLOWING,
            since=date(2026, 1, 1),
            note="外出",
            flow_destination="深圳",
        )
        assert audited("membership.change_standing")


class TestPositions:
    def test_only_one_open_secretary(self, world) -> None:
        with pytest.raises(RuleViolation, match="已有在任的书记"):
            services.position_assign(
                actor=None,
                person=world.member,
                organization=world.cs_branch,
                title=PositionTitle.SECRETARY,
                started_on=date(2026, 1, 1),
            )

    def test_non_member_and_member_of_another_branch_are_refused(self, world) -> None:
        outsider = f.person("群众甲", organization=world.cs_branch)
        with pytest.raises(RuleViolation, match="不是在册党员"):
            services.position_assign(
                actor=None,
                person=outsider,
                organization=world.cs_branch,
                title=PositionTitle.ORGANIZATION,
                started_on=date(2026, 1, 1),
            )
        with pytest.raises(RuleViolation, match="不在本支部"):
            services.position_assign(
                actor=None,
                person=world.fl_member,
                organization=world.cs_branch,
                title=PositionTitle.ORGANIZATION,
                started_on=date(2026, 1, 1),
            )

    def test_end_position(self, world) -> None:
        position = Position.objects.get(person=world.secretary, title=PositionTitle.SECRETARY)
        with pytest.raises(ValidationError):
            services.position_end(actor=None, position=position, ended_on=date(2020, 1, 1))
        services.position_end(actor=None, position=position, ended_on=date(2026, 1, 1))
        with pytest.raises(RuleViolation):
            services.position_end(actor=None, position=position, ended_on=date(2026, 1, 2))
        assert audited("position.end")

    def test_cadre_dual_life_branch_must_be_a_branch(self, world) -> None:
        with pytest.raises(ValidationError):
            services.cadre_set(
                actor=None,
                person=world.member,
                post="院长",
                rank="division",
                unit="计算机学院",
                dual_life_branch=world.cs,
            )
        cadre = services.cadre_set(
            actor=None,
            person=world.member,
            post="院长",
            rank="division",
            unit="计算机学院",
            dual_life_branch=world.cs_branch,
        )
        assert cadre.dual_life_branch == world.cs_branch
        assert audited("cadre.set")


def test_person_model_age_on(world) -> None:
    person = Person(name="x", birth_date=date(2000, 2, 29))
    assert person.age_on(date(2018, 2, 28)) == 17
    assert person.age_on(date(2018, 3, 1)) == 18
