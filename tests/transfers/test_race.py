"""Ten identical requests at once (a double-click, a retry, ten impatient taps) take exactly one step: a
college organizer, who may act on both the branch and the college step, never advances two steps, and
no letter or serial is used up by a repeated approval (PostgreSQL row locks)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core.models import Membership, Standing
from dangjian.transfers import services
from dangjian.transfers.models import Letter, SerialCounter, Transfer, TransferEvent, TransferStatus
from tests.race import parallel_posts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

S = TransferStatus
STALE = "该事项已由他人处理"


def _messages(response) -> list[str]:
    """The flash messages a web response left for the next page."""
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def requested(world, branch_secretary) -> Transfer:
    return services.transfer_start(
        scope=Scope.system(),
        actor=branch_secretary,
        person=world.member,
        kind="out_national",
        reason="就业",
        external_org="某公司党委",
    )


def _approved_by_college(transfer, branch_secretary, college_organizer) -> Transfer:
    services.transfer_approve(
        actor=branch_secretary, scope=resolve_scope(branch_secretary), transfer=transfer
    )
    return services.transfer_approve(
        actor=college_organizer, scope=resolve_scope(college_organizer), transfer=transfer
    )


def test_ten_web_approvals_by_a_college_organizer_take_one_step(world, requested, college_organizer) -> None:
    responses = parallel_posts(
        college_organizer, reverse("transfers:approve", args=[requested.pk]), {"expected_status": "requested"}
    )
    assert all(r.status_code == 302 for r in responses), [getattr(r, "status_code", r) for r in responses]
    requested.refresh_from_db()
    assert requested.status == S.BRANCH_APPROVED
    assert TransferEvent.objects.filter(transfer=requested, action="approve").count() == 1
    assert not Letter.objects.exists() and not SerialCounter.objects.filter(last__gt=0).exists()
    refused = [r for r in responses if any(STALE in m for m in _messages(r))]
    assert len(refused) == 9


def test_ten_api_approvals_by_a_college_organizer_take_one_step(world, requested, college_organizer) -> None:
    responses = parallel_posts(
        college_organizer,
        f"/api/v1/transfers/{requested.pk}/approve",
        {"expected_status": "requested"},
        json=True,
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 9, codes
    assert all(r.json()["code"] == "stale" for r in responses if r.status_code == 409)
    requested.refresh_from_db()
    assert requested.status == S.BRANCH_APPROVED
    assert TransferEvent.objects.filter(transfer=requested, action="approve").count() == 1
    assert not Letter.objects.exists()


def test_ten_college_approvals_issue_one_letter_with_one_serial(
    world, requested, branch_secretary, college_organizer
) -> None:
    services.transfer_approve(
        actor=branch_secretary, scope=resolve_scope(branch_secretary), transfer=requested
    )
    responses = parallel_posts(
        college_organizer,
        f"/api/v1/transfers/{requested.pk}/approve",
        {"expected_status": "branch_approved"},
        json=True,
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    assert Letter.objects.count() == 1 and SerialCounter.objects.get().last == 1


def test_ten_api_accepts_move_the_membership_once(
    world, member_user, branch_secretary, college_organizer, fl_organizer
) -> None:
    t = services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="in_school",
        reason="调动",
        to_college=world.fl,
    )
    _approved_by_college(t, branch_secretary, college_organizer)
    responses = parallel_posts(
        fl_organizer,
        f"/api/v1/transfers/{t.pk}/accept",
        {"expected_status": "college_approved", "branch_id": world.fl_branch.pk},
        json=True,
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    assert TransferEvent.objects.filter(transfer=t, action="accept").count() == 1
    membership = Membership.objects.get(person=world.member)
    assert membership.organization == world.fl_branch
    assert membership.history.filter(organization=world.fl_branch).count() == 1


def test_ten_web_receipts_complete_the_transfer_once(
    world, requested, branch_secretary, college_organizer
) -> None:
    _approved_by_college(requested, branch_secretary, college_organizer)
    responses = parallel_posts(
        college_organizer,
        reverse("transfers:complete", args=[requested.pk]),
        {"expected_status": "college_approved", "receipt_on": date.today().isoformat()},
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 9 + [302], codes  # the nine see the form again with the message
    assert all(STALE in r.content.decode() for r in responses if r.status_code == 200)
    requested.refresh_from_db()
    assert requested.status == S.COMPLETED
    assert TransferEvent.objects.filter(transfer=requested, action="complete").count() == 1
    assert Membership.objects.get(person=world.member).standing == Standing.TRANSFERRED_OUT


def test_ten_identical_starts_give_one_transfer_and_the_same_answer(world, member_user) -> None:
    responses = parallel_posts(
        member_user,
        "/api/v1/transfers",
        {"person_id": world.member.pk, "kind": "in_school", "reason": "调动", "to_college_id": world.fl.pk},
        json=True,
    )
    assert [r.status_code for r in responses] == [201] * 10
    assert {r.json()["id"] for r in responses} == {Transfer.objects.get().pk}
    assert TransferEvent.objects.filter(action="start").count() == 1
