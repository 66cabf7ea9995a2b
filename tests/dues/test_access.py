"""Who may act on dues: the services ask the same predicates as the pages, so a call with the user's
scope is refused even when a page forgot to check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.dues import access, services
from dangjian.dues import reconciliation as rec
from dangjian.dues.models import DecisionStatus, MonthReport, ReportStatus
from dangjian.kit.errors import NotFound

NOV = date(2026, 11, 1)


@pytest.fixture
def submitted(billed):
    services.payment_record(actor=None, person=billed.member, months=[NOV], method="cash")
    return rec.report_submit(actor=None, org=billed.cs_branch, month=NOV, handed_up_amount=Decimal("76.50"))


def test_a_branch_cannot_confirm_its_own_month_even_through_the_service(
    submitted, branch_secretary, college_organizer
) -> None:
    with pytest.raises(NotFound):
        rec.report_confirm(
            actor=branch_secretary,
            report=submitted,
            expected_status="submitted",
            scope=resolve_scope(branch_secretary),
        )
    assert MonthReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    rec.report_confirm(
        actor=college_organizer,
        report=submitted,
        expected_status="submitted",
        scope=resolve_scope(college_organizer),
    )


def test_another_college_cannot_return_or_decide(billed, submitted, outsider_organizer) -> None:
    scope = resolve_scope(outsider_organizer)
    with pytest.raises(NotFound):
        rec.report_return(actor=outsider_organizer, report=submitted, reason="x", scope=scope)
    relief = services.relief_request(
        actor=None, person=billed.member, kind="exempt", from_month=NOV, to_month=NOV, reason="困难"
    )
    with pytest.raises(NotFound):
        services.relief_decide(actor=outsider_organizer, relief=relief, approve=True, scope=scope)
    relief.refresh_from_db()
    assert relief.status == DecisionStatus.PENDING


def test_a_plain_member_cannot_decide_their_own_declaration(billed, member_user) -> None:
    declaration = services.declaration_submit(actor=None, person=billed.member, months=[NOV], method="cash")
    with pytest.raises(NotFound):
        services.declaration_decide(
            actor=member_user, declaration=declaration, approve=True, scope=resolve_scope(member_user)
        )


def test_relief_deciders_follow_the_approver_org(billed, branch_secretary, college_organizer) -> None:
    # a non-retiree's relief is decided by the committee above the branch, not by the branch
    assert not access.may_decide_relief(resolve_scope(branch_secretary), billed.cs)
    assert access.may_decide_relief(resolve_scope(college_organizer), billed.cs)
    assert access.may_decide_relief(resolve_scope(branch_secretary), billed.cs_branch)
