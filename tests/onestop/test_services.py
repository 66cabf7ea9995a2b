"""The request's life: submit along one's own line, take, complete, refuse with a reason, rate once — each
step audited, a stale step refused, the right people told."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.onestop import services
from dangjian.onestop.models import Request
from dangjian.onestop.rules import RequestKind as K
from dangjian.onestop.rules import RequestStatus
from dangjian.workbench.models import Notification
from tests import factories as f
from tests.onestop.conftest import LEAVE, PURPOSE, SYSTEM, as_person, branch_request, submit, taken


def _audited(action: str, request: Request) -> bool:
    return AuditEvent.objects.filter(action=action, target_id=str(request.pk)).exists()


def test_a_member_asks_their_branch_for_a_long_leave(
    world, branch_secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(world.member, K.LONG_LEAVE)
    assert request.handling_org == world.cs_branch
    assert request.from_org == world.cs_branch
    assert request.status == RequestStatus.SUBMITTED
    assert request.due_on == date(2026, 12, 7)
    assert _audited("onestop.request_submit", request)
    assert Notification.objects.filter(recipient=branch_secretary, kind="onestop").exists()


def test_a_proof_goes_to_the_members_party_committee(
    world, college_organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(world.member, K.PROOF_MEMBERSHIP)
    assert request.handling_org == world.cs
    assert Notification.objects.filter(recipient=college_organizer).exists()


def test_a_branch_asks_the_college_through_its_secretary(world, branch_secretary):
    scope = resolve_scope(branch_secretary)
    request = services.request_submit(
        actor=branch_secretary,
        scope=scope,
        kind=K.FUNDS,
        details={"amount": "500", "activity": "a", "budget": "b"},
        from_org=world.cs_branch,
    )
    assert (request.from_org, request.handling_org) == (world.cs_branch, world.cs)


def test_a_member_cannot_ask_in_the_branchs_name(world, member_user):
    with pytest.raises(RuleViolation, match="党支部书记"):
        services.request_submit(
            actor=member_user,
            scope=resolve_scope(member_user),
            kind=K.FUNDS,
            details={"amount": "500", "activity": "a", "budget": "b"},
            from_org=world.cs_branch,
        )


def test_a_secretary_cannot_ask_for_another_branch(world, branch_secretary):
    with pytest.raises(RuleViolation):
        services.request_submit(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            kind=K.FUNDS,
            details={"amount": "500", "activity": "a", "budget": "b"},
            from_org=world.fl_branch,
        )


@pytest.mark.parametrize("target", ["fl", "fl_branch", "cs_branch2", "school"])
def test_a_request_to_an_organization_outside_ones_own_line_is_refused(world, target):
    with pytest.raises(RuleViolation, match="隶属关系线") as exc:
        submit(world.member, K.PROOF_MEMBERSHIP, to_org=getattr(world, target))
    assert exc.value.code == "not_in_line"
    assert not Request.objects.exists()


def test_naming_the_right_organization_is_accepted(world):
    assert submit(world.member, K.LONG_LEAVE, to_org=world.cs_branch).handling_org == world.cs_branch


def test_someone_without_a_membership_cannot_ask(world):
    outsider = f.person("群众甲", organization=world.cs_branch)
    with pytest.raises(RuleViolation, match="在册党员"):
        submit(outsider, K.LONG_LEAVE)


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(RuleViolation, match="没有这项服务"):
        submit(world.member, "parking", PURPOSE)


def test_take_then_complete(world, django_capture_on_commit_callbacks, member_user):
    request = taken(submit(world.member))
    assert request.status == RequestStatus.HANDLING and request.taken_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.request_complete(
            actor=None, scope=SYSTEM, request=request, expected_status="handling", note="同意"
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.result_note == "同意"
    assert _audited("onestop.request_take", request) and _audited("onestop.request_complete", request)
    assert Notification.objects.filter(recipient=member_user, title__contains="已办结").exists()


def test_complete_twice_is_stale(world):
    request = taken(submit(world.member))
    services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status="handling")
    with pytest.raises(StaleState):
        services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status="handling")


def test_take_twice_is_stale(world):
    request = taken(submit(world.member))
    with pytest.raises(StaleState):
        services.request_take(actor=None, scope=SYSTEM, request=request, expected_status="submitted")


def test_complete_before_taking_is_refused(world):
    request = submit(world.member)
    with pytest.raises(RuleViolation, match="先受理"):
        services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status="submitted")


def test_refuse_needs_a_reason(world):
    request = submit(world.member)
    with pytest.raises(RuleViolation, match="理由") as exc:
        services.request_refuse(
            actor=None, scope=SYSTEM, request=request, expected_status="submitted", reason="  "
        )
    assert exc.value.field == "reason"
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_refuse_with_a_reason_tells_the_requester(world, member_user, django_capture_on_commit_callbacks):
    request = submit(world.member)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_refuse(
            actor=None, scope=SYSTEM, request=request, expected_status="submitted", reason="材料不全"
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.refusal_reason == "材料不全"
    assert _audited("onestop.request_refuse", request)
    assert Notification.objects.filter(recipient=member_user, body="材料不全").exists()


def test_a_closed_request_cannot_be_refused(world):
    request = taken(submit(world.member))
    services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status=None)
    with pytest.raises(RuleViolation, match="已办结"):
        services.request_refuse(actor=None, scope=SYSTEM, request=request, expected_status=None, reason="x")


def test_rate_once_by_the_requester_after_closing(world):
    request = taken(submit(world.member))
    with pytest.raises(RuleViolation, match="办结后"):
        services.request_rate(
            actor=None, scope=as_person(world.member), request=request, score=5, expected_status="handling"
        )
    services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status="handling")
    services.request_rate(
        actor=None,
        scope=as_person(world.member),
        request=request,
        score=4,
        comment="及时",
        expected_status="done",
    )
    request.refresh_from_db()
    assert (request.satisfaction, request.satisfaction_comment) == (4, "及时")
    assert _audited("onestop.request_rate", request)
    with pytest.raises(RuleViolation, match="已评价"):
        services.request_rate(
            actor=None, scope=as_person(world.member), request=request, score=1, expected_status="done"
        )


def test_rate_by_someone_else_is_not_found(world):
    request = submit(world.member)
    services.request_refuse(actor=None, scope=SYSTEM, request=request, expected_status=None, reason="x")
    with pytest.raises(NotFound):
        services.request_rate(
            actor=None, scope=as_person(world.secretary), request=request, score=5, expected_status="refused"
        )


@pytest.mark.parametrize("score", [0, 6])
def test_rate_outside_one_to_five_is_refused(world, score):
    request = submit(world.member)
    services.request_refuse(actor=None, scope=SYSTEM, request=request, expected_status=None, reason="x")
    with pytest.raises(RuleViolation, match="1 至 5"):
        services.request_rate(
            actor=None, scope=as_person(world.member), request=request, score=score, expected_status="refused"
        )


def test_an_outsider_cannot_handle(world, outsider_organizer):
    request = submit(world.member)
    with pytest.raises(NotFound):
        services.request_take(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            request=request,
            expected_status="submitted",
        )


def test_the_secretary_handles_the_branch_but_not_the_college(world, branch_secretary):
    scope = resolve_scope(branch_secretary)
    services.request_take(
        actor=branch_secretary, scope=scope, request=submit(world.member), expected_status="submitted"
    )
    proof_request = submit(world.member, K.PROOF_MEMBERSHIP)
    with pytest.raises(NotFound):
        services.request_take(
            actor=branch_secretary, scope=scope, request=proof_request, expected_status="submitted"
        )


def test_nobody_handles_their_own_request(world, branch_secretary):
    own = submit(world.secretary, K.LONG_LEAVE, LEAVE)
    with pytest.raises(NotFound):
        services.request_take(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            request=own,
            expected_status="submitted",
        )


def test_the_college_handles_the_branchs_request(world, college_organizer):
    request = branch_request(world.secretary, world.cs_branch)
    scope = resolve_scope(college_organizer)
    request = services.request_take(
        actor=college_organizer, scope=scope, request=request, expected_status="submitted"
    )
    assert request.handled_by == college_organizer
