"""Every core state change takes the state the user saw: a change made in between (or a second click)
is refused as stale (409 on the page and in the API) before any other check, and nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import Membership, MembershipType, Position, PositionTitle, Standing
from dangjian.kit.errors import RuleViolation, StaleState
from tests import factories as f


def _secretary_position(world) -> Position:
    return Position.objects.get(organization=world.cs_branch, title=PositionTitle.SECRETARY)


def _probationary(world) -> Membership:
    person = f.member(world.cs_branch, "预备甲", full=False, joined_on=date(2025, 6, 1))
    return person.membership


class TestServicesRefuseAStaleState:
    def test_dissolving_an_org_already_dissolved_is_stale_not_a_rule_message(self, world) -> None:
        services.organization_dissolve(actor=None, org=world.cs_branch2, on=date(2026, 1, 5), reason="合并")
        with pytest.raises(StaleState):
            services.organization_dissolve(
                actor=None, org=world.cs_branch2, on=date(2026, 1, 5), reason="", expected_status="active"
            )
        assert AuditEvent.objects.filter(action="organization.dissolve").count() == 1

    @pytest.mark.parametrize("call", ["update", "move", "new_term"])
    def test_a_dissolved_org_is_not_edited_moved_or_given_a_new_term(self, world, call) -> None:
        seen = world.cs_branch2.term_state if call == "new_term" else world.cs_branch2.state
        services.organization_dissolve(actor=None, org=world.cs_branch2, on=date(2026, 1, 5), reason="合并")
        with pytest.raises(StaleState):
            if call == "update":
                services.organization_update(
                    actor=None, org=world.cs_branch2, name="新名", expected_status=seen
                )
            elif call == "move":
                services.organization_move(
                    actor=None, org=world.cs_branch2, new_parent=world.fl, expected_status=seen
                )
            else:
                services.organization_start_new_term(
                    actor=None,
                    org=world.cs_branch2,
                    started_on=date(2026, 1, 6),
                    positions=[services.NewPosition(person=world.member, title=PositionTitle.SECRETARY)],
                    expected_status=seen,
                )

    def test_the_same_new_term_submitted_twice_starts_once(self, world) -> None:
        seen = world.cs_branch.term_state
        new = [services.NewPosition(person=world.member, title=PositionTitle.SECRETARY)]
        services.organization_start_new_term(
            actor=None, org=world.cs_branch, started_on=date(2026, 1, 6), positions=new, expected_status=seen
        )
        with pytest.raises(StaleState):
            services.organization_start_new_term(
                actor=None,
                org=world.cs_branch,
                started_on=date(2026, 1, 6),
                positions=new,
                expected_status=seen,
            )
        assert AuditEvent.objects.filter(action="organization.new_term").count() == 1

    def test_ending_an_ended_position_is_stale(self, world) -> None:
        position = _secretary_position(world)
        services.position_end(
            actor=None, position=position, ended_on=date(2026, 1, 5), expected_status="current"
        )
        with pytest.raises(StaleState):
            services.position_end(
                actor=None, position=position, ended_on=date(2026, 1, 5), expected_status="current"
            )

    def test_standing_changed_by_someone_else_is_stale(self, world) -> None:
        membership = world.member.membership
        services.membership_change_standing(
            actor=None,
            membership=membership,
            standing=Standing.LOST_CONTACT,
            since=date(2026, 1, 5),
            note="失联",
        )
        with pytest.raises(StaleState):
            services.membership_change_standing(
                actor=None,
                membership=membership,
                standing=Standing.FLOWING,
                since=date(2026, 1, 5),
                note="外出",
                flow_destination="上海",
                expected_status=Standing.NORMAL,
            )
        membership.refresh_from_db()
        assert membership.standing == Standing.LOST_CONTACT

    def test_stale_is_checked_before_the_form_rules(self, world) -> None:
        """A second click is told someone acted, not that its (now irrelevant) input is wrong."""
        with pytest.raises(StaleState):
            services.membership_change_standing(
                actor=None,
                membership=world.member.membership,
                standing="nonsense",
                since=date(2026, 1, 5),
                expected_status=Standing.LOST_CONTACT,
            )

    def test_making_full_twice_is_stale(self, world) -> None:
        membership = _probationary(world)
        services.membership_make_full(
            actor=None, membership=membership, full_on=date(2026, 6, 1), expected_status="probationary"
        )
        with pytest.raises(StaleState):
            services.membership_make_full(
                actor=None, membership=membership, full_on=date(2026, 6, 1), expected_status="probationary"
            )
        assert AuditEvent.objects.filter(action="membership.make_full").count() == 1

    def test_extending_probation_of_a_full_member_is_stale(self, world) -> None:
        with pytest.raises(StaleState):
            services.membership_extend_probation(
                actor=None,
                membership=world.member.membership,
                months=6,
                reason="支部大会决定",
                expected_status=MembershipType.PROBATIONARY,
            )

    def test_moving_a_member_whose_standing_changed_is_stale(self, world) -> None:
        membership = world.member.membership
        services.membership_change_standing(
            actor=None,
            membership=membership,
            standing=Standing.LOST_CONTACT,
            since=date(2026, 1, 5),
            note="失联",
        )
        with pytest.raises(StaleState):
            services.membership_move(
                actor=None,
                membership=membership,
                to_branch=world.cs_branch2,
                on=date(2026, 1, 6),
                reason="调动",
                expected_status=Standing.NORMAL,
            )

    def test_political_status_changed_in_between_is_stale(self, world) -> None:
        person = f.person("群众丙", organization=world.cs_branch)
        services.person_set_political_status(actor=None, person=person, status="applicant")
        with pytest.raises(StaleState):
            services.person_set_political_status(
                actor=None, person=person, status="activist", expected_status="masses"
            )

    def test_an_empty_expectation_from_a_page_is_refused(self, world) -> None:
        """A page that forgot to send the state is refused, never a free pass."""
        with pytest.raises(StaleState):
            services.position_end(
                actor=None, position=_secretary_position(world), ended_on=date(2026, 1, 5), expected_status=""
            )


class TestPages:
    def test_dissolve_form_sends_the_state_it_showed(self, world, login, college_organizer) -> None:
        page = login(college_organizer).get(reverse("core:org_dissolve", args=[world.cs_branch2.pk]))
        assert '<input type="hidden" name="expected_status" value="active">' in page.content.decode()

    @pytest.mark.parametrize(
        ("name", "state"),
        [
            ("core:org_edit", "active"),
            ("core:org_move", "active"),
            ("core:org_new_term", "active:2024-09-01"),
            ("core:position_end", "current"),
            ("core:membership_standing", "normal"),
        ],
    )
    def test_every_state_changing_form_sends_its_state(self, world, login, school_admin, name, state) -> None:
        args = {
            "core:position_end": [_secretary_position(world).pk],
            "core:membership_standing": [world.member.pk],
        }.get(name, [world.cs_branch.pk])
        page = login(school_admin).get(reverse(name, args=args))
        assert f'name="expected_status" value="{state}"' in page.content.decode()

    def test_second_dissolve_post_answers_409_with_the_chinese_refusal(
        self, world, login, college_organizer
    ) -> None:
        client = login(college_organizer)
        url = reverse("core:org_dissolve", args=[world.cs_branch2.pk])
        data = {"on": "2026-01-05", "reason": "合并", "expected_status": "active"}
        assert client.post(url, data).status_code == 302
        again = client.post(url, data)
        assert again.status_code == 409
        assert "已由他人处理" in again.content.decode()
        assert AuditEvent.objects.filter(action="organization.dissolve").count() == 1

    def test_a_stale_page_shown_again_stays_stale_until_reloaded(self, world, login, school_admin) -> None:
        """The 409 page keeps the state the user saw: submitting it again must not pass the check."""
        client = login(school_admin)
        url = reverse("core:membership_standing", args=[world.member.pk])
        data = {"standing": "abroad", "since": "2026-01-05", "note": "访学", "expected_status": "normal"}
        services.membership_change_standing(
            actor=None,
            membership=world.member.membership,
            standing="lost_contact",
            since=date(2026, 1, 4),
            note="失联",
        )
        first = client.post(url, data)
        assert first.status_code == 409
        assert 'name="expected_status" value="normal"' in first.content.decode()
        second = client.post(url, {**data, "expected_status": "normal"})
        assert second.status_code == 409
        world.member.membership.refresh_from_db()
        assert world.member.membership.standing == "lost_contact"

    def test_a_post_without_the_state_changes_nothing(self, world, login, college_organizer) -> None:
        url = reverse("core:position_end", args=[_secretary_position(world).pk])
        response = login(college_organizer).post(url, {"ended_on": "2026-01-05"})
        assert response.status_code == 409
        assert _secretary_position(world).ended_on is None


class TestApi:
    def test_standing_patch_requires_the_expected_status(self, world, login, college_organizer) -> None:
        url = f"/api/v1/members/{world.member.membership.pk}"
        body = {"standing": "abroad", "since": "2026-01-01", "note": "访学"}
        response = login(college_organizer).patch(url, body, content_type="application/json")
        assert response.status_code == 422 and "expected_status" in response.json()["fields"]

    def test_standing_patch_on_a_changed_standing_answers_409_stale(
        self, world, login, college_organizer
    ) -> None:
        client = login(college_organizer)
        url = f"/api/v1/members/{world.member.membership.pk}"
        body = {"standing": "abroad", "since": "2026-01-01", "note": "访学", "expected_status": "normal"}
        assert client.patch(url, body, content_type="application/json").json()["standing"] == "abroad"
        again = client.patch(url, body, content_type="application/json")
        assert again.status_code == 409
        assert again.json()["code"] == "stale" and "已由他人处理" in again.json()["message"]


@pytest.mark.parametrize("call", ["update", "move"])
def test_a_dissolved_org_is_not_edited_or_moved_even_from_a_page_that_showed_it_dissolved(
    world, call
) -> None:
    services.organization_dissolve(actor=None, org=world.cs_branch2, on=date(2026, 1, 5), reason="合并")
    with pytest.raises(RuleViolation) as exc:
        if call == "update":
            services.organization_update(
                actor=None, org=world.cs_branch2, name="新名", expected_status="dissolved"
            )
        else:
            services.organization_move(
                actor=None, org=world.cs_branch2, new_parent=world.fl, expected_status="dissolved"
            )
    assert exc.value.code == "org_already_dissolved"
