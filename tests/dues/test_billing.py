"""Bill generation: set-based, idempotent, from the standard in force, reliefs, probationary start."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core.models import Membership, Standing
from dangjian.dues import services
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import Bill, MonthReport, ReliefKind
from tests import factories as f

D = Decimal
NOV = date(2026, 11, 1)


def test_generation_is_idempotent(billed) -> None:
    count = Bill.objects.count()
    assert count == 6 * 3  # six members, three months
    assert bills_generate(NOV) == 0
    assert Bill.objects.count() == count


def test_bills_follow_the_standard_in_force_that_month(billed) -> None:
    member = billed.member
    services.assessment_set(
        actor=None,
        scope=Scope.system(),
        person=member,
        from_month=date(2026, 12, 1),
        category="employee",
        base=D("3000"),
    )
    bills_generate(date(2026, 12, 1))
    assert Bill.objects.get(person=member, month=NOV).amount == D("76.50")
    assert Bill.objects.get(person=member, month=date(2026, 12, 1)).amount == D("15.00")


def test_a_pay_change_re_amounts_unpaid_open_bills_from_its_month(billed) -> None:
    services.assessment_set(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        from_month=date(2026, 10, 1),
        category="employee",
        base=D("6000"),
    )
    amounts = dict(Bill.objects.filter(person=billed.member).values_list("month", "amount"))
    assert amounts == {date(2026, 9, 1): D("76.50"), date(2026, 10, 1): D("90.00"), NOV: D("90.00")}
    assert MonthReport.objects.get(organization=billed.cs_branch, month=NOV).due_amount == D("76.50") * 2 + D(
        "90.00"
    )


def test_members_without_a_standard_or_off_the_roll_get_no_bill(billed, today) -> None:
    newcomer = f.member(billed.cs_branch, "新来的")
    Membership.objects.filter(person=billed.fl_member).update(standing=Standing.DECEASED)
    bills_generate(date(2026, 12, 1))
    assert not Bill.objects.filter(person=newcomer).exists()
    assert not Bill.objects.filter(person=billed.fl_member, month=date(2026, 12, 1)).exists()


def test_probationary_members_are_billed_from_the_month_the_branch_accepted_them(world, today) -> None:
    probationer = f.member(world.cs_branch, "预备", full=False, joined_on=date(2026, 10, 20))
    services.assessment_set(
        actor=None, scope=Scope.system(), person=probationer, from_month=date(2026, 9, 1), category="student"
    )
    assert bills_generate(date(2026, 9, 1)) == 0
    bills_generate(date(2026, 10, 1))
    assert Bill.objects.get(person=probationer).month == date(2026, 10, 1)


def test_an_approved_relief_sets_the_billed_amount(billed, college_organizer, branch_secretary) -> None:
    relief = services.relief_request(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        person=billed.member,
        kind=ReliefKind.EXEMPT,
        from_month=date(2026, 12, 1),
        to_month=date(2027, 2, 1),
        reason="家庭困难",
    )
    assert relief.approver_org == billed.cs  # the next-level committee
    services.relief_decide(
        actor=college_organizer, scope=resolve_scope(college_organizer), relief=relief, approve=True
    )
    bills_generate(date(2026, 12, 1))
    bill = Bill.objects.get(person=billed.member, month=date(2026, 12, 1))
    assert (bill.standard_amount, bill.amount, bill.relief_id) == (D("76.50"), D("0.00"), relief.pk)


def test_monthly_reports_hold_exact_totals(billed) -> None:
    report = MonthReport.objects.get(organization=billed.cs_branch, month=NOV)
    assert (report.due_count, report.due_amount, report.unpaid_count) == (3, D("229.50"), 3)


def test_a_big_run_refreshes_planner_statistics_and_a_small_one_does_not(
    billed, settings, monkeypatch
) -> None:
    calls: list[tuple[tuple[object, ...], int | None]] = []
    monkeypatch.setattr(
        "dangjian.dues.billing.analyze", lambda *models, rows=None: calls.append((models, rows)) or []
    )
    bills_generate(date(2026, 12, 1))
    assert calls and calls[-1][0] == (Bill, MonthReport)
    assert calls[-1][1] == Bill.objects.filter(month=date(2026, 12, 1)).count()  # the threshold decides
