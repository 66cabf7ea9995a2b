"""对账: branch hands up, college confirms against the ledger (mismatch line by line), school confirms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.dues import reconciliation as rec
from dangjian.dues import selectors, services
from dangjian.dues.models import MonthReport, ReportStatus
from dangjian.kit.errors import RuleViolation

D = Decimal
OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


def pay(person, months):
    return services.payment_record(
        actor=None, scope=Scope.system(), person=person, months=months, method="cash"
    )


def test_handed_up_amount_must_equal_the_ledger(billed, branch_secretary) -> None:
    pay(billed.member, [OCT])
    with pytest.raises(RuleViolation, match="不符"):
        rec.report_submit(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            org=billed.cs_branch,
            month=OCT,
            handed_up_amount=D("70"),
        )
    report = rec.report_submit(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        org=billed.cs_branch,
        month=OCT,
        handed_up_amount=D("76.50"),
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_lines == {str(billed.member.pk): "76.50"}


def test_a_change_after_submission_is_shown_line_by_line_and_blocks_confirmation(
    billed, branch_secretary, college_organizer
) -> None:
    pay(billed.member, [OCT])
    report = rec.report_submit(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        org=billed.cs_branch,
        month=OCT,
        handed_up_amount=D("76.50"),
    )
    pay(billed.secretary, [OCT])  # recorded after the branch handed up
    diffs = rec.differences(report)
    assert [(d.label, d.submitted, d.ledger) for d in diffs] == [("王建国", D("0"), D("76.50"))]
    with pytest.raises(RuleViolation, match="王建国"):
        rec.report_confirm(actor=college_organizer, scope=resolve_scope(college_organizer), report=report)
    rec.report_return(
        actor=college_organizer,
        scope=resolve_scope(college_organizer),
        report=report,
        reason="请核对王建国的党费",
    )
    report = rec.report_submit(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        org=billed.cs_branch,
        month=OCT,
        handed_up_amount=D("153.00"),
    )
    assert (
        rec.report_confirm(
            actor=college_organizer, scope=resolve_scope(college_organizer), report=report
        ).status
        == ReportStatus.CONFIRMED
    )


def test_a_confirmed_month_is_locked(billed, branch_secretary, college_organizer) -> None:
    pay(billed.member, [OCT])
    report = rec.report_submit(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        org=billed.cs_branch,
        month=OCT,
        handed_up_amount=D("76.50"),
    )
    rec.report_confirm(actor=college_organizer, scope=resolve_scope(college_organizer), report=report)
    late = pay(billed.secretary, [OCT])[0]
    assert late.period == NOV
    report.refresh_from_db()
    assert report.collected_amount == D("76.50") and rec.differences(report) == []
    with pytest.raises(RuleViolation, match="已上交"):
        rec.report_submit(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            org=billed.cs_branch,
            month=OCT,
            handed_up_amount=D("0"),
        )


def test_the_college_hands_up_only_after_its_branches_are_confirmed(
    billed, branch_secretary, college_organizer, school_admin
) -> None:
    pay(billed.member, [OCT])
    with pytest.raises(RuleViolation, match="尚未确认"):
        rec.report_submit(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            org=billed.cs,
            month=OCT,
            handed_up_amount=D("76.50"),
        )
    branch = rec.report_submit(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        org=billed.cs_branch,
        month=OCT,
        handed_up_amount=D("76.50"),
    )
    rec.report_confirm(actor=college_organizer, scope=resolve_scope(college_organizer), report=branch)
    college = rec.report_submit(
        actor=college_organizer,
        scope=resolve_scope(college_organizer),
        org=billed.cs,
        month=OCT,
        handed_up_amount=D("76.50"),
    )
    assert college.submitted_lines == {str(billed.cs_branch.pk): "76.50"}
    assert college.due_amount == D("229.50")
    assert (
        rec.report_confirm(actor=school_admin, scope=resolve_scope(school_admin), report=college).status
        == ReportStatus.CONFIRMED
    )


def test_future_months_cannot_be_handed_up(billed, branch_secretary) -> None:
    with pytest.raises(RuleViolation, match="未到"):
        rec.report_submit(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            org=billed.cs_branch,
            month=date(2026, 12, 1),
            handed_up_amount=D("0"),
        )


def test_school_page_totals_roll_up_from_branch_reports(billed) -> None:
    pay(billed.member, [NOV])
    totals = selectors.org_totals(billed.school, NOV)
    assert (totals["due_count"], totals["due_amount"], totals["collected_amount"]) == (
        6,
        D("459.00"),
        D("76.50"),
    )
    lines = {line.name: line for line in selectors.child_lines(billed.school, NOV)}
    assert lines["中共示范大学计算机学院委员会"].paid_count == 1
    assert lines["中共示范大学外国语学院委员会"].unpaid_amount == D("229.50")
    assert MonthReport.objects.filter(month=NOV).count() == 2
