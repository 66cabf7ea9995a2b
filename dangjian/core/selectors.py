"""Reads of the core module. Every function takes the scope first: these are the only doors."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Lower, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core import crypto
from dangjian.core.idnumbers import normalize_id_number
from dangjian.core.models import (
    COMMITTEE_TITLES,
    ON_ROLL_STANDINGS,
    Education,
    Gender,
    Membership,
    MembershipType,
    Organization,
    OrgCategory,
    OrgCounts,
    OrgKind,
    Person,
    PoliticalStatus,
    Position,
    PositionTitle,
    Standing,
)
from dangjian.core.rules import SEVERITY_ORDER, OrgFacts, RuleCheck, check_organization, default_term_years
from dangjian.core.stats import AGE_BANDS, birth_range
from dangjian.policy import Policy, get_policy

# ---------------------------------------------------------------- organizations


def organizations_within(scope: Scope, perm: Permission = Permission.VIEW_ORGS) -> QuerySet[Organization]:
    return Organization.objects.filter(scope.q(perm, "path"))


def get_org_for(scope: Scope, org_id: Any, perm: Permission = Permission.VIEW_ORGS) -> Organization:
    """The org if it lies in the user's scope for ``perm``; otherwise 404 (never a 403 with details)."""
    try:
        return organizations_within(scope, perm).get(pk=int(org_id))
    except (Organization.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def scope_roots(scope: Scope, perm: Permission = Permission.VIEW_ORGS) -> QuerySet[Organization]:
    """The top orgs of the scope (the tree page starts here)."""
    prefixes = scope.prefixes(perm)
    if "" in prefixes:
        return Organization.objects.get_root_nodes()
    return Organization.objects.filter(path__in=prefixes).order_by("path")


def org_from_query(scope: Scope, org_id: Any, perm: Permission) -> Organization:
    """The org a list page asks for (``?org=``) within the scope of ``perm``, else the scope's first top
    org; 404 when the user has none."""
    if org_id:
        return get_org_for(scope, org_id, perm)
    org = scope_roots(scope, perm).first()
    if org is None:
        raise Http404
    return org


def children_of(scope: Scope, org: Organization) -> QuerySet[Organization]:
    return (
        organizations_within(scope)
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .order_by("-is_active", "code")
    )


# Levels of ancestors ``get_org_with_ancestors`` reads with the org (root → group is 4 at a school, 5 in a
# province); a deeper org reads the rest with ``ancestors_in_scope``.
_ANCESTOR_LEVELS = 7


def get_org_with_ancestors(
    scope: Scope, org_id: Any, perm: Permission = Permission.VIEW_ORGS
) -> tuple[Organization, list[Organization]]:
    """``get_org_for`` and ``ancestors_in_scope`` (the breadcrumb) in one query: the ancestors' paths are
    prefixes of the org's, taken from it in the database (each an index lookup by path)."""
    try:
        pk = int(org_id)
    except (TypeError, ValueError):
        raise Http404 from None
    target = Organization.objects.filter(pk=pk).order_by().values("path")[:1]
    q = Q(pk=pk)
    for level in range(1, _ANCESTOR_LEVELS + 1):
        q |= Q(path=Substr(Subquery(target), 1, Organization.steplen * level))
    rows = list(Organization.objects.filter(q).order_by("depth"))
    org = next((o for o in rows if o.pk == pk), None)
    if org is None or not scope.covers(perm, org.path):
        raise Http404
    if org.depth - 1 > _ANCESTOR_LEVELS:
        return org, ancestors_in_scope(scope, org)
    return org, [o for o in rows if o.depth < org.depth and scope.covers(Permission.VIEW_ORGS, o.path)]


def ancestors_and_children(
    scope: Scope, org: Organization, *, limit: int
) -> tuple[list[Organization], list[Organization]]:
    """``ancestors_in_scope`` and the first ``limit`` of ``children_of``, in one query (the org page)."""
    steplen = Organization.steplen
    paths = [org.path[: steplen * depth] for depth in range(1, org.depth)]
    children = Q(path__startswith=org.path, depth=org.depth + 1) & scope.q(Permission.VIEW_ORGS, "path")
    # Ancestors are shallower than children, so they come first and the slice keeps every one of them.
    rows = list(
        Organization.objects.filter(Q(path__in=paths) | children).order_by("depth", "-is_active", "code")[
            : len(paths) + limit
        ]
    )
    ancestors = [o for o in rows if o.depth < org.depth and scope.covers(Permission.VIEW_ORGS, o.path)]
    return ancestors, [o for o in rows if o.depth == org.depth + 1]


def ancestors_in_scope(scope: Scope, org: Organization) -> list[Organization]:
    ancestors = list(Organization.objects.get_ancestors(org))
    return [a for a in ancestors if scope.covers(Permission.VIEW_ORGS, a.path)]


@dataclass(frozen=True)
class OrgSummary:
    org: Organization
    facts: OrgFacts
    checks: list[RuleCheck]
    subtree_members: int = 0  # on-roll members in the org and everything below it
    subtree_full: int = 0

    @property
    def worst(self) -> str | None:
        return self.checks[0].severity if self.checks else None


def org_facts(orgs: list[Organization], positions: list[Position] | None = None) -> dict[int, OrgFacts]:
    """Member counts, committee size and secretary standing for many orgs, live: two queries (one with
    their serving ``positions`` given: ``open_positions``)."""
    ids = [o.pk for o in orgs]
    counts = {
        row["organization_id"]: row
        for row in Membership.objects.filter(organization_id__in=ids, standing__in=ON_ROLL_STANDINGS)
        .values("organization_id")
        .annotate(total=Count("id"), full=Count("id", filter=Q(membership_type=MembershipType.FULL)))
    }
    if positions is None:
        committee, secretaries = committee_facts(Position.objects.filter(organization_id__in=ids))
    else:
        committee, secretaries = _committee_facts_of(
            (p.organization_id, p.title, getattr(m, "full_on", None), getattr(m, "membership_type", None))
            for p in positions
            if p.title in COMMITTEE_TITLES and p.organization_id in ids and p.ended_on is None
            for m in [getattr(p.person, "membership", None)]
        )
    policy = get_policy()
    return {
        org.pk: facts_of(
            org,
            policy,
            members=counts.get(org.pk, {}).get("total", 0),
            full_members=counts.get(org.pk, {}).get("full", 0),
            committee_size=committee.get(org.pk, 0),
            secretaries=secretaries,
        )
        for org in orgs
    }


def committee_facts(positions: QuerySet[Position]) -> tuple[Counter[int], dict[int, date | None]]:
    """From these positions, the serving ones: committee posts per org, and each org's secretary's 转正
    date (None when the secretary is probationary) keyed by the orgs that have one — one query
    (COMMITTEE_TITLES holds 书记)."""
    return _committee_facts_of(
        positions.filter(ended_on__isnull=True, title__in=COMMITTEE_TITLES).values_list(
            "organization_id", "title", "person__membership__full_on", "person__membership__membership_type"
        )
    )


def _committee_facts_of(
    rows: Iterable[tuple[int, str, date | None, str | None]],
) -> tuple[Counter[int], dict[int, date | None]]:
    committee: Counter[int] = Counter()
    secretaries: dict[int, date | None] = {}
    for org_id, title, full_on, mtype in rows:
        committee[org_id] += 1
        if title == PositionTitle.SECRETARY:
            secretaries[org_id] = full_on if mtype == MembershipType.FULL else None
    return committee, secretaries


def facts_of(
    org: Organization,
    policy: Policy,
    *,
    members: int,
    full_members: int,
    committee_size: int,
    secretaries: dict[int, date | None],
) -> OrgFacts:
    return OrgFacts(
        kind=org.kind,
        full_members=full_members,
        members=members,
        committee_size=committee_size,
        term_started_on=org.term_started_on,
        term_years=org.term_years or default_term_years(org.kind, policy),
        has_secretary=org.pk in secretaries,
        secretary_full_on=secretaries.get(org.pk),
    )


def subtree_member_counts(orgs: list[Organization]) -> dict[str, tuple[int, int]]:
    """(members, full members) on the roll in each org's subtree: the counter rows summed, one grouped
    query per tree depth over an index range scan of the paths (≤ 42,000 small rows at province size)."""
    result: dict[str, tuple[int, int]] = {}
    by_depth: dict[int, list[str]] = {}
    for org in orgs:
        by_depth.setdefault(len(org.path), []).append(org.path)
    for length, paths in by_depth.items():
        under = Q()
        for path in paths:
            under |= Q(organization__path__startswith=path)
        rows = (
            OrgCounts.objects.filter(under)
            .annotate(prefix=Substr("organization__path", 1, length))
            .values("prefix")
            .annotate(total=Sum("members"), full=Sum("members_full"))
            .order_by()
        )
        result.update({row["prefix"]: (row["total"], row["full"]) for row in rows})
    return result


def org_summaries(
    orgs: list[Organization],
    *,
    today: date | None = None,
    with_subtree: bool = False,
    subtree_of: list[Organization] | None = None,
    positions: list[Position] | None = None,
) -> list[OrgSummary]:
    """Facts and rule checks of ``orgs``; subtree member counts for all of them (``with_subtree``) or for
    those in ``subtree_of`` (the others count their own members); ``positions``: their serving posts,
    read already (``open_positions``)."""
    today = today or timezone.localdate()
    policy = get_policy()
    facts = org_facts(orgs, positions)
    if subtree_of is None:
        subtree_of = orgs if with_subtree else []
    subtree = subtree_member_counts(subtree_of) if subtree_of else {}
    summaries = []
    for o in orgs:
        total, full = subtree.get(o.path, (facts[o.pk].members, facts[o.pk].full_members))
        summaries.append(
            OrgSummary(o, facts[o.pk], check_organization(facts[o.pk], today, policy), total, full)
        )
    return summaries


def rule_check_list(
    scope: Scope, *, severity: str | None = None, today: date | None = None
) -> list[OrgSummary]:
    """Every active org in scope with at least one rule check, worst first (memoized per request scope)."""
    key = ("rule_check_list", today)
    if key not in scope.memo:
        scope.memo[key] = _rule_check_list(scope, today)
    rows: list[OrgSummary] = scope.memo[key]  # type: ignore[assignment]
    if severity:
        rows = [s for s in rows if any(c.severity == severity for c in s.checks)]
    return rows


@dataclass(frozen=True)
class RuleCheckDigest:
    """What the dashboard and the to-do centre show of the rule checks: counts and the worst few."""

    total: int
    danger: int
    warning: int
    top: list[OrgSummary]


def rule_check_digest(scope: Scope, *, top: int = 8, today: date | None = None) -> RuleCheckDigest:
    """The digest of ``rule_check_list`` from the counter table, whose rows hold each org's rule-check
    outcome and facts: one aggregate and the worst ``top`` rows — two queries whatever the size, no
    cache (memoized per request scope). Orgs whose stored outcome is not valid today (a reminder date
    passed since the row was written, or no row yet) are evaluated live, as the rule-check page does,
    until the nightly repair renews them."""
    today = today or timezone.localdate()
    key = ("rule_check_digest", today, top)
    if key not in scope.memo:
        scope.memo[key] = _rule_check_digest(scope, top, today)
    return scope.memo[key]  # type: ignore[return-value]


def _rule_check_digest(scope: Scope, top: int, today: date) -> RuleCheckDigest:
    checked = organizations_within(scope).filter(is_active=True).exclude(kind=OrgKind.GROUP)
    valid = Q(counts__checks_on__lte=today) & (
        Q(counts__checks_until__isnull=True) | Q(counts__checks_until__gt=today)
    )
    # One pass: the stored outcomes valid today by (worst severity, number of checks), and how many are
    # not valid (no row yet, or a reminder date passed since the row was written).
    groups: Counter[tuple[int, int]] = Counter()
    stale_count = 0
    rows = (
        checked.order_by()
        .annotate(valid=Case(When(valid, then=Value(True)), default=Value(False)))
        .values_list("valid", "counts__check_worst", "counts__check_count")
        .annotate(n=Count("pk"))
    )
    for is_valid, worst, count, n in rows:
        if not is_valid:
            stale_count += n
        elif worst is not None:  # None: no check fires
            groups[(worst, count)] += n
    # The worst first, most checks first, then by path: only the first groups hold the top rows. All the
    # rows of the groups before the last one (fewer than ``top``), then the first rows of the last one by
    # path alone — a walk of the path index that stops after a few rows instead of sorting every org.
    first: list[tuple[int, int]] = []
    for key in sorted(groups, key=lambda k: (k[0], -k[1])):
        first.append(key)
        if sum(groups[k] for k in first) >= top:
            break
    policy = get_policy()
    summaries: list[OrgSummary] = []
    for keys, limit in ((first[:-1], top), (first[-1:], top - sum(groups[k] for k in first[:-1]))):
        if not keys:
            continue
        in_keys = Q()
        for worst, count in keys:
            in_keys |= Q(counts__check_worst=worst, counts__check_count=count)
        found = checked.filter(valid).filter(in_keys).select_related("counts").order_by("path")[:limit]
        summaries += [_stored_summary(o, policy, today) for o in found]
    live: list[OrgSummary] = []
    if stale_count:  # evaluated as the rule-check page does
        stale = list(checked.exclude(pk__in=checked.filter(valid).values("pk")).order_by("path"))
        live = [s for s in org_summaries(stale, today=today) if s.checks]
    severity = {v: k for k, v in SEVERITY_ORDER.items()}
    counts: Counter[str | None] = Counter()
    for (worst, _count), n in groups.items():
        counts[severity[worst]] += n
    counts.update(s.worst for s in live)
    ranked = sorted(
        summaries + live, key=lambda s: (SEVERITY_ORDER[s.checks[0].severity], -len(s.checks), s.org.path)
    )
    return RuleCheckDigest(
        total=sum(groups.values()) + len(live),
        danger=counts["danger"],
        warning=counts["warning"],
        top=ranked[:top],
    )


def _stored_summary(org: Organization, policy: Policy, today: date) -> OrgSummary:
    """The org's checks from the facts in its counter row (the messages are made now, in the reader's
    language)."""
    c = org.counts
    facts = facts_of(
        org,
        policy,
        members=c.members,
        full_members=c.members_full,
        committee_size=c.committee_size,
        secretaries={org.pk: c.secretary_full_on} if c.has_secretary else {},
    )
    return OrgSummary(org, facts, check_organization(facts, today, policy))


def cache_or_compute(key: str, compute: Any, *, refresh: bool = False) -> Any:
    """``compute()``, kept in the cache for DASHBOARD_CACHE_SECONDS (0: always computed)."""
    import hashlib

    from django.conf import settings
    from django.core.cache import cache

    seconds = int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 0))
    if seconds <= 0:
        return compute()
    key = "dj:" + hashlib.sha256(key.encode()).hexdigest()
    value = None if refresh else cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _rule_check_list(scope: Scope, today: date | None) -> list[OrgSummary]:
    orgs = list(
        organizations_within(scope).filter(is_active=True).exclude(kind=OrgKind.GROUP).order_by("path")
    )
    rows = [s for s in org_summaries(orgs, today=today) if s.checks]
    return sorted(rows, key=lambda s: (SEVERITY_ORDER[s.checks[0].severity], -len(s.checks), s.org.path))


_TITLE_ORDER = Case(
    *[When(title=title, then=Value(rank)) for rank, title in enumerate(PositionTitle.values)],
    default=Value(99),
    output_field=IntegerField(),
)


def open_positions(orgs: list[Organization]) -> list[Position]:
    """The serving posts of these orgs with their holders (person, their org, membership): one query that
    gives the org page both its committee (``committee_of``) and the facts (``org_summaries``)."""
    return list(
        Position.objects.filter(
            organization_id__in=[o.pk for o in orgs], ended_on__isnull=True
        ).select_related("person", "person__organization", "person__membership")
    )


def committee_of(org: Organization, positions: list[Position]) -> list[Position]:
    """``org_committee`` from ``open_positions``: the org's serving posts, 书记 first, by PositionTitle."""
    rank = {title: n for n, title in enumerate(PositionTitle.values)}
    mine = [p for p in positions if p.organization_id == org.pk and p.ended_on is None]
    return sorted(mine, key=lambda p: (rank.get(p.title, 99), p.started_on, p.pk))


def org_committee(org: Organization) -> QuerySet[Position]:
    """Serving posts, 书记 first, in the order of PositionTitle."""
    return (
        Position.objects.filter(organization=org, ended_on__isnull=True)
        .select_related("person", "person__organization", "person__membership")
        .order_by(_TITLE_ORDER, "started_on")
    )


def org_members(org: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization__path__startswith=org.path)
        .select_related("person", "organization", "group")
        .order_by("organization__path", "person__name_pinyin")
    )


# ---------------------------------------------------------------- people

ID_NUMBER_RE = re.compile(r"^\d{17}[\dXx]$")


def people_visible_to(scope: Scope, perm: Permission = Permission.VIEW_PEOPLE) -> QuerySet[Person]:
    """People whose responsible org (their branch, or where they applied) lies in scope."""
    return Person.objects.filter(scope.q(perm, "organization__path"))


def memberships_visible_to(scope: Scope, perm: Permission = Permission.VIEW_PEOPLE) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(scope.q(perm, "organization__path"))
        .select_related("person", "organization")
        .order_by("organization__path", "person__name_pinyin", "pk")
    )


def get_person_for(scope: Scope, person_id: Any, perm: Permission = Permission.VIEW_PEOPLE) -> Person:
    """A person in scope; a user may always read their own record. Otherwise 404."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = Person.objects.select_related("organization", "membership", "membership__organization", "cadre")
    if pk == scope.person_id and perm == Permission.VIEW_PEOPLE:
        return qs.get(pk=pk)
    try:
        return qs.filter(scope.q(perm, "organization__path")).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


def search_people(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Search by exact ID number, staff/student number, pinyin initials or full pinyin, or name."""
    query = (query or "").strip()
    if not query:
        return qs
    if ID_NUMBER_RE.match(query):
        return qs.filter(id_number_index=crypto.blind_index(normalize_id_number(query)))
    if query.isdigit():
        return qs.filter(staff_number__startswith=query)
    if query.isascii() and query.replace(" ", "").isalpha():
        q = query.replace(" ", "").lower()
        return qs.filter(Q(name_initials__startswith=q) | Q(name_pinyin__startswith=q))
    return qs.filter(Q(name__contains=query) | Q(staff_number__startswith=query))


def person_list(
    scope: Scope,
    *,
    query: str = "",
    political_status: str = "",
    person_type: str = "",
    unit: str = "",
    org: Organization | None = None,
) -> QuerySet[Person]:
    qs = people_visible_to(scope).select_related("organization")
    qs = search_people(qs, query)
    if political_status:
        qs = qs.filter(political_status=political_status)
    if person_type:
        qs = qs.filter(person_type=person_type)
    if unit:
        qs = qs.filter(unit__contains=unit)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if query:
        # A search matches few rows: sort them after the index lookup. Ordering by the bare column would
        # let PostgreSQL walk the whole name_pinyin index looking for matches (1.5 s at 1.3M people, vs
        # 17 ms); lower() of the already-lowercase pinyin gives the same order without that plan.
        return qs.order_by(Lower("name_pinyin"), "pk")
    return qs.order_by("name_pinyin", "pk")


def person_list_total(
    scope: Scope,
    *,
    query: str = "",
    political_status: str = "",
    person_type: str = "",
    unit: str = "",
    org: Organization | None = None,
) -> int | None:
    """How many rows ``person_list`` has, from the counter table (one SUM over the orgs in scope) when it
    filters by organization and status only; None otherwise (the caller counts). Counting a million
    members costs more than the page; the counters are exact (kept in the writing transaction)."""
    if query or person_type or unit or "" in scope.prefixes(Permission.VIEW_PEOPLE):
        return None  # a global scope also lists people with no organization, which no counter holds
    rows = OrgCounts.objects.filter(scope.q(Permission.VIEW_PEOPLE, "organization__path"))
    if org is not None:
        rows = rows.filter(organization__path__startswith=org.path)
    statuses = [political_status] if political_status else list(PoliticalStatus.values)
    total = rows.aggregate(n=Sum(sum((F(f"status_{s}") for s in statuses[1:]), F(f"status_{statuses[0]}"))))
    return int(total["n"] or 0)


def person_positions(person: Person, *, as_of: date | None = None) -> QuerySet[Position]:
    qs = Position.objects.filter(person=person).select_related("organization")
    if as_of:
        qs = qs.filter(started_on__lte=as_of).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    return qs.order_by("-started_on")


def membership_as_of(person: Person, as_of: date) -> Any:
    """The person's membership record as it stood at the end of ``as_of`` (simple-history)."""
    from datetime import datetime, time

    moment = timezone.make_aware(datetime.combine(as_of, time.max))
    return (
        Membership.history.filter(person_id=person.pk, history_date__lte=moment)
        .select_related("organization")
        .order_by("-history_date")
        .first()
    )


_HISTORY_HIDDEN_FIELDS = (
    "updated_at",
    "id_number_encrypted",
    "id_number_index",
    "name_pinyin",
    "name_initials",
)


def person_history(person: Person, *, limit: int = 50) -> list[dict[str, Any]]:
    """A timeline of changes to the person and their membership and positions, newest first (three
    queries, see ``history_events``)."""
    return history_events(
        [
            (_("人员信息"), Person.history.filter(id=person.pk)),
            (_("党员档案"), Membership.history.filter(person_id=person.pk)),
            (_("党内职务"), Position.history.filter(person_id=person.pk)),
        ],
        limit=limit,
    )


def history_events(
    sources: list[tuple[str, Any]], *, limit: int = 50, hidden: tuple[str, ...] = _HISTORY_HIDDEN_FIELDS
) -> list[dict[str, Any]]:
    """The timeline drawn by ``core/person_history.html#timeline`` from simple-history querysets, each
    with its label: ``when``, ``what`` (the label), ``type`` (+ ~ -), ``who`` (the user or None) and
    ``changed`` (the verbose names of the fields a change touched, less ``hidden``), newest first.

    One query per source: each record is compared with the previous record of the same object in the
    fetched window (``prev_record`` would cost one query per row)."""
    events: list[dict[str, Any]] = []
    for label, qs in sources:
        records = list(qs.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
        older: dict[int, Any] = {}
        for record in reversed(records):  # oldest first, so the previous version is known
            prev = older.get(record.id)
            older[record.id] = record
            changed: list[str] = []
            if prev is not None and record.history_type == "~":
                changed = [
                    str(record.instance_type._meta.get_field(c.field).verbose_name)
                    for c in record.diff_against(prev).changes
                    if c.field not in hidden
                ]
            events.append(
                {
                    "when": record.history_date,
                    "what": label,
                    "type": record.history_type,
                    "who": record.history_user,
                    "changed": changed,
                }
            )
    events.sort(key=lambda e: e["when"], reverse=True)
    return events[:limit]


# ---------------------------------------------------------------- statistics


def subtree_stats(org: Organization, *, on: date | None = None) -> dict[str, Any]:
    """Counts for an org's whole subtree: people on the roll by political status, gender, age band and
    education, members by branch category. All but the age bands are the counter rows under the org's
    path summed (one query, live); an age changes with the date, so the age bands are a conditional count
    over the people, cached for DASHBOARD_CACHE_SECONDS (a province's root covers 1.3M people)."""
    on = on or timezone.localdate()
    groups = {
        "by_political_status": ("active", PoliticalStatus.values),
        "by_gender": ("gender", Gender.values),
        "by_education": ("education", ["", *Education.values]),
    }
    sums: dict[str, Any] = {"members": Sum("counts__members")}
    for group, (column, values) in groups.items():
        for value in values:
            sums[f"{group}__{value}"] = Sum(f"counts__{column}_{value or 'none'}")
    totals: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    rows = (
        Organization.objects.filter(path__startswith=org.path).order_by().values("category").annotate(**sums)
    )
    for row in rows:
        category = row.pop("category")
        by_category[category] += row["members"] or 0
        totals.update({k: v or 0 for k, v in row.items()})
    result: dict[str, Any] = {
        "people": sum(totals[f"by_political_status__{v}"] for v in PoliticalStatus.values),
        "members": totals["members"],
    }
    for group in groups:
        prefix = f"{group}__"
        result[group] = {k[len(prefix) :]: v for k, v in totals.items() if k.startswith(prefix) and v}
    result["members_by_category"] = _nonzero(by_category)
    result["by_age_band"] = cache_or_compute(
        f"subtree_age_bands:{org.path}:{on.isoformat()}", lambda: _age_bands(org, on)
    )
    return result


def _age_band_counts(on: date) -> dict[str, Count]:
    """One filtered count per band of AGE_BANDS (ages on ``on``), keyed ``band__<index>``."""
    counts: dict[str, Count] = {}
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        born_after, born_by = birth_range(low, high, on)
        cond = Q()
        if born_after is not None:
            cond &= Q(birth_date__gt=born_after)
        if born_by is not None:
            cond &= Q(birth_date__lte=born_by)
        counts[f"band__{index}"] = Count("id", filter=cond)
    return counts


def _age_bands(org: Organization, on: date) -> dict[str, int]:
    people = Person.objects.filter(organization__path__startswith=org.path, is_active=True)
    counts = _age_band_counts(on)
    row = people.aggregate(**counts)
    return {label: row[f"band__{i}"] for i, (label, _low, _high) in enumerate(AGE_BANDS)}


def subtree_stats_live(org: Organization, *, on: date | None = None) -> dict[str, Any]:
    """``subtree_stats`` aggregated from people and memberships (what the counters must equal)."""
    return _subtree_stats(org, on or timezone.localdate())


def _subtree_stats(org: Organization, on: date) -> dict[str, Any]:
    people = Person.objects.filter(organization__path__startswith=org.path, is_active=True)
    members = Membership.objects.filter(
        organization__path__startswith=org.path, standing__in=ON_ROLL_STANDINGS
    )
    groups = {
        "by_political_status": ("political_status", PoliticalStatus.values),
        "by_gender": ("gender", Gender.values),
        "by_education": ("education", ["", *Education.values]),
    }
    counts: dict[str, Any] = {"people": Count("id")}
    for group, (field, values) in groups.items():
        for value in values:
            counts[f"{group}__{value}"] = Count("id", filter=Q(**{field: value}))
    counts.update(_age_band_counts(on))
    row = people.aggregate(**counts)
    member_counts: dict[str, Any] = {"members": Count("id")}
    for value in ["", *OrgCategory.values]:
        member_counts[f"category__{value}"] = Count("id", filter=Q(organization__category=value))
    mrow = members.aggregate(**member_counts)
    result: dict[str, Any] = {"people": row["people"], "members": mrow["members"]}
    for group in groups:
        prefix = f"{group}__"
        result[group] = {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix) and v}
    result["members_by_category"] = {
        k[len("category__") :]: v for k, v in mrow.items() if k.startswith("category__") and v
    }
    result["by_age_band"] = {label: row[f"band__{i}"] for i, (label, _low, _high) in enumerate(AGE_BANDS)}
    return result


# ---------------------------------------------------------------- dashboard


def _count_by(qs: QuerySet[Any], field: str) -> dict[str, int]:
    # order_by() clears a model's default ordering, which would otherwise split the groups (treebeard
    # orders organizations by path).
    return dict(qs.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n"))


def dashboard_counts(scope: Scope) -> dict[str, Any]:
    """Counts for the home dashboard: active orgs by kind, people by status, members by category — from
    the counter table, one query per distinct scope (two for a school-wide one: people with no org)."""
    org_prefixes = scope.prefixes(Permission.VIEW_ORGS)
    people_prefixes = scope.prefixes(Permission.VIEW_PEOPLE)
    statuses = {f"status_{s}": Sum(f"counts__status_{s}") for s in PoliticalStatus.values}
    figures = {"members": Sum("counts__members"), **statuses}
    orgs_by_kind: Counter[str] = Counter()
    people_by_status: Counter[str] = Counter()
    members_by_category: Counter[str] = Counter()

    def add_people(row: dict[str, Any]) -> None:
        for value in PoliticalStatus.values:
            people_by_status[value] += row[f"status_{value}"] or 0
        members_by_category[row["category"]] += row["members"] or 0

    same = org_prefixes == people_prefixes
    rows = (
        organizations_within(scope)
        .order_by()
        .values("kind", "category", "is_active")
        .annotate(n=Count("pk"), **(figures if same else {}))
    )
    for row in rows:
        if row["is_active"]:
            orgs_by_kind[row["kind"]] += row["n"]
        if same:
            add_people(row)
    if not same:
        people_orgs = Organization.objects.filter(scope.q(Permission.VIEW_PEOPLE, "path"))
        for row in people_orgs.order_by().values("category").annotate(**figures):
            add_people(row)
    if "" in people_prefixes:  # the whole school sees the people who belong to no org too
        people_by_status.update(
            _count_by(Person.objects.filter(organization__isnull=True), "political_status")
        )
    return {
        "orgs_by_kind": _nonzero(orgs_by_kind),
        "people_by_status": _nonzero(people_by_status),
        "members_by_category": _nonzero(members_by_category),
    }


def dashboard_counts_live(scope: Scope) -> dict[str, Any]:
    """``dashboard_counts`` aggregated from people and memberships (what the counter table must equal;
    tests and the consistency check compare them)."""
    members = Membership.objects.filter(
        scope.q(Permission.VIEW_PEOPLE, "organization__path"), standing__in=ON_ROLL_STANDINGS
    )
    return {
        "orgs_by_kind": _count_by(organizations_within(scope).filter(is_active=True), "kind"),
        "people_by_status": _count_by(people_visible_to(scope), "political_status"),
        "members_by_category": _count_by(members, "organization__category"),
    }


def _nonzero(counts: Counter[str]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


# A membership in these standings is closed: the person is no longer a member here.
CLOSED_STANDINGS = (
    Standing.EXPELLED,
    Standing.PROBATION_CANCELLED,
    Standing.DECEASED,
    Standing.TRANSFERRED_OUT,
)
MEMBER_STATUSES = (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL)


def _members_q() -> Q:
    return Q(political_status__in=MEMBER_STATUSES) | (
        Q(membership__isnull=False) & ~Q(membership__standing__in=CLOSED_STANDINGS)
    )


def is_party_member(person: Person) -> bool:
    """预备 or 正式 by status, or holding a membership that is still open (any standing but closed)."""
    return Person.objects.filter(_members_q(), pk=person.pk).exists()


def people_due_for_anonymisation(*, on: date, after_years: int) -> QuerySet[Person]:
    """Non-members who left at least ``after_years`` before ``on`` and are not anonymised yet (a day's
    margin at 29 February; the service checks the exact anniversary)."""
    latest = date(on.year - after_years, on.month, 28 if (on.month, on.day) == (2, 29) else on.day)
    return Person.objects.filter(
        is_active=False, left_on__isnull=False, left_on__lte=latest, anonymised_on__isnull=True
    ).exclude(_members_q())
