"""Writes of the dues module: bill runs, standards, reliefs, payments (an append-only ledger), declarations.

Every function takes the caller's ``scope`` and asks ``access`` whether it may act (out of scope answers
``NotFound``, as the pages answer 404; the platform itself passes ``Scope.system()``), then validates,
locks what it changes, refreshes the affected monthly totals and records an audit event, all in one
transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, Person
from dangjian.dues import access, rules
from dangjian.dues.billing import bills_generate, refresh_branch_reports
from dangjian.dues.models import (
    Assessment,
    BaseMethod,
    Bill,
    DecisionStatus,
    Declaration,
    DuesCategory,
    Entry,
    EntryKind,
    MonthReport,
    PayMethod,
    Relief,
    ReliefKind,
    ReportStatus,
    YearConfirmation,
)
from dangjian.dues.rules import first_of_month
from dangjian.dues.selectors import (
    declaration_by_key,
    payment_batch,
    relief_in_force,
    standard_for_year,
    standard_in_force,
)
from dangjian.kit.dates import add_months, not_in_future
from dangjian.kit.errors import DomainError, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

ZERO = Decimal("0")


def member_branch(person: Person) -> Organization:
    """The branch holding the person's membership; dues are only for members on the roll."""
    membership = Membership.objects.filter(person=person).select_related("organization").first()
    if membership is None or membership.standing not in ON_ROLL_STANDINGS:
        raise RuleViolation(_("%(n)s 不是在册党员，无需交纳党费") % {"n": person.name})
    return membership.organization


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _refuse_foreign_key(model: Any, key: str | None) -> None:
    """After a unique-key clash that is no replay for this member: the one-time key of a form was
    already used for someone else (a crafted or copied form) — a refusal, not a server error."""
    if key and model.objects.filter(idempotency_key=key).exists():
        raise RuleViolation(_("该提交已被使用，请刷新页面后重新填写"), code="key_used")


def open_period(org: Organization, month: date) -> date:
    """The first month from ``month`` on whose report is not confirmed: where a new entry is counted."""
    locked = set(
        MonthReport.objects.filter(
            organization=org, month__gte=month, status=ReportStatus.CONFIRMED
        ).values_list("month", flat=True)
    )
    while month in locked:
        month = add_months(month, 1)
    return month


# ---------------------------------------------------------------- bills (应交)


def bills_run(*, actor: Any, scope: Scope, month: date) -> int:
    """The school's organizer (re)runs a month's bill generation by hand (idempotent, audited); the
    monthly task calls ``billing.bills_generate`` itself."""
    access.refuse_unless(access.may_generate_bills(scope))
    with transaction.atomic():
        created = bills_generate(month)
        audit.record(actor=actor, action="dues.bills_generate", changes={"month": month, "created": created})
    return created


# ---------------------------------------------------------------- standards (交纳标准)


def _apply_to_open_bills(
    person: Person, from_month: date, to_month: date | None = None
) -> set[tuple[int, date]]:
    """Re-amount the person's bills in months not yet confirmed, after a standard or relief changed."""
    touched: set[tuple[int, date]] = set()
    bills = Bill.objects.select_for_update().filter(person=person, month__gte=from_month)
    if to_month is not None:
        bills = bills.filter(month__lte=to_month)
    for bill in bills:
        if MonthReport.objects.filter(
            organization_id=bill.organization_id, month=bill.month, status=ReportStatus.CONFIRMED
        ).exists():
            continue
        standard = standard_in_force(person, bill.month)
        if standard is None:
            continue
        relief = relief_in_force(person, bill.month)
        amount = standard.amount if relief is None else min(relief.monthly_amount, standard.amount)
        if (bill.amount, bill.standard_amount, bill.assessment_id, bill.relief_id) != (
            amount,
            standard.amount,
            standard.pk,
            getattr(relief, "pk", None),
        ):
            bill.amount, bill.standard_amount, bill.assessment, bill.relief = (
                amount,
                standard.amount,
                standard,
                relief,
            )
            bill.rule_code = standard.rule_code
            bill.save(update_fields=["amount", "standard_amount", "assessment", "relief", "rule_code"])
            touched.add((bill.organization_id, bill.month))
    return touched


def assessment_set(
    *,
    actor: Any,
    person: Person,
    from_month: date,
    category: str,
    base: Decimal | None = None,
    pay_items: rules.PayItems | None = None,
    fixed_amount: Decimal | None = None,
    note: str = "",
    scope: Scope,
) -> Assessment:
    """Set a member's dues standard from a month on (a pay change applies from the month first paid).

    The base is entered directly or computed from 事业单位 pay items; unpaid bills of open months from
    ``from_month`` on follow the new amount.
    """
    from_month = first_of_month(from_month)
    if category not in DuesCategory.values:
        raise RuleViolation(_("未知的党费类别“%(c)s”") % {"c": category}, field="category")
    method = BaseMethod.NONE
    items_json: dict[str, str] = {}
    if category in rules.BASE_CATEGORIES:
        if pay_items is not None:
            base = rules.base_from_items(pay_items)
            method = BaseMethod.ITEMS
            items_json = {
                name: str(getattr(pay_items, name))
                for name in rules.PayItems.INCLUDED + rules.PayItems.DEDUCTED
            }
        elif base is not None:
            method = BaseMethod.DIRECT
        else:
            raise RuleViolation(_("请填写交纳基数或工资项目"), field="base")
    else:
        base = None
    quote = rules.monthly_dues(category, base, from_month, fixed_amount=fixed_amount)
    with transaction.atomic():
        person = _lock_person(person)
        branch = member_branch(person)
        access.refuse_unless(access.may_manage(scope, branch))
        existing = Assessment.objects.filter(person=person, from_month=from_month).first()
        values = {
            "category": category,
            "base_method": method,
            "base": base,
            "pay_items": items_json,
            "rate": quote.rate,
            "amount": quote.amount,
            "rule_code": quote.rule_code,
            "note": note,
        }
        before = {k: getattr(existing, k) for k in values} if existing else {}
        if existing is None:
            assessment = Assessment.objects.create(
                person=person, from_month=from_month, created_by=actor, **values
            )
        else:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            assessment = existing
        touched = _apply_to_open_bills(person, from_month)
        refresh_branch_reports(touched)
        audit.record(
            actor=actor,
            action="dues.assessment_set",
            target=assessment,
            org=branch,
            changes={"from_month": from_month, "before": before, "after": values},
        )
    return assessment


YEAR_OPEN, YEAR_CONFIRMED = "open", "confirmed"


def year_state(org: Organization, year: int) -> str:
    """The state of a branch's year as its page shows it (there is no row until it is confirmed)."""
    exists = YearConfirmation.objects.filter(organization=org, year=year).exists()
    return YEAR_CONFIRMED if exists else YEAR_OPEN


def year_confirm(
    *,
    actor: Any,
    scope: Scope,
    org: Organization,
    year: int,
    expected_status: str | None = None,
) -> YearConfirmation:
    """The branch confirms this year's monthly amounts (年初核定); members without a standard block it."""
    access.refuse_unless(access.may_manage(scope, org))
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=org.pk).first()  # one confirmation at a time
        expect_state(year_state(org, year), expected_status)
        return _year_confirm(actor=actor, org=org, year=year)


def _year_confirm(*, actor: Any, org: Organization, year: int) -> YearConfirmation:
    members = Membership.objects.filter(organization=org, standing__in=ON_ROLL_STANDINGS).select_related(
        "person"
    )
    missing, total = [], ZERO
    for membership in members:
        standard = standard_for_year(membership.person, year)
        if standard is None:
            missing.append(membership.person.name)
        else:
            total += standard.amount
    if missing:
        raise RuleViolation(
            _("以下党员还没有党费标准：%(names)s")
            % {"names": "、".join(missing[:20]) + ("…" if len(missing) > 20 else "")}
        )
    with transaction.atomic():
        confirmation, created = YearConfirmation.objects.get_or_create(
            organization=org,
            year=year,
            defaults={"confirmed_by": actor, "member_count": len(members), "total_amount": total},
        )
        if not created:
            raise RuleViolation(_("%(y)s 年度党费已核定") % {"y": year})
        audit.record(
            actor=actor,
            action="dues.year_confirm",
            target=confirmation,
            org=org,
            changes={"year": year, "members": len(members), "monthly_total": total},
        )
    return confirmation


# ---------------------------------------------------------------- reliefs (减免)


def relief_approver(person: Person) -> Organization:
    """Retirees' reliefs are approved by their branch; others' by the next-level committee."""
    branch = member_branch(person)
    standard = standard_in_force(person, timezone.localdate())
    if standard is not None and standard.category == DuesCategory.RETIREE:
        return branch
    return Organization.objects.get_parent(branch) or branch  # type: ignore[no-any-return]


def relief_request(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    kind: str,
    from_month: date,
    to_month: date,
    reason: str,
    monthly_amount: Decimal = ZERO,
) -> Relief:
    """Ask for a reduction or exemption of a member's dues over some months, for the approver org to decide.

    A request identical to one still pending (same member, kind and months) returns that one.
    """
    from_month, to_month = first_of_month(from_month), first_of_month(to_month)
    if to_month < from_month:
        raise RuleViolation(_("截止月份不能早于起始月份"), field="to_month")
    if not reason.strip():
        raise RuleViolation(_("请说明减免原因"), field="reason")
    if kind == ReliefKind.EXEMPT:
        monthly_amount = ZERO
    elif monthly_amount <= 0:
        raise RuleViolation(_("减交请填写减交后的每月金额"), field="monthly_amount")
    with transaction.atomic():
        person = _lock_person(person)
        branch = member_branch(person)
        access.refuse_unless(access.may_manage(scope, branch))
        # A repeated form (double click, back button, retry) returns the first request, not a twin.
        twin = Relief.objects.filter(
            person=person,
            kind=kind,
            from_month=from_month,
            to_month=to_month,
            status=DecisionStatus.PENDING,
        ).first()
        if twin is not None:
            return twin
        relief = Relief.objects.create(
            person=person,
            kind=kind,
            monthly_amount=monthly_amount,
            from_month=from_month,
            to_month=to_month,
            reason=reason.strip(),
            approver_org=relief_approver(person),
            requested_by=actor,
        )
        audit.record(
            actor=actor,
            action="dues.relief_request",
            target=relief,
            org=branch,
            changes={
                "kind": kind,
                "from": from_month,
                "to": to_month,
                "amount": monthly_amount,
                "reason": reason,
            },
        )
    return relief


def relief_decide(
    *,
    actor: Any,
    scope: Scope,
    relief: Relief,
    approve: bool,
    note: str = "",
    expected_status: str | None = None,
) -> Relief:
    """Approve or refuse a pending relief; its approver org decides (``access.may_decide_relief``)."""
    with transaction.atomic():
        relief = Relief.objects.select_for_update().select_related("approver_org").get(pk=relief.pk)
        access.refuse_unless(access.may_decide_relief(scope, relief.approver_org))
        expect_state(relief.status, expected_status)
        if relief.status != DecisionStatus.PENDING:
            raise RuleViolation(_("该申请已审批"))
        if (
            approve
            and Relief.objects.filter(
                person_id=relief.person_id,
                status=DecisionStatus.APPROVED,
                from_month__lte=relief.to_month,
                to_month__gte=relief.from_month,
            ).exists()
        ):
            raise RuleViolation(_("与已批准的减免期间重叠"))
        if not approve and not note.strip():
            raise RuleViolation(_("不批准时请填写理由"), field="note")
        relief.status = DecisionStatus.APPROVED if approve else DecisionStatus.REFUSED
        relief.decided_by, relief.decided_at, relief.decision_note = actor, timezone.now(), note.strip()
        relief.save()
        touched: set[tuple[int, date]] = set()
        if approve:
            touched = _apply_to_open_bills(relief.person, relief.from_month, relief.to_month)
        refresh_branch_reports(touched)
        audit.record(
            actor=actor,
            action="dues.relief_decide",
            target=relief,
            org=relief.approver_org,
            changes={"status": relief.status, "note": relief.decision_note},
        )
    return relief


# ---------------------------------------------------------------- payments (the ledger)


def _amount_for_month(person: Person, month: date, today: date) -> tuple[Decimal, Bill | None]:
    """What is still owed for a month: the bill's outstanding part, or for a future month the standard."""
    policy = get_policy()
    bill = Bill.objects.select_for_update().filter(person=person, month=month).first()
    if bill is not None:
        outstanding = bill.amount - bill.paid_amount
        if outstanding <= 0:
            raise RuleViolation(_("%(m)s 的党费已交清") % {"m": f"{month:%Y-%m}"}, field="months")
        return outstanding, bill
    current = first_of_month(today)
    if month <= current:
        raise RuleViolation(_("%(m)s 没有应交党费记录") % {"m": f"{month:%Y-%m}"}, field="months")
    if rules.months_between(current, month) > policy.dues_advance_max_months:
        raise RuleViolation(_("最多预交 %(n)s 个月") % {"n": policy.dues_advance_max_months}, field="months")
    standard = standard_in_force(person, month)
    if standard is None:
        raise RuleViolation(_("尚未设定党费标准，不能预交"), field="months")
    relief = relief_in_force(person, month)
    amount = standard.amount if relief is None else min(standard.amount, relief.monthly_amount)
    if amount <= 0:
        raise RuleViolation(_("%(m)s 已免交") % {"m": f"{month:%Y-%m}"}, field="months")
    return amount, None


def payment_record(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    months: Iterable[date],
    method: str,
    reference: str = "",
    reason: str = "",
    idempotency_key: str | None = None,
    paid_on: date | None = None,
    today: date | None = None,
) -> list[Entry]:
    """Record a payment of one or more months (back-pay, current, or in advance with the branch's consent).

    Each month is paid in full (its outstanding amount). Back-pay older than the policy's months needs a
    reason. The same idempotency key twice records one payment and returns it, before any validation.
    ``paid_on`` (the day the money was handed over, default today) cannot lie in the future; the months
    paid may (paying in advance).
    """
    existing = payment_batch(idempotency_key, person)
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    paid_on = paid_on or today
    not_in_future(paid_on, field="paid_on", label=_("交纳日期"), today=today)
    policy = get_policy()
    months = sorted({first_of_month(m) for m in months})
    if not months:
        raise RuleViolation(_("请选择要交纳的月份"), field="months")
    if method not in PayMethod.values:
        raise RuleViolation(_("未知的交纳方式"), field="method")
    if method == PayMethod.TRANSFER and not reference.strip():
        raise RuleViolation(_("银行转账请填写凭证号(流水号)"), field="reference")
    oldest_allowed = add_months(first_of_month(today), -policy.dues_backpay_months)
    if months[0] < oldest_allowed and not reason.strip():
        raise RuleViolation(
            _("补交超过 %(n)s 个月的党费须说明原因") % {"n": policy.dues_backpay_months}, field="reason"
        )
    try:
        with transaction.atomic():
            person = _lock_person(person)
            existing = payment_batch(idempotency_key, person)  # a concurrent twin may have committed
            if existing is not None:
                return existing
            branch = member_branch(person)
            access.refuse_unless(access.may_manage(scope, branch))
            batch = uuid.uuid4().hex
            entries, touched = [], set()
            for index, month in enumerate(months):
                amount, bill = _amount_for_month(person, month, today)
                period = open_period(branch, month)
                entries.append(
                    Entry.objects.create(
                        person=person,
                        organization=branch,
                        kind=EntryKind.PAYMENT,
                        month=month,
                        period=period,
                        amount=amount,
                        method=method,
                        reference=reference.strip(),
                        reason=reason.strip(),
                        paid_on=paid_on,
                        batch=batch,
                        idempotency_key=idempotency_key if index == 0 else None,
                        recorded_by=actor,
                    )
                )
                if bill is not None:
                    bill.paid_amount += amount
                    bill.save(update_fields=["paid_amount"])
                    touched.add((bill.organization_id, month))
                touched.add((branch.pk, period))
            refresh_branch_reports(touched)
            audit.record(
                actor=actor,
                action="dues.payment_record",
                target=person,
                org=branch,
                changes={
                    "batch": batch,
                    "method": method,
                    "reference": reference,
                    "paid_on": paid_on,
                    "months": {f"{e.month:%Y-%m}": e.amount for e in entries},
                    "total": sum((e.amount for e in entries), ZERO),
                },
            )
    except IntegrityError:
        existing = payment_batch(idempotency_key, person)
        if existing is None:
            _refuse_foreign_key(Entry, idempotency_key)
            raise
        return existing
    return entries


def large_payment_record(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    amount: Decimal,
    method: str,
    reference: str = "",
    reason: str = "",
    idempotency_key: str | None = None,
    paid_on: date | None = None,
    today: date | None = None,
) -> Entry:
    """A voluntary one-off payment of 大额党费 (≥ the policy threshold), routed wholly upward.

    A repeated one-time key returns the first entry before any validation."""
    existing = payment_batch(idempotency_key, person)
    if existing:
        return existing[0]
    today = today or timezone.localdate()
    paid_on = paid_on or today
    not_in_future(paid_on, field="paid_on", label=_("交纳日期"), today=today)
    threshold = get_policy().dues_large_payment_threshold
    if amount < threshold:
        raise RuleViolation(_("大额党费须不少于 %(t)s 元") % {"t": threshold}, field="amount")
    if method not in PayMethod.values:
        raise RuleViolation(_("未知的交纳方式"), field="method")
    try:
        with transaction.atomic():
            person = _lock_person(person)
            existing = payment_batch(idempotency_key, person)  # a concurrent twin may have committed
            if existing:
                return existing[0]
            branch = member_branch(person)
            access.refuse_unless(access.may_manage(scope, branch))
            period = open_period(branch, first_of_month(today))
            entry = Entry.objects.create(
                person=person,
                organization=branch,
                kind=EntryKind.LARGE,
                month=None,
                period=period,
                amount=amount,
                method=method,
                reference=reference.strip(),
                reason=reason.strip(),
                paid_on=paid_on,
                batch=uuid.uuid4().hex,
                idempotency_key=idempotency_key,
                recorded_by=actor,
            )
            refresh_branch_reports([(branch.pk, period)])
            audit.record(
                actor=actor,
                action="dues.large_payment",
                target=entry,
                org=branch,
                changes={
                    "amount": amount,
                    "method": method,
                    "reference": reference,
                    "reason": reason,
                    "paid_on": paid_on,
                },
            )
            notify(
                upper_organizers(branch),
                "dues_large_payment",
                _("%(name)s 交纳大额党费 %(a)s 元，须全额上交") % {"name": person.name, "a": amount},
                "",
                reverse("dues:person", args=[person.pk]),
            )
    except IntegrityError:
        existing = payment_batch(idempotency_key, person)
        if not existing:
            _refuse_foreign_key(Entry, idempotency_key)
            raise
        return existing[0]
    return entry


ENTRY_RECORDED, ENTRY_REVERSED, ENTRY_REVERSAL = "recorded", "reversed", "reversal"


def entry_state(entry: Entry) -> str:
    """A ledger entry's state as a page shows it: recorded, reversed (a reversal points at it), or
    itself a reversal."""
    if entry.kind == EntryKind.REVERSAL:
        return ENTRY_REVERSAL
    return ENTRY_REVERSED if Entry.objects.filter(reverses=entry).exists() else ENTRY_RECORDED


def entry_reverse(
    *,
    actor: Any,
    scope: Scope,
    entry: Entry,
    reason: str,
    today: date | None = None,
    expected_status: str | None = None,
) -> Entry:
    """Correct a ledger entry by a reversing entry (the original is never edited).

    The reversal is counted in the first open month from today's: a confirmed month stays as confirmed.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("organization").get(pk=entry.pk)
        access.refuse_unless(access.may_reverse(scope, entry))
        state = entry_state(entry)
        expect_state(state, expected_status)
        if state == ENTRY_REVERSAL:
            raise RuleViolation(_("冲正记录不能再冲正"))
        if state == ENTRY_REVERSED:
            raise RuleViolation(_("该记录已冲正"))
        if not reason.strip():
            raise RuleViolation(_("请填写冲正原因"), field="reason")
        branch = entry.organization
        period = open_period(branch, max(first_of_month(today), entry.period))
        reversal = Entry.objects.create(
            person_id=entry.person_id,
            organization=branch,
            kind=EntryKind.REVERSAL,
            month=entry.month,
            period=period,
            amount=-entry.amount,
            method=entry.method,
            reference=entry.reference,
            reason=reason.strip(),
            paid_on=today,
            batch=uuid.uuid4().hex,
            reverses=entry,
            recorded_by=actor,
        )
        touched = {(branch.pk, period)}
        if entry.month is not None:
            bill = (
                Bill.objects.select_for_update().filter(person_id=entry.person_id, month=entry.month).first()
            )
            if bill is not None:
                bill.paid_amount -= entry.amount
                bill.save(update_fields=["paid_amount"])
                touched.add((bill.organization_id, bill.month))
        refresh_branch_reports(touched)
        audit.record(
            actor=actor,
            action="dues.entry_reverse",
            target=reversal,
            org=branch,
            changes={"reverses": entry.pk, "amount": reversal.amount, "period": period, "reason": reason},
        )
    return reversal


# ---------------------------------------------------------------- member declarations ("我已交纳")


def declaration_submit(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    months: Iterable[date],
    method: str,
    reference: str = "",
    paid_on: date | None = None,
    idempotency_key: str | None = None,
    today: date | None = None,
) -> Declaration:
    """A member's "I paid on ``paid_on``" (not in the future); a repeated form returns the first one."""
    access.refuse_unless(access.may_declare(scope, person))
    existing = declaration_by_key(idempotency_key, person)
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    paid_on = paid_on or today
    not_in_future(paid_on, field="paid_on", label=_("交纳日期"), today=today)
    months = sorted({first_of_month(m) for m in months})
    if not months:
        raise RuleViolation(_("请选择要申报的月份"), field="months")
    if method not in PayMethod.values:
        raise RuleViolation(_("未知的交纳方式"), field="method")
    try:
        with transaction.atomic():
            person = _lock_person(person)
            existing = declaration_by_key(idempotency_key, person)  # a concurrent twin may have committed
            if existing is not None:
                return existing
            branch = member_branch(person)
            if Declaration.objects.filter(person=person, status=DecisionStatus.PENDING).exists():
                raise RuleViolation(_("您已有一条待确认的申报，请等待支部确认"))
            bills = {b.month: b for b in Bill.objects.filter(person=person, month__in=months)}
            total = ZERO
            for month in months:
                bill = bills.get(month)
                if bill is None or bill.paid_amount >= bill.amount:
                    raise RuleViolation(_("%(m)s 没有待交的党费") % {"m": f"{month:%Y-%m}"}, field="months")
                total += bill.amount - bill.paid_amount
            declaration = Declaration.objects.create(
                person=person,
                organization=branch,
                months=[m.isoformat() for m in months],
                amount=total,
                method=method,
                reference=reference.strip(),
                paid_on=paid_on,
                idempotency_key=idempotency_key or None,
            )
            audit.record(
                actor=actor,
                action="dues.declaration_submit",
                target=declaration,
                org=branch,
                changes={
                    "months": declaration.months,
                    "amount": total,
                    "method": method,
                    "reference": reference,
                    "paid_on": paid_on,
                },
            )
    except IntegrityError:
        existing = declaration_by_key(idempotency_key, person)
        if existing is None:
            _refuse_foreign_key(Declaration, idempotency_key)
            raise
        return existing
    return declaration


def declaration_decide(
    *,
    actor: Any,
    scope: Scope,
    declaration: Declaration,
    approve: bool,
    note: str = "",
    expected_status: str | None = None,
) -> Declaration:
    """Confirm (the payment enters the ledger, once) or refuse a member's declaration."""
    with transaction.atomic():
        declaration = (
            Declaration.objects.select_for_update().select_related("organization").get(pk=declaration.pk)
        )
        access.refuse_unless(access.may_manage(scope, declaration.organization))
        expect_state(declaration.status, expected_status)
        if declaration.status != DecisionStatus.PENDING:
            raise RuleViolation(_("该申报已处理"))
        if not approve and not note.strip():
            raise RuleViolation(_("不予确认时请说明原因"), field="note")
        if approve:
            payment_record(
                actor=actor,
                # The decision was checked above, on the branch the member declared to; the payment is
                # recorded where the membership is now, as before.
                scope=Scope.system(),
                person=declaration.person,
                months=[date.fromisoformat(m) for m in declaration.months],
                method=declaration.method,
                reference=declaration.reference or _("党员申报"),
                reason=_("党员申报，支部确认"),
                idempotency_key=f"declaration:{declaration.pk}",
                paid_on=declaration.paid_on,
            )
        declaration.status = DecisionStatus.APPROVED if approve else DecisionStatus.REFUSED
        declaration.decided_by, declaration.decided_at = actor, timezone.now()
        declaration.decision_note = note.strip()
        declaration.save()
        audit.record(
            actor=actor,
            action="dues.declaration_decide",
            target=declaration,
            org=declaration.organization,
            changes={"status": declaration.status, "note": declaration.decision_note},
        )
    return declaration


@dataclass(frozen=True)
class BatchOutcome:
    """What a batch confirmation did: the declarations confirmed, and each one skipped with why."""

    confirmed: list[Declaration]
    skipped: list[tuple[Declaration, str]]


def declarations_confirm(
    *, actor: Any, scope: Scope, rows: Iterable[tuple[Declaration, str | None]]
) -> BatchOutcome:
    """Confirm several declarations, each against the state its row showed (``expected_status``).

    Each row is its own transaction (``declaration_decide``, audited per row): one changed meanwhile —
    by a colleague, or this same batch posted twice — is skipped with its message, the others go on."""
    confirmed: list[Declaration] = []
    skipped: list[tuple[Declaration, str]] = []
    for declaration, expected in rows:
        try:
            confirmed.append(
                declaration_decide(
                    actor=actor,
                    scope=scope,
                    declaration=declaration,
                    approve=True,
                    expected_status=expected,
                )
            )
        except DomainError as exc:
            skipped.append((declaration, exc.message))
    return BatchOutcome(confirmed, skipped)


# ---------------------------------------------------------------- online payment (through an adapter)


def online_order_create(
    *, actor: Any, scope: Scope, person: Person, months: Iterable[date], provider: Any
) -> tuple[Any, str]:
    """An order for the outstanding months; the member's browser then goes to the provider's checkout.

    A repeated request (a double tap, a back button) for the same months returns the order still waiting
    for payment instead of opening a second one for the same money."""
    from dangjian.dues.models import OnlineOrder, OrderStatus

    access.refuse_unless(access.may_declare(scope, person))
    months = sorted({first_of_month(m) for m in months})
    if not months:
        raise RuleViolation(_("请选择要交纳的月份"), field="months")
    with transaction.atomic():
        person = _lock_person(person)
        wanted = [m.isoformat() for m in months]
        waiting = next(
            (
                o
                for o in OnlineOrder.objects.filter(
                    person=person, provider=provider.name, status=OrderStatus.CREATED
                ).order_by("-created_at")[:20]
                if o.months == wanted
            ),
            None,
        )
        if waiting is not None:
            url = provider.checkout_url(
                order_id=waiting.order_id, amount=waiting.amount, description=f"党费 {person.name}"
            )
            return waiting, url
        branch = member_branch(person)
        bills = {b.month: b for b in Bill.objects.filter(person=person, month__in=months)}
        total = ZERO
        for month in months:
            bill = bills.get(month)
            if bill is None or bill.paid_amount >= bill.amount:
                raise RuleViolation(_("%(m)s 没有待交的党费") % {"m": f"{month:%Y-%m}"}, field="months")
            total += bill.amount - bill.paid_amount
        order = OnlineOrder.objects.create(
            order_id=uuid.uuid4().hex,
            provider=provider.name,
            person=person,
            months=[m.isoformat() for m in months],
            amount=total,
        )
        audit.record(
            actor=actor,
            action="dues.online_order",
            target=order,
            org=branch,
            changes={"months": order.months, "amount": total, "provider": provider.name},
        )
    url = provider.checkout_url(order_id=order.order_id, amount=total, description=f"党费 {person.name}")
    return order, url


def online_notice_apply(*, notice: Any, provider_name: str) -> Any:
    """Apply a verified gateway notice: a paid order enters the ledger once, whatever the retries."""
    from dangjian.dues.models import OnlineOrder, OrderStatus

    with transaction.atomic():
        order = (
            OnlineOrder.objects.select_for_update()
            .filter(order_id=notice.order_id, provider=provider_name)
            .first()
        )
        if order is None:
            raise RuleViolation(_("订单不存在"))
        if order.status != OrderStatus.CREATED:
            return order
        if not notice.paid:
            order.status = OrderStatus.FAILED
        elif notice.amount != order.amount:
            raise RuleViolation(_("支付金额与订单金额不符"))
        else:
            payment_record(
                actor=None,
                scope=Scope.system(),  # the gateway's signed notice, for an order the member opened
                person=order.person,
                months=[date.fromisoformat(m) for m in order.months],
                method=PayMethod.ONLINE,
                reference=notice.reference,
                reason=_("线上支付"),
                idempotency_key=f"online:{order.order_id}",
                paid_on=timezone.localdate(),
            )
            order.status, order.paid_at = OrderStatus.PAID, timezone.now()
        order.provider_reference = notice.reference
        order.save()
        audit.record(
            actor=None,
            action="dues.online_notice",
            target=order,
            org=order.person.membership.organization,
            changes={"status": order.status, "reference": notice.reference},
        )
    return order
