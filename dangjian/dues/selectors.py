"""Reads of the dues module; every function that serves a user takes the scope first or an org already
fetched through it (``core.selectors.get_org_for``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind, Person
from dangjian.dues import access
from dangjian.dues.models import (
    Assessment,
    Bill,
    DecisionStatus,
    Declaration,
    Entry,
    MonthReport,
    MonthState,
    Relief,
    ReportStatus,
)
from dangjian.dues.rules import first_of_month, month_state
from dangjian.kit.dates import add_months

ZERO = Decimal("0")
TOTAL_FIELDS = (
    "due_count",
    "due_amount",
    "paid_count",
    "unpaid_count",
    "unpaid_amount",
    "collected_amount",
    "adjustment_amount",
    "large_amount",
)


@dataclass
class Line:
    """One row of a reconciliation page: a child org (upper levels) or a member (branch level)."""

    key: int
    name: str
    link_org: int | None
    due_count: int = 0
    due_amount: Decimal = ZERO
    paid_count: int = 0
    unpaid_count: int = 0
    unpaid_amount: Decimal = ZERO
    collected_amount: Decimal = ZERO
    adjustment_amount: Decimal = ZERO
    large_amount: Decimal = ZERO
    status: str = ""
    status_label: str = ""
    report_id: int | None = None
    handed_up_amount: Decimal | None = None
    months_unpaid: int = 0
    # A member line: the month's state (未交 / 待确认 / 已交 / 免交; "" without a bill) …
    state: str = ""
    state_label: str = ""
    # … and the org path: the org path of the member's current membership ("" when none) — where the
    # member's own dues page is visible from (``access.member_path``).
    path: str = ""


CENT = Decimal("0.01")


@dataclass(frozen=True)
class BillLine:
    """One billed month with its state (未交 / 待确认 / 已交 / 免交) as the member and the branch see it."""

    month: date
    amount: Decimal
    paid_amount: Decimal
    relief_id: int | None
    state: str

    @property
    def state_label(self) -> str:
        return str(MonthState(self.state).label)

    @property
    def is_paid(self) -> bool:
        return self.state in (MonthState.PAID, MonthState.EXEMPT)


def bill_line(bill: Bill, declared: set[date] | frozenset[date] = frozenset()) -> BillLine:
    return BillLine(
        month=bill.month,
        amount=bill.amount,
        paid_amount=bill.paid_amount,
        relief_id=bill.relief_id,
        state=month_state(amount=bill.amount, paid_amount=bill.paid_amount, declared=bill.month in declared),
    )


def declared_months(declarations: Any) -> dict[int, set[date]]:
    """{person id: the months of their declarations still waiting for the branch} (pending ones only)."""
    result: dict[int, set[date]] = {}
    for d in declarations:
        if d.status == DecisionStatus.PENDING:
            result.setdefault(d.person_id, set()).update(date.fromisoformat(m) for m in d.months)
    return result


def pending_declared_months(person_id: int) -> set[date]:
    """The months a member declared paid that the branch has not confirmed yet (one query)."""
    rows = Declaration.objects.filter(person_id=person_id, status=DecisionStatus.PENDING).only(
        "person_id", "months", "status"
    )
    return declared_months(rows).get(person_id, set())


def _norm(name: str, value: Any) -> Any:
    """Counts as int, amounts as Decimal with two places (SQLite sums come back as 229.5)."""
    if name.endswith("_amount"):
        return Decimal(str(value or 0)).quantize(CENT)
    return int(value or 0)


def _sums() -> dict[str, Any]:
    return {name: Sum(name) for name in TOTAL_FIELDS}


def org_totals(org: Organization, month: date) -> dict[str, Any]:
    """The month's totals of an org's whole subtree, from the branches' exact precomputed reports."""
    row = MonthReport.objects.filter(
        month=month, organization__path__startswith=org.path, organization__kind=OrgKind.BRANCH
    ).aggregate(**_sums())
    return {k: _norm(k, v) for k, v in row.items()}


def branch_totals(report: MonthReport | None) -> dict[str, Any]:
    """``org_totals`` of a branch, from its own report read already: a branch's subtree holds no other
    branch (党小组 hold no dues), so its report is the only one summed."""
    return {k: _norm(k, getattr(report, k) if report is not None else None) for k in TOTAL_FIELDS}


def report_of(org: Organization, month: date) -> MonthReport | None:
    return (
        MonthReport.objects.filter(organization=org, month=month)
        .select_related("submitted_by", "confirmed_by")
        .first()
    )


def direct_children_qs(org: Organization) -> QuerySet[Organization]:
    """Active child orgs that hold dues (党小组 do not), by path: safe with a stale ``numchild``."""
    return (
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )


def direct_children(org: Organization) -> list[Organization]:
    return list(direct_children_qs(org))


def child_lines(org: Organization, month: date, children: list[Organization] | None = None) -> list[Line]:
    """Per child org (all, or the given page of them): totals of its subtree (one grouped query over
    those children's subtrees) and its own report's state."""
    children = direct_children(org) if children is None else children
    width = len(org.path) + org.steplen
    grouped = (
        MonthReport.objects.filter(month=month, organization__kind=OrgKind.BRANCH)
        .annotate(child=Substr("organization__path", 1, width))
        .filter(child__in=[c.path for c in children])
        .values("child")
        .annotate(**_sums())
        .order_by()
    )
    by_path = {r["child"]: r for r in grouped}
    reports = {
        r.organization_id: r for r in MonthReport.objects.filter(month=month, organization__in=children)
    }
    lines = []
    for child in children:
        totals = by_path.get(child.path, {})
        report = reports.get(child.pk)
        line = Line(key=child.pk, name=child.name, link_org=child.pk)
        for name in TOTAL_FIELDS:
            setattr(line, name, _norm(name, totals.get(name)))
        if report is not None:
            line.status, line.status_label = report.status, report.get_status_display()
            line.report_id, line.handed_up_amount = report.pk, report.handed_up_amount
        else:
            line.status, line.status_label = ReportStatus.OPEN, str(ReportStatus.OPEN.label)
        lines.append(line)
    return lines


def member_lines(org: Organization, month: date) -> list[Line]:
    """Per member of a branch: the month's bill and ledger, and how many months are unpaid overall."""
    # The month's bills and the unpaid ones up to it, in one query.
    bills: dict[int, Bill] = {}
    unpaid_months: Counter[int] = Counter()
    for bill in Bill.objects.filter(organization=org).filter(
        Q(month=month) | Q(paid_amount__lt=F("amount"), month__lte=month)
    ):
        if bill.month == month:
            bills[bill.person_id] = bill
        if bill.paid_amount < bill.amount:
            unpaid_months[bill.person_id] += 1
    declared = declared_months(
        Declaration.objects.filter(organization=org, status=DecisionStatus.PENDING).only(
            "person_id", "months", "status"
        )
    )
    collected = dict(
        Entry.objects.filter(organization=org, period=month)
        .values("person_id")
        .annotate(t=Sum("amount"))
        .order_by()
        .values_list("person_id", "t")
    )
    # The branch's members on the roll, and whoever has a bill or an entry here but left since: one query.
    # A UNION of the two id sets, not an OR across the two tables: the OR made PostgreSQL scan every
    # person to find a branch's 26 (1.2 s at province size; 4 ms this way).
    on_roll = Membership.objects.filter(organization=org, standing__in=ON_ROLL_STANDINGS).values_list(
        "person_id", flat=True
    )
    others = Person.objects.filter(pk__in=set(bills) | set(collected)).values_list("pk", flat=True)
    people = (
        Person.objects.filter(pk__in=on_roll.union(others, all=True))
        .select_related("membership__organization")
        .order_by("name_pinyin", "pk")
    )
    lines = []
    left = []
    for person in people:
        membership = getattr(person, "membership", None)
        if (
            membership is None
            or membership.organization_id != org.pk
            or membership.standing not in ON_ROLL_STANDINGS
        ):
            left.append(person)
            continue
        line = _member_line(person, bills.get(person.pk), collected, unpaid_months, declared)
        line.path = org.path
        lines.append(line)
    for person in left:  # left the branch since: their page is wherever their membership is now
        line = _member_line(person, bills.get(person.pk), collected, unpaid_months, declared)
        membership = getattr(person, "membership", None)
        line.path = membership.organization.path if membership is not None else ""
        lines.append(line)
    return lines


def collected_total(lines: list[Line]) -> Decimal:
    """What ``member_lines`` says was collected in the month, in all: the branch's ledger total of the
    month, since each of its entries of the month is on someone's line."""
    return sum((line.collected_amount for line in lines), ZERO).quantize(CENT)


def _member_line(
    person: Person,
    bill: Bill | None,
    collected: dict[int, Decimal],
    unpaid: dict[int, int],
    declared: dict[int, set[date]],
) -> Line:
    line = Line(key=person.pk, name=person.name, link_org=None)
    if bill is not None:
        month_line = bill_line(bill, declared.get(person.pk, set()))
        line.state, line.state_label = month_line.state, month_line.state_label
        line.due_count, line.due_amount = 1, bill.amount
        line.paid_count = int(bill.paid_amount >= bill.amount)
        line.unpaid_count = 1 - line.paid_count
        line.unpaid_amount = max(bill.amount - bill.paid_amount, ZERO)
    line.collected_amount = _norm("collected_amount", collected.get(person.pk))
    line.months_unpaid = unpaid.get(person.pk, 0)
    return line


@dataclass(frozen=True)
class SheetRow:
    """One member's line of the printed 党费收缴表."""

    name: str
    base: Decimal | None
    rate: str
    amount: Decimal | None  # None: no bill this month (no standard set yet)
    paid_amount: Decimal
    paid_on: date | None
    state: str
    state_label: str


def collection_sheet(org: Organization, month: date) -> dict[str, Any]:
    """A branch's 党费收缴表 for a month: each billed member and each member on the roll without a bill,
    by name, with the totals (four queries whatever the size of the branch)."""
    bills = list(
        Bill.objects.filter(organization=org, month=month)
        .select_related("person", "assessment")
        .order_by("person__name_pinyin", "pk")
    )
    declared = declared_months(
        Declaration.objects.filter(organization=org, status=DecisionStatus.PENDING).only(
            "person_id", "months", "status"
        )
    )
    paid_on = dict(
        Entry.objects.filter(month=month, person_id__in=[b.person_id for b in bills])
        .exclude(kind="reversal")
        .values("person_id")
        .annotate(last=Max("paid_on"))
        .order_by()
        .values_list("person_id", "last")
    )
    rows = []
    for bill in bills:
        line = bill_line(bill, declared.get(bill.person_id, set()))
        rows.append(
            SheetRow(
                name=bill.person.name,
                base=bill.assessment.base,
                rate=bill.assessment.rate_percent,
                amount=bill.amount,
                paid_amount=bill.paid_amount,
                paid_on=paid_on.get(bill.person_id) if line.state == MonthState.PAID else None,
                state=line.state,
                state_label=line.state_label,
            )
        )
    billed = {b.person_id for b in bills}
    for m in (
        Membership.objects.filter(organization=org, standing__in=ON_ROLL_STANDINGS)
        .exclude(person_id__in=billed)
        .select_related("person")
        .order_by("person__name_pinyin")
    ):
        rows.append(SheetRow(m.person.name, None, "", None, ZERO, None, "", ""))
    due = sum((r.amount for r in rows if r.amount is not None), ZERO)
    paid = sum((min(r.paid_amount, r.amount) for r in rows if r.amount is not None), ZERO)
    return {
        "rows": rows,
        "due_total": due,
        "paid_total": paid,
        "unpaid_total": due - paid,
        "counts": {state: sum(1 for r in rows if r.state == state) for state in MonthState.values},
    }


def annual_rows(org: Organization, year: int) -> list[dict[str, Any]]:
    """The annual dues report: one row per month with the subtree's totals (one grouped query)."""
    rows = (
        MonthReport.objects.filter(
            month__year=year, organization__path__startswith=org.path, organization__kind=OrgKind.BRANCH
        )
        .values("month")
        .annotate(**_sums())
        .order_by("month")
    )
    by_month = {r["month"]: r for r in rows}
    result = []
    for index in range(12):
        month = date(year, index + 1, 1)
        row = by_month.get(month, {})
        result.append({"month": month, **{k: _norm(k, row.get(k)) for k in TOTAL_FIELDS}})
    return result


def person_dues(person: Person, *, months: int = 24) -> dict[str, Any]:
    """A member's standards, bills (latest first, each with its state), ledger and reliefs, bounded."""
    # A member has at most one declaration waiting (``services.declaration_submit``): the latest.
    declarations = list(Declaration.objects.filter(person=person).order_by("-created_at")[:12])
    declared = declared_months(declarations).get(person.pk, set())
    entries = list(
        Entry.objects.filter(person=person)
        .select_related("recorded_by", "reverses", "organization")
        # 已冲正, with the entry itself rather than a query of its own
        .annotate(is_reversed=Exists(Entry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-created_at", "-id")[:50]
    )
    bills = list(Bill.objects.filter(person=person).order_by("-month")[:months])
    return {
        "assessments": list(Assessment.objects.filter(person=person).order_by("-from_month")[:12]),
        "bills": [bill_line(b, declared) for b in bills],
        # Fewer than ``months`` bills are all of them: ``member_summary`` then needs no read of its own.
        "unpaid_bills": sorted((b for b in bills if b.paid_amount < b.amount), key=lambda b: b.month)
        if len(bills) < months
        else None,
        "entries": entries,
        "reversed_ids": {e.pk for e in entries if e.is_reversed},
        "reliefs": list(Relief.objects.filter(person=person).order_by("-from_month")[:12]),
        "declarations": declarations,
        "declared_months": sorted(declared),
    }


def standard_in_force(person: Person, month: date) -> Assessment | None:
    """The member's dues standard for a month: the latest one from that month or before."""
    return (
        Assessment.objects.filter(person=person, from_month__lte=first_of_month(month))
        .order_by("-from_month")
        .first()
    )


def standard_for_year(person: Person, year: int) -> Assessment | None:
    """The standard the year starts with, or (for a member who starts paying that year) the first one."""
    return standard_in_force(person, date(year, 1, 1)) or (
        Assessment.objects.filter(person=person, from_month__year=year).order_by("from_month").first()
    )


def relief_in_force(person: Person, month: date) -> Relief | None:
    """The approved relief covering a month, if any."""
    month = first_of_month(month)
    return Relief.objects.filter(
        person=person, status=DecisionStatus.APPROVED, from_month__lte=month, to_month__gte=month
    ).first()


def latest_bills(person_id: int, *, months: int = 24) -> list[BillLine]:
    """A member's latest bills, latest first, each with its state."""
    declared = pending_declared_months(person_id)
    bills = Bill.objects.filter(person_id=person_id).order_by("-month")[:months]
    return [bill_line(b, declared) for b in bills]


def unpaid_bills(person: Person | int) -> list[Bill]:
    return list(Bill.objects.filter(person=person, paid_amount__lt=F("amount")).order_by("month")[:60])


@dataclass(frozen=True)
class MemberSummary:
    """What a member still has to do: months owed (未交) and months declared, waiting (待确认)."""

    owed: list[BillLine]
    pending: list[BillLine]

    @property
    def owed_total(self) -> Decimal:
        return sum((b.amount - b.paid_amount for b in self.owed), ZERO)

    @property
    def pending_total(self) -> Decimal:
        return sum((b.amount - b.paid_amount for b in self.pending), ZERO)


def member_summary(
    person: Person | int, declared: set[date] | None = None, unpaid: list[Bill] | None = None
) -> MemberSummary:
    """The member's (or the member id's) unpaid months split into 未交 and 待确认 (two queries; one with
    ``declared`` given, none with the ``unpaid`` bills too: ``person_dues``' when it holds all of them)."""
    if declared is None:
        declared = pending_declared_months(person if isinstance(person, int) else person.pk)
    lines = [bill_line(b, declared) for b in (unpaid if unpaid is not None else unpaid_bills(person))]
    return MemberSummary(
        owed=[b for b in lines if b.state == MonthState.UNPAID],
        pending=[b for b in lines if b.state == MonthState.PENDING],
    )


def payable_months(person: Person, today: date, *, ahead: int) -> list[tuple[date, Decimal, bool]]:
    """Months a payment form offers: unpaid bills (oldest first), then up to ``ahead`` future months."""
    options: list[tuple[date, Decimal, bool]] = [
        (b.month, b.amount - b.paid_amount, True) for b in unpaid_bills(person)
    ]
    current = today.replace(day=1)
    billed = set(Bill.objects.filter(person=person, month__gt=current).values_list("month", flat=True))
    paid_ahead = set(Entry.objects.filter(person=person, month__gt=current).values_list("month", flat=True))
    standard = standard_in_force(person, current)
    if standard is not None:
        for i in range(1, ahead + 1):
            month = add_months(current, i)
            if month not in billed and month not in paid_ahead:
                options.append((month, standard.amount, False))
    return options


def get_member_for(scope: Scope, person_id: Any, *, to_manage: bool = False) -> Person:
    """A member whose branch the user may view the dues of (``to_manage``: collect them); otherwise 404."""
    field = "membership__organization__path"
    q = access.manage_q(scope, field) if to_manage else access.view_q(scope, field)
    try:
        return Person.objects.select_related("membership__organization", "organization").get(
            q, pk=int(person_id)
        )
    except (Person.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_declaration_for(scope: Scope, declaration_id: int) -> Declaration:
    """A declaration made to a branch the user collects dues for; otherwise 404."""
    declaration = (
        Declaration.objects.filter(access.manage_q(scope, "organization__path"), pk=declaration_id)
        .select_related("person")
        .first()
    )
    if declaration is None:
        raise Http404
    return declaration


def declarations_for(scope: Scope, ids: set[int]) -> list[Declaration]:
    """The declarations among ``ids`` made to branches the user collects dues for (others left out)."""
    return list(
        Declaration.objects.filter(access.manage_q(scope, "organization__path"), pk__in=ids)
        .select_related("person")
        .order_by("created_at", "pk")
    )


def pending_declarations(scope: Scope) -> QuerySet[Declaration]:
    return Declaration.objects.filter(
        access.manage_q(scope, "organization__path"), status=DecisionStatus.PENDING
    ).select_related("person__membership__organization", "organization")


def pending_reliefs(scope: Scope) -> QuerySet[Relief]:
    """Reliefs waiting for a decision by an org the user may decide for (branch for retirees, else above)."""
    return Relief.objects.filter(access.decide_relief_q(scope), status=DecisionStatus.PENDING).select_related(
        "person__membership__organization", "approver_org"
    )


def reports_to_confirm(scope: Scope) -> QuerySet[MonthReport]:
    """Submitted reports whose parent org the user confirms for (the parent lies in CONFIRM_DUES scope)."""
    qs = MonthReport.objects.filter(status=ReportStatus.SUBMITTED).select_related("organization")
    if not access.may_confirm_some(scope):
        return qs.none()
    return qs.filter(access.confirm_q(scope)).order_by("month", "organization__path")


def dues_scope_roots(scope: Scope) -> QuerySet[Organization]:
    prefixes = scope.prefixes(Permission.VIEW_DUES)
    if "" in prefixes:
        return Organization.objects.get_root_nodes()  # type: ignore[no-any-return]
    return Organization.objects.filter(path__in=prefixes).order_by("path")


def members_missing_standard(org: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=org, standing__in=ON_ROLL_STANDINGS).exclude(
        person__dues_assessments__isnull=False
    )


def paid_up_to(person: Person) -> date | None:
    """党费交至: the month before the oldest unpaid bill, else the latest month paid (ahead included)."""
    oldest_unpaid = (
        Bill.objects.filter(person=person, paid_amount__lt=F("amount"))
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if oldest_unpaid is not None:
        earlier = Bill.objects.filter(person=person, month__lt=oldest_unpaid).exists()
        return add_months(oldest_unpaid, -1) if earlier else None
    latest = (
        Entry.objects.filter(person=person, month__isnull=False)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    last_bill = Bill.objects.filter(person=person).order_by("-month").values_list("month", flat=True).first()
    candidates = [m for m in (latest, last_bill) if m is not None]
    return max(candidates) if candidates else None


def payment_batch(key: str | None, person: Person) -> list[Entry] | None:
    """The entries a payment form with this one-time key already recorded for the person (None: not
    yet). Asked before any validation: a repeated submission shows the first one's result."""
    if not key:
        return None
    first = Entry.objects.filter(idempotency_key=key, person_id=person.pk).first()
    if first is None:
        return None
    return list(Entry.objects.filter(batch=first.batch).order_by("month"))


def declaration_by_key(key: str | None, person: Person) -> Declaration | None:
    """The declaration a form with this one-time key already made for the person (None: not yet)."""
    if not key:
        return None
    return Declaration.objects.filter(idempotency_key=key, person_id=person.pk).first()


def unpaid_bill_counts(person_ids: list[int]) -> dict[int, int]:
    """How many bills each of these people has not paid in full (one query; for other modules' lists)."""
    return dict(
        Bill.objects.filter(person_id__in=person_ids, paid_amount__lt=F("amount"))
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("person_id", "n")
    )
