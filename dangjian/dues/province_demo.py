"""党费 for the province data set (`seed_demo --size province`, PostgreSQL): a year, set-based.

As the university demo (``dues.demo``): a standard per member on the roll (students the fixed student
amount, staff a rate on a base by the employee brackets of the rule set in force), a payment per member
and month up to where the member paid (most up to last month or this month, some 1–5 months behind, a few
stopped 7 months ago), the bills of every month (``bills_generate``, which reads the payments), and the
branch month reports: older months confirmed, last month handed up by half of the branches. Each step is
a resumable stage; the amounts are a function of the person's id, so a rerun gives the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from dangjian.core.demo.province import columns, indexes_deferred, stage, stage_unless
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Person, PersonType
from dangjian.dues import rules
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import Assessment, Bill, Entry, EntryKind, MonthReport, ReportStatus
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy

MONTHS = 12
BASE = "(3000 + mod(m.person_id, 9000))::numeric(12,2)"
# How far a member has paid, as a month index (MONTHS - 1 = this month): 80% up to date (40% of them this
# month too), 18.5% 1–5 months behind last month, 1.5% stopped 7 months before it.
ROLL = "mod(abs(hashint8(m.person_id)), 1000)"
SPREAD = "abs(hashint8(m.person_id + 1))"
LAST_PAID = (
    f"CASE WHEN {ROLL} < 800 THEN CASE WHEN mod({SPREAD}, 10) < 4 THEN {MONTHS - 1} ELSE {MONTHS - 2} END "
    f"WHEN {ROLL} < 985 THEN {MONTHS - 3} - mod({SPREAD}, 5) ELSE {MONTHS - 9} END"
)


def months(today: date) -> list[date]:
    current = today.replace(day=1)
    return [add_months(current, i - (MONTHS - 1)) for i in range(MONTHS)]


def _standard_sql(first: date) -> tuple[str, str]:
    rule_set = rules.rule_set_on(first)
    upper = [u for u, _rate in rule_set.employee]
    whens = [f"WHEN {BASE} <= {u} THEN {i}" for i, u in enumerate(upper, start=1) if u is not None]
    index = f"(CASE {' '.join(whens)} ELSE {len(upper)} END)"
    rate = (
        f"(CASE {index} "
        + " ".join(f"WHEN {i} THEN {r}" for i, (_u, r) in enumerate(rule_set.employee, start=1))
        + " END)"
    )
    student = rules.monthly_dues(rules.STUDENT, None, first)
    is_student = f"p.person_type = '{PersonType.STUDENT}'"
    # The school's rounding step (a fen or a jiao), half up as rules.round_amount.
    places = -int(Decimal(get_policy().dues_rounding).as_tuple().exponent)
    return columns(
        Assessment,
        {
            "person": "m.person_id",
            "from_month": f"date '{first.isoformat()}'",
            "category": f"CASE WHEN {is_student} THEN '{rules.STUDENT}' ELSE '{rules.EMPLOYEE}' END",
            "base_method": f"CASE WHEN {is_student} THEN 'none' ELSE 'direct' END",
            "base": f"CASE WHEN {is_student} THEN NULL ELSE {BASE} END",
            "rate": f"CASE WHEN {is_student} THEN NULL ELSE {rate} END",
            "amount": f"CASE WHEN {is_student} THEN {student.amount} "
            f"ELSE round(round({BASE} * {rate}, {places}), 2) END",
            "rule_code": f"CASE WHEN {is_student} THEN '{student.rule_code}' "
            f"ELSE '{rule_set.code}/E' || {index} END",
            "note": "'演示数据'",
            "pay_items": "'{}'::jsonb",
        },
    )


def generate(log: Callable[[str], None] = print, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    billed = months(today)
    member, person = Membership._meta.db_table, Person._meta.db_table
    assess, entry, bill, report = (m._meta.db_table for m in (Assessment, Entry, Bill, MonthReport))
    standings = ", ".join(f"'{s}'" for s in ON_ROLL_STANDINGS)
    on_roll = f"FROM {member} m JOIN {person} p ON p.id = m.person_id WHERE m.standing IN ({standings})"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {on_roll}")
        members = cursor.fetchone()[0]
    cols, vals = _standard_sql(billed[0])
    stage(
        "dues standards",
        f"SELECT count(*) FROM {assess}",
        members,
        f"INSERT INTO {assess} ({cols}) SELECT {vals} {on_roll}",
        log=log,
    )
    # Whether a month's stage ran: the (person, month) index of a thousand members, not a scan of millions.
    probe = (
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE month = %(month)s AND person_id IN "
        f"(SELECT person_id FROM {member} ORDER BY person_id LIMIT 1000))"
    )
    # The plain indexes of the ledger are built again before the bills read the payments; the probe
    # above needs (person, month).
    with indexes_deferred([entry], log, keep=("dues_entry_person_month",)):
        for index, month in enumerate(billed):
            cols, vals = columns(
                Entry,
                {
                    "person": "m.person_id",
                    "organization": "m.organization_id",
                    "kind": f"'{EntryKind.PAYMENT}'",
                    "month": "%(month)s",
                    "period": "%(month)s",
                    "amount": "a.amount",
                    "method": f"CASE WHEN mod(m.person_id + {index}, 10) < 6 THEN 'cash' ELSE 'transfer' END",
                    "paid_on": "least(%(month)s::date + 9, %(today)s::date)",
                    "batch": "'prov-' || m.person_id",
                },
            )
            stage_unless(
                f"dues payments {month:%Y-%m}",
                probe.format(table=entry),
                f"INSERT INTO {entry} ({cols}) SELECT {vals} FROM {member} m "
                f"JOIN {assess} a ON a.person_id = m.person_id "
                f"WHERE m.standing IN ({standings}) AND a.amount > 0 AND {LAST_PAID} >= {index}",
                {"month": month, "today": today},
                log=log,
            )
    with indexes_deferred([bill], log):
        for month in billed:
            stage_unless(
                f"dues bills {month:%Y-%m} (and the branches' month reports)",
                probe.format(table=bill),
                lambda month=month: bills_generate(month),  # type: ignore[misc]
                {"month": month},
                log=log,
            )
    confirmed, handed_up = billed[:-2], billed[-2]
    now = timezone.now()

    def reconcile() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {report} SET status = '{ReportStatus.CONFIRMED}', submitted_at = %s, "
                "confirmed_at = %s, handed_up_amount = collected_amount WHERE month = ANY(%s)",
                [now, now, confirmed],
            )
            cursor.execute(
                f"UPDATE {report} r SET status = '{ReportStatus.SUBMITTED}', submitted_at = %(now)s, "
                "handed_up_amount = collected_amount, submitted_lines = COALESCE((SELECT jsonb_object_agg("
                "t.person_id::text, to_char(t.total, 'FM999999990.00')) FROM (SELECT person_id, "
                f"sum(amount) AS total FROM {entry} e WHERE e.organization_id = r.organization_id "
                "AND e.period = %(last)s GROUP BY person_id) t), '{}'::jsonb) "
                "WHERE r.month = %(last)s AND mod(r.organization_id, 2) = 0",
                {"now": now, "last": handed_up},
            )

    stage_unless(
        "dues month reports: older months confirmed, last month handed up by half of the branches",
        f"SELECT EXISTS (SELECT 1 FROM {report} WHERE status = '{ReportStatus.CONFIRMED}')",
        reconcile,
        log=log,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {assess}), (SELECT count(*) FROM {entry}), "
            f"(SELECT count(*) FROM {bill})"
        )
        standards, entries, bills = cursor.fetchone()
    return {"dues_standards": standards, "dues_entries": entries, "dues_bills": bills}
