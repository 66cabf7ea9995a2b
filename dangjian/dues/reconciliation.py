"""对账: a branch hands up its month, the org above confirms it against the ledger, up to the school.

A branch's lines are its members' ledger amounts for the month; an upper org's lines are its children's
handed-up amounts. Confirming compares what was submitted with the ledger now, line by line; any
difference refuses the confirmation and is shown. A confirmed month is locked (new entries go to the next
open month, see ``services.open_period``). Submitting, confirming and returning take the caller's scope and
ask ``access`` (``may_submit``, ``may_confirm``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.dues import access
from dangjian.dues.billing import refresh_branch_reports
from dangjian.dues.models import Entry, MonthReport, ReportStatus
from dangjian.dues.selectors import direct_children
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class LineDifference:
    key: str
    label: str
    submitted: Decimal
    ledger: Decimal


def ledger_lines(org: Organization, month: date) -> dict[str, Decimal]:
    """The ledger now: per member for a branch, per child org (its whole subtree) for an upper org."""
    entries = Entry.objects.filter(period=month)
    if org.kind == OrgKind.BRANCH:
        rows = entries.filter(organization=org).values("person_id").annotate(total=Sum("amount")).order_by()
        return {str(r["person_id"]): _money(r["total"]) for r in rows if r["total"]}
    width = len(org.path) + org.steplen
    rows = (
        entries.filter(organization__path__startswith=org.path)
        .exclude(organization=org)
        .annotate(child=Substr("organization__path", 1, width))
        .values("child")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    by_path = {r["child"]: _money(r["total"]) for r in rows}
    return {str(c.pk): by_path[c.path] for c in direct_children(org) if by_path.get(c.path)}


def differences(report: MonthReport) -> list[LineDifference]:
    """Where the submitted lines and the ledger now disagree (empty when they match)."""
    submitted = {k: Decimal(v) for k, v in (report.submitted_lines or {}).items()}
    ledger = ledger_lines(report.organization, report.month)
    keys = sorted(set(submitted) | set(ledger), key=int)
    diffs = [
        LineDifference(k, "", submitted.get(k, ZERO), ledger.get(k, ZERO))
        for k in keys
        if submitted.get(k, ZERO) != ledger.get(k, ZERO)
    ]
    return _labelled(report.organization, diffs)


def mismatch_counts(reports: list[MonthReport]) -> dict[int, int]:
    """How many lines of each submitted report differ from the ledger now, for a list page: one grouped
    query for all the branch reports; an upper org's report is compared on its own (they are few)."""
    branch_reports = [r for r in reports if r.organization.kind == OrgKind.BRANCH]
    ledger: dict[tuple[int, date], dict[str, Decimal]] = {}
    if branch_reports:
        rows = (
            Entry.objects.filter(
                organization_id__in={r.organization_id for r in branch_reports},
                period__in={r.month for r in branch_reports},
            )
            .values("organization_id", "period", "person_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for row in rows:
            if row["total"]:
                ledger.setdefault((row["organization_id"], row["period"]), {})[str(row["person_id"])] = (
                    _money(row["total"])
                )
    counts = {}
    for report in reports:
        now = (
            ledger.get((report.organization_id, report.month), {})
            if report.organization.kind == OrgKind.BRANCH
            else ledger_lines(report.organization, report.month)
        )
        submitted = {k: Decimal(v) for k, v in (report.submitted_lines or {}).items()}
        counts[report.pk] = sum(
            1 for k in set(submitted) | set(now) if submitted.get(k, ZERO) != now.get(k, ZERO)
        )
    return counts


def _labelled(org: Organization, diffs: list[LineDifference]) -> list[LineDifference]:
    from dangjian.core.models import Person

    ids = [int(d.key) for d in diffs]
    model: Any = Person if org.kind == OrgKind.BRANCH else Organization
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [LineDifference(d.key, names.get(int(d.key), d.key), d.submitted, d.ledger) for d in diffs]


def _report_for_update(org: Organization, month: date) -> MonthReport:
    if org.kind == OrgKind.BRANCH:
        refresh_branch_reports([(org.pk, month)])
    report, _created = MonthReport.objects.get_or_create(organization=org, month=month)
    return MonthReport.objects.select_for_update().select_related("organization").get(pk=report.pk)


def _children_confirmed(org: Organization, month: date) -> None:
    """An upper org hands up only when every child with dues activity that month has been confirmed."""
    children = direct_children(org)
    active_paths = set(
        MonthReport.objects.filter(
            month=month, organization__path__startswith=org.path, organization__kind=OrgKind.BRANCH
        )
        .exclude(due_count=0, collected_amount=0)
        .annotate(child=Substr("organization__path", 1, len(org.path) + org.steplen))
        .values_list("child", flat=True)
    )
    confirmed = set(
        MonthReport.objects.filter(
            month=month, organization__in=children, status=ReportStatus.CONFIRMED
        ).values_list("organization_id", flat=True)
    )
    waiting = [c.name for c in children if c.path in active_paths and c.pk not in confirmed]
    if waiting:
        raise RuleViolation(
            _("以下下级组织的本月党费尚未确认：%(names)s") % {"names": "、".join(waiting[:10])}
        )


def _subtree_totals(org: Organization, month: date) -> dict[str, Any]:
    return MonthReport.objects.filter(
        month=month, organization__path__startswith=org.path, organization__kind=OrgKind.BRANCH
    ).aggregate(
        due_count=Sum("due_count"),
        due_amount=Sum("due_amount"),
        paid_count=Sum("paid_count"),
        unpaid_count=Sum("unpaid_count"),
        unpaid_amount=Sum("unpaid_amount"),
        collected_amount=Sum("collected_amount"),
        adjustment_amount=Sum("adjustment_amount"),
        large_amount=Sum("large_amount"),
    )


def report_submit(
    *,
    actor: Any,
    scope: Scope,
    org: Organization,
    month: date,
    handed_up_amount: Decimal,
    today: date | None = None,
    expected_status: str | None = None,
) -> MonthReport:
    """上交: the org hands up its month; the amount must equal the ledger.

    ``expected_status`` is the report's state the page showed ("open" when it had no report yet)."""
    access.refuse_unless(access.may_submit(scope, org))
    today = today or timezone.localdate()
    month = month.replace(day=1)
    with transaction.atomic():
        report = _report_for_update(org, month)
        expect_state(report.status, expected_status)
        if month > today.replace(day=1):
            raise RuleViolation(_("不能上交未到的月份"))
        if org.kind != OrgKind.BRANCH and report.status in (ReportStatus.OPEN, ReportStatus.RETURNED):
            _children_confirmed(org, month)
        if report.status not in (ReportStatus.OPEN, ReportStatus.RETURNED):
            raise RuleViolation(_("本月已上交(%(s)s)") % {"s": report.get_status_display()})
        lines = ledger_lines(org, month)
        ledger_total = sum(lines.values(), ZERO)
        if handed_up_amount != ledger_total:
            raise RuleViolation(
                _("上交金额 %(h)s 元与账面 %(l)s 元不符") % {"h": handed_up_amount, "l": ledger_total},
                field="handed_up_amount",
            )
        if org.kind != OrgKind.BRANCH:
            for key, value in _subtree_totals(org, month).items():
                setattr(report, key, value or 0)
        report.status = ReportStatus.SUBMITTED
        report.handed_up_amount = handed_up_amount
        report.submitted_lines = {k: str(v) for k, v in lines.items()}
        report.submitted_by, report.submitted_at, report.return_reason = actor, timezone.now(), ""
        report.save()
        audit.record(
            actor=actor,
            action="dues.report_submit",
            target=report,
            org=org,
            changes={"month": month, "handed_up": handed_up_amount, "lines": len(lines)},
        )
    return report


def report_confirm(
    *,
    actor: Any,
    scope: Scope,
    report: MonthReport,
    expected_status: str | None = None,
) -> MonthReport:
    """The upper org confirms receipt: refused, with the lines, when the ledger no longer matches."""
    with transaction.atomic():
        report = MonthReport.objects.select_for_update().select_related("organization").get(pk=report.pk)
        access.refuse_unless(access.may_confirm(scope, report.organization))
        expect_state(report.status, expected_status)
        if report.status != ReportStatus.SUBMITTED:
            raise RuleViolation(_("只有已上交的月报可以确认"))
        diffs = differences(report)
        if diffs:
            detail = "；".join(f"{d.label}: {d.submitted} → {d.ledger}" for d in diffs[:10])
            raise RuleViolation(_("上交明细与账面不符，请退回支部核对：%(d)s") % {"d": detail})
        report.status = ReportStatus.CONFIRMED
        report.confirmed_by, report.confirmed_at = actor, timezone.now()
        report.save()
        audit.record(
            actor=actor,
            action="dues.report_confirm",
            target=report,
            org=report.organization,
            changes={"month": report.month, "handed_up": report.handed_up_amount},
        )
    return report


def report_return(
    *,
    actor: Any,
    scope: Scope,
    report: MonthReport,
    reason: str,
    expected_status: str | None = None,
) -> MonthReport:
    """The upper org sends a submitted month back to be checked, with the reason."""
    with transaction.atomic():
        report = MonthReport.objects.select_for_update().select_related("organization").get(pk=report.pk)
        access.refuse_unless(access.may_confirm(scope, report.organization))
        expect_state(report.status, expected_status)
        if report.status != ReportStatus.SUBMITTED:
            raise RuleViolation(_("只有已上交的月报可以退回"))
        if not reason.strip():
            raise RuleViolation(_("请填写退回原因"), field="reason")
        report.status, report.return_reason = ReportStatus.RETURNED, reason.strip()
        report.save()
        if report.organization.kind == OrgKind.BRANCH:
            refresh_branch_reports([(report.organization_id, report.month)])
        audit.record(
            actor=actor,
            action="dues.report_return",
            target=report,
            org=report.organization,
            changes={"month": report.month, "reason": reason},
        )
    return report
