"""The ledger: payments, advance and back-pay, idempotency, reversals, declarations, large payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.dues import services
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import Bill, DecisionStatus, Entry, EntryKind, MonthReport, ReportStatus
from dangjian.kit.errors import RuleViolation

D = Decimal
SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))


def pay(person, months, **kw):
    kw.setdefault("method", "cash")
    return services.payment_record(actor=None, scope=Scope.system(), person=person, months=months, **kw)


def test_paying_months_settles_their_bills_and_is_audited(billed) -> None:
    entries = pay(billed.member, [SEP, OCT])
    assert [e.amount for e in entries] == [D("76.50"), D("76.50")]
    assert all(b.is_paid for b in Bill.objects.filter(person=billed.member, month__in=[SEP, OCT]))
    assert (
        AuditEvent.objects.filter(action="dues.payment_record", target_id=str(billed.member.pk)).count() == 1
    )
    report = MonthReport.objects.get(organization=billed.cs_branch, month=SEP)
    assert (report.paid_count, report.collected_amount) == (1, D("76.50"))


def test_a_paid_month_cannot_be_paid_twice(billed) -> None:
    pay(billed.member, [NOV])
    with pytest.raises(RuleViolation, match="已交清"):
        pay(billed.member, [NOV])


def test_the_same_idempotency_key_records_one_payment(billed) -> None:
    first = pay(billed.member, [NOV], idempotency_key="k-1")
    again = pay(billed.member, [NOV], idempotency_key="k-1")
    assert [e.pk for e in first] == [e.pk for e in again]
    assert Entry.objects.filter(person=billed.member).count() == 1


def test_transfer_needs_a_reference(billed) -> None:
    with pytest.raises(RuleViolation, match="凭证号"):
        pay(billed.member, [NOV], method="transfer")


def test_paying_ahead_is_limited_and_counts_when_the_bill_comes(billed) -> None:
    entries = pay(billed.member, [DEC, date(2027, 1, 1)])
    assert [e.period for e in entries] == [DEC, date(2027, 1, 1)]
    bills_generate(DEC)
    assert Bill.objects.get(person=billed.member, month=DEC).is_paid
    with pytest.raises(RuleViolation, match="最多预交"):
        pay(billed.member, [date(2027, 6, 1)])


def test_back_pay_beyond_six_months_needs_a_reason(world, today) -> None:
    services.assessment_set(
        actor=None, scope=Scope.system(), person=world.member, from_month=date(2026, 1, 1), category="student"
    )
    for m in range(1, 12):
        bills_generate(date(2026, m, 1))
    with pytest.raises(RuleViolation, match="须说明原因"):
        pay(world.member, [date(2026, 4, 1)])
    pay(world.member, [date(2026, 4, 1)], reason="长期出差，返校后补交")
    pay(world.member, [date(2026, 5, 1)])  # within six months: no reason needed


def test_a_reversal_is_a_new_entry_and_reopens_the_bill(billed) -> None:
    (entry,) = pay(billed.member, [NOV])
    reversal = services.entry_reverse(actor=None, scope=Scope.system(), entry=entry, reason="登记错人")
    assert reversal.amount == -entry.amount and reversal.reverses == entry
    assert not Bill.objects.get(person=billed.member, month=NOV).is_paid
    assert Entry.objects.get(pk=entry.pk).amount == D("76.50")  # the original is untouched
    with pytest.raises(RuleViolation, match="已冲正"):
        services.entry_reverse(actor=None, scope=Scope.system(), entry=entry, reason="again")
    with pytest.raises(RuleViolation):
        services.entry_reverse(
            actor=None, scope=Scope.system(), entry=reversal, reason="reverse the reversal"
        )


def test_corrections_after_a_confirmed_month_go_to_the_next_open_month(billed) -> None:
    (entry,) = pay(billed.member, [OCT])
    MonthReport.objects.filter(organization=billed.cs_branch, month=OCT).update(status=ReportStatus.CONFIRMED)
    reversal = services.entry_reverse(actor=None, scope=Scope.system(), entry=entry, reason="金额有误")
    assert reversal.period == NOV
    late = pay(billed.member, [OCT], reason="")[0]
    assert late.period == NOV  # back-pay for a locked month is counted in the next open month
    locked = MonthReport.objects.get(organization=billed.cs_branch, month=OCT)
    assert locked.collected_amount == D("76.50")  # the confirmed month stays as it was confirmed
    nov = MonthReport.objects.get(organization=billed.cs_branch, month=NOV)
    assert nov.adjustment_amount == D("0.00")  # -76.50 + 76.50


def test_member_declaration_is_confirmed_once_into_the_ledger(billed, member_user, branch_secretary) -> None:
    declaration = services.declaration_submit(
        actor=member_user,
        scope=resolve_scope(member_user),
        person=billed.member,
        months=[OCT, NOV],
        method="transfer",
        reference="B123",
    )
    assert declaration.amount == D("153.00")
    with pytest.raises(RuleViolation, match="待确认"):
        services.declaration_submit(
            actor=member_user,
            scope=resolve_scope(member_user),
            person=billed.member,
            months=[SEP],
            method="cash",
        )
    services.declaration_decide(
        actor=branch_secretary, scope=resolve_scope(branch_secretary), declaration=declaration, approve=True
    )
    assert Entry.objects.filter(person=billed.member).count() == 2
    with pytest.raises(RuleViolation, match="已处理"):
        services.declaration_decide(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            declaration=declaration,
            approve=True,
        )


def test_refusing_a_declaration_needs_a_reason_and_records_nothing(
    billed, member_user, branch_secretary
) -> None:
    declaration = services.declaration_submit(
        actor=member_user, scope=resolve_scope(member_user), person=billed.member, months=[NOV], method="cash"
    )
    with pytest.raises(RuleViolation):
        services.declaration_decide(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            declaration=declaration,
            approve=False,
        )
    services.declaration_decide(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        declaration=declaration,
        approve=False,
        note="未收到",
    )
    declaration.refresh_from_db()
    assert declaration.status == DecisionStatus.REFUSED and not Entry.objects.exists()


def test_large_payments_are_marked_and_counted_separately(billed, college_organizer) -> None:
    with pytest.raises(RuleViolation, match="不少于"):
        services.large_payment_record(
            actor=None, scope=Scope.system(), person=billed.member, amount=D("999.99"), method="cash"
        )
    entry = services.large_payment_record(
        actor=None, scope=Scope.system(), person=billed.member, amount=D("5000"), method="cash"
    )
    assert entry.kind == EntryKind.LARGE and entry.month is None
    report = MonthReport.objects.get(organization=billed.cs_branch, month=NOV)
    assert report.large_amount == D("5000.00") and report.collected_amount == D("5000.00")
    assert college_organizer.notifications.filter(kind="dues_large_payment").count() == 1  # routed upward


def test_non_members_have_no_dues(world, today) -> None:
    from tests import factories as f

    outsider = f.person("群众甲", organization=world.cs_branch)
    with pytest.raises(RuleViolation, match="不是在册党员"):
        services.assessment_set(
            actor=None, scope=Scope.system(), person=outsider, from_month=NOV, category="student"
        )
