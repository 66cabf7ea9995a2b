"""The maintained counter table (``OrgCounts``): one row per organization with its DIRECT figures and
its rule checks' facts and outcome (issue 20: no page aggregates a million people, none needs a warming
task).

The services that change a counted fact — a person's org, status, gender, education, ethnicity or
``is_active``; a membership's org, type or standing; a serving post; an org's kind or term — call
``counters_refresh`` with the orgs they touched, old and new, inside their transaction: it recomputes
those rows from the source tables (small queries over the indexed ``organization_id``) and upserts them.
No signal: the writer says what it touched. Bulk writers (the demo seeds, a restore) call
``counters_rebuild`` once at the end (``manage.py rebuild_counters``). ``counters_repair`` — nightly, and
in ``check_consistency`` — finds rows that drifted or whose rule-check outcome expired, and recomputes them.

The figures are defined once, here, as aggregate expressions, and the checks are ``rules.check_organization``
itself: the refresh, the rebuild and the drift check share them, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from dangjian import audit
from dangjian.core.models import (
    ON_ROLL_STANDINGS,
    Education,
    Gender,
    Membership,
    MembershipType,
    Organization,
    OrgCounts,
    Person,
    PoliticalStatus,
    Position,
)
from dangjian.core.rules import SEVERITY_ORDER, check_organization, checks_change_on
from dangjian.policy import get_policy

MAJORITY_ETHNICITIES = ("汉族", "")  # "" = not recorded; anything else counts as an ethnic minority


# The person columns the figures read: a write that changes none of them leaves the counters alone.
COUNTED_PERSON_FIELDS = (
    "organization_id",
    "political_status",
    "gender",
    "education",
    "ethnicity",
    "is_active",
)


def counted_facts(person: Person) -> tuple[object, ...]:
    """The person's counted values, org id first (compare before and after a write)."""
    return tuple(getattr(person, f) for f in COUNTED_PERSON_FIELDS)


def person_figures() -> dict[str, Count]:
    """The OrgCounts columns counted over people, by the person's org."""
    active = Q(is_active=True)
    figures: dict[str, Count] = {}
    for value in PoliticalStatus.values:
        figures[f"status_{value}"] = Count("id", filter=Q(political_status=value))
    for value in PoliticalStatus.values:
        figures[f"active_{value}"] = Count("id", filter=active & Q(political_status=value))
    for value in Gender.values:
        figures[f"gender_{value}"] = Count("id", filter=active & Q(gender=value))
    for value in ["", *Education.values]:
        figures[f"education_{value or 'none'}"] = Count("id", filter=active & Q(education=value))
    figures["ethnic_minority"] = Count("id", filter=active & ~Q(ethnicity__in=MAJORITY_ETHNICITIES))
    return figures


def membership_figures() -> dict[str, Count]:
    """The OrgCounts columns counted over memberships, by the org where the membership is held."""
    on_roll = Q(standing__in=ON_ROLL_STANDINGS)
    return {
        "members": Count("id", filter=on_roll),
        "members_full": Count("id", filter=on_roll & Q(membership_type=MembershipType.FULL)),
    }


def counter_fields() -> list[str]:
    """Every OrgCounts column but the key: the counts, the rule checks' facts and their outcome."""
    return [f.name for f in OrgCounts._meta.concrete_fields if f.name != "organization"]


def computed_counts(org_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """The figures from the source tables, by org id (only orgs with anything to count): two grouped
    queries, restricted to ``org_ids`` when given."""
    people = Person.objects.filter(organization_id__isnull=False)
    members = Membership.objects.all()
    if org_ids is not None:
        ids = list(org_ids)
        people = people.filter(organization_id__in=ids)
        members = members.filter(organization_id__in=ids)
    result: dict[int, dict[str, int]] = {}
    for qs, figures in ((people, person_figures()), (members, membership_figures())):
        for row in qs.order_by().values("organization_id").annotate(**figures):
            result.setdefault(row.pop("organization_id"), {}).update(row)
    return result


def computed_rows(org_ids: Iterable[int] | None = None, *, today: date | None = None) -> list[OrgCounts]:
    """The counter rows as the source tables say (unsaved), for these orgs or all: five queries
    (people, memberships, two of positions, the orgs), and the rule checks evaluated in Python."""
    from dangjian.core.selectors import committee_facts, facts_of

    today = today or timezone.localdate()
    policy = get_policy()
    ids = None if org_ids is None else sorted(set(org_ids))
    counts = computed_counts(ids)
    positions = Position.objects.all() if ids is None else Position.objects.filter(organization_id__in=ids)
    committee, secretaries = committee_facts(positions)
    orgs = Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)
    rows = []
    for org in orgs.only("id", "kind", "term_started_on", "term_years").order_by():
        figures = dict.fromkeys([*person_figures(), *membership_figures()], 0) | counts.get(org.pk, {})
        facts = facts_of(
            org,
            policy,
            members=figures["members"],
            full_members=figures["members_full"],
            committee_size=committee.get(org.pk, 0),
            secretaries=secretaries,
        )
        checks = check_organization(facts, today, policy)
        rows.append(
            OrgCounts(
                organization_id=org.pk,
                **figures,
                committee_size=facts.committee_size,
                has_secretary=facts.has_secretary,
                secretary_full_on=facts.secretary_full_on,
                check_worst=SEVERITY_ORDER[checks[0].severity] if checks else None,
                check_count=len(checks),
                checks_on=today,
                checks_until=checks_change_on(facts, today, policy),
            )
        )
    return rows


def counters_refresh(org_ids: Iterable[int | None]) -> None:
    """Recompute the counter rows of these orgs (None ignored) from the source tables, in the caller's
    transaction. Called by every service that changes a counted fact, with the orgs before and after.

    The rows are locked first (created when missing), in id order: a concurrent writer of the same org
    waits here until this transaction commits and then counts what it committed — counting first and
    locking at the write would let the later writer overwrite the earlier one's change with a count
    that missed it. Then five small queries over the indexed ``organization_id`` and one upsert."""
    ids = sorted({pk for pk in org_ids if pk is not None})
    if not ids:
        return
    OrgCounts.objects.bulk_create([OrgCounts(organization_id=pk) for pk in ids], ignore_conflicts=True)
    list(
        OrgCounts.objects.select_for_update().filter(organization_id__in=ids).order_by("pk").values_list("pk")
    )
    OrgCounts.objects.bulk_create(
        computed_rows(ids),
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=counter_fields(),
    )


def serving_org_ids(person_id: int) -> list[int]:
    """The orgs where this person holds a post now (their 转正 date is a rule-check fact there)."""
    return list(
        Position.objects.filter(person_id=person_id, ended_on__isnull=True).values_list(
            "organization_id", flat=True
        )
    )


def counters_rebuild(*, batch_size: int = 2000) -> int:
    """Every org's counter row from the source tables: grouped queries over all people, memberships and
    positions, the rule checks in Python, then the table replaced in one transaction. Idempotent; about
    a minute at province size on a busy 2-core machine (1.3M people, 42,000 orgs). Returns the row count."""
    rows = computed_rows()
    with transaction.atomic():
        OrgCounts.objects.all().delete()
        OrgCounts.objects.bulk_create(rows, batch_size=batch_size)
    if connection.vendor == "postgresql":  # the planner's row estimates, before the first dashboard
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(OrgCounts._meta.db_table)}")
    return len(rows)


def _comparable(row: OrgCounts, fields: list[str]) -> tuple[object, ...]:
    return tuple(getattr(row, f) for f in fields)


def counters_drift(*, limit: int = 100, today: date | None = None) -> list[int]:
    """Ids of orgs whose counter row disagrees with the source tables, or is missing, or holds rule-check
    outcomes no longer valid today (re-evaluating them is part of the repair)."""
    fields = [f for f in counter_fields() if f not in ("checks_on", "checks_until")]
    today = today or timezone.localdate()
    stored = {row.organization_id: row for row in OrgCounts.objects.all()}
    drift: list[int] = []
    for want in computed_rows(today=today):
        have = stored.get(want.organization_id)
        if (
            have is None
            or _comparable(have, fields) != _comparable(want, fields)
            or not checks_valid_on(have, today)
        ):
            drift.append(want.organization_id)
            if len(drift) >= limit:
                break
    return sorted(drift)  # in id order whatever order the database computed the rows in


def checks_valid_on(row: OrgCounts, day: date) -> bool:
    return (
        row.checks_on is not None
        and row.checks_on <= day
        and (row.checks_until is None or day < row.checks_until)
    )


def counters_repair(*, actor: Any) -> list[int]:
    """Find the orgs whose counter row drifted from the source tables and recompute them (audited as one
    event with the ids). Returns the ids repaired; nothing is written when there is no drift."""
    drift = counters_drift(limit=10_000)
    if drift:
        with transaction.atomic():
            counters_refresh(drift)
            audit.record(
                actor=actor, action="counters.repair", changes={"organizations": drift, "count": len(drift)}
            )
    return drift
