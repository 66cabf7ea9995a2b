"""Reads of the study-hour ledger, through the scope: an organization's members against their yearly
target (the branches or colleges under it rolled up, or a branch's members one by one), a person's rows,
and the 专题培训 an organizer recorded.

Each member's year total is joined from ``StudyYear`` (kept equal to the sum of the rows), and whether
they hold a committee position (the higher target) is an EXISTS: a page is a fixed number of queries
whatever the size of the organization."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import (
    COMMITTEE_TITLES,
    ON_ROLL_STANDINGS,
    Membership,
    Organization,
    Person,
    Position,
)
from dangjian.learning.ledger.rules import expected_by, yearly_target
from dangjian.learning.models import StudyHours, TopicTraining
from dangjian.policy import get_policy

P = Permission
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))


@dataclass(frozen=True)
class Targets:
    """The year's targets and, for ``on``, the hours a member and a cadre should have by then."""

    year: int
    on: date
    member: int
    cadre: int
    member_expected: Decimal
    cadre_expected: Decimal

    @classmethod
    def of(cls, year: int, today: date) -> Targets:
        policy = get_policy()
        # A past year is judged at its end, a future one at its start.
        on = today if today.year == year else date(year, 12, 31) if year < today.year else date(year, 1, 1)
        member, cadre = yearly_target(policy, cadre=False), yearly_target(policy, cadre=True)
        share = policy.study_pace_share
        return cls(year, on, member, cadre, expected_by(member, on, share), expected_by(cadre, on, share))


def cadre_exists(on: date, person_field: str = "person_id") -> Exists:
    """Holds a committee position (书记, 委员 …) on ``on``: the higher yearly target."""
    return Exists(
        Position.objects.filter(
            person_id=OuterRef(person_field), title__in=COMMITTEE_TITLES, started_on__lte=on
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    )


def _members(org: Organization, targets: Targets) -> QuerySet[Membership]:
    """The members on the roll in ``org``'s subtree, each with ``hours`` (the year's total), ``cadre``,
    ``target``, ``met`` and ``behind`` (below the straight line to the target)."""
    return (
        Membership.objects.filter(organization__path__startswith=org.path, standing__in=ON_ROLL_STANDINGS)
        .annotate(
            year_total=FilteredRelation(
                "person__study_years", condition=Q(person__study_years__year=targets.year)
            ),
        )
        .annotate(
            hours=Coalesce(F("year_total__hours"), ZERO),
            cadre=cadre_exists(targets.on),
        )
        .annotate(
            target=Case(When(cadre=True, then=Value(targets.cadre)), default=Value(targets.member)),
        )
    )


def members_against_targets(org: Organization, targets: Targets) -> QuerySet[Membership]:
    """The members on the roll in ``org``'s subtree with ``hours`` and ``target`` (the 体检报告's spread)."""
    return _members(org, targets)


def _met() -> Q:
    return Q(hours__gte=F("target"))


def _behind(targets: Targets) -> Q:
    return (Q(cadre=True) & Q(hours__lt=targets.cadre_expected)) | (
        Q(cadre=False) & Q(hours__lt=targets.member_expected)
    )


@dataclass
class Rollup:
    org: Organization
    members: int = 0
    met: int = 0
    behind: int = 0
    hours: Decimal = Decimal("0")

    @property
    def met_percent(self) -> int:
        return int(self.met * 100 / self.members) if self.members else 0

    @property
    def average(self) -> Decimal:
        return (self.hours / self.members).quantize(Decimal("0.1")) if self.members else Decimal("0")


def children_rollup(org: Organization, targets: Targets) -> tuple[Rollup, list[Rollup]]:
    """The organization's own line (its whole subtree) and one per organization right under it with
    members: three queries (the children, one GROUP BY, the total)."""
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by(
            "path"
        )
    )
    width = len(org.path) + Organization.steplen
    rows = {
        row["prefix"]: row
        for row in _members(org, targets)
        .annotate(prefix=Substr("organization__path", 1, width))
        .values("prefix")
        .order_by()
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=_met()),
            behind=Count("pk", filter=_behind(targets)),
            total=Sum("hours"),
        )
    }
    lines = []
    for child in children:
        row = rows.get(child.path)
        if row is None:
            continue
        lines.append(Rollup(child, row["n"], row["met"], row["behind"], row["total"] or Decimal("0")))
    own = rows.get(org.path[:width])  # people held by ``org`` itself: no child path has its length
    whole = Rollup(
        org,
        sum(r.members for r in lines) + (own["n"] if own else 0),
        sum(r.met for r in lines) + (own["met"] if own else 0),
        sum(r.behind for r in lines) + (own["behind"] if own else 0),
        sum((r.hours for r in lines), Decimal("0"))
        + ((own["total"] or Decimal("0")) if own else Decimal("0")),
    )
    return whole, lines


def member_lines(org: Organization, targets: Targets, *, show: str = "") -> QuerySet[Membership]:
    """The members of ``org``'s subtree with their hours and target, those furthest behind first;
    ``show``: "behind", "met" or everyone."""
    qs = (
        _members(org, targets)
        .annotate(is_behind=ExpressionWrapper(_behind(targets), output_field=BooleanField()))
        .select_related("person", "organization")
    )
    if show == "behind":
        qs = qs.filter(_behind(targets))
    elif show == "met":
        qs = qs.filter(_met())
    return qs.order_by("hours", "person__name_pinyin", "pk")


def ledger_org_for(scope: Scope, org_id: Any) -> Organization:
    """An organization whose ledger the user may read (VIEW_STUDY over it); otherwise 404."""
    try:
        org = Organization.objects.get(pk=int(org_id))
    except (Organization.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not scope.covers(P.VIEW_STUDY, org.path):
        raise Http404
    return org


def ledger_roots(scope: Scope) -> QuerySet[Organization]:
    """Where the user's ledger pages start: the top organizations of their VIEW_STUDY grants."""
    prefixes = scope.prefixes(P.VIEW_STUDY)
    if "" in prefixes:
        return Organization.objects.get_root_nodes()
    return Organization.objects.filter(path__in=prefixes).order_by("path")


def person_for_ledger(scope: Scope, person_id: Any) -> Person:
    """A person whose rows the user may read: their own, or one in the user's VIEW_STUDY scope."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = Person.objects.select_related("organization")
    if scope.person_id != pk:
        qs = qs.filter(scope.q(P.VIEW_STUDY, "organization__path"))
    person = qs.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def rows_of(person: Person | int, year: int) -> QuerySet[StudyHours]:
    """A person's ledger rows of a year, newest first (corrections beside what they correct)."""
    return StudyHours.objects.filter(
        person=person, on__gte=date(year, 1, 1), on__lt=date(year + 1, 1, 1)
    ).order_by("-on", "-id")


def year_total(person: Person | int, year: int) -> Decimal:
    return rows_of(person, year).aggregate(t=Sum("hours"))["t"] or Decimal("0")


def hours_and_cadre(person_id: int, on: date) -> tuple[Decimal, bool]:
    """The person's hours in the ledger for ``on``'s calendar year and whether they hold a committee
    position on ``on`` (the higher target) — one query (the 工作台's tile, 我的学习)."""
    year_sum = (
        StudyHours.objects.filter(
            person_id=OuterRef("pk"), on__gte=date(on.year, 1, 1), on__lt=date(on.year + 1, 1, 1)
        )
        .order_by()
        .values("person_id")
        .annotate(t=Sum("hours"))
        .values("t")
    )
    row = (
        Person.objects.filter(pk=person_id)
        .annotate(year_hours=Coalesce(Subquery(year_sum), ZERO), on_committee=cadre_exists(on, "pk"))
        .values_list("year_hours", "on_committee")
        .first()
    )
    return (Decimal(str(row[0])), bool(row[1])) if row else (Decimal("0"), False)


def is_cadre(person_id: int, on: date) -> bool:
    return (
        Position.objects.filter(person_id=person_id, title__in=COMMITTEE_TITLES, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .exists()
    )


def topics_visible_to(scope: Scope) -> QuerySet[TopicTraining]:
    return TopicTraining.objects.filter(scope.q(P.RECORD_STUDY, "organizer__path")).select_related(
        "organizer"
    )


def get_topic_for(scope: Scope, topic_id: Any) -> TopicTraining:
    try:
        return topics_visible_to(scope).get(pk=int(topic_id))
    except (TopicTraining.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def topic_people(topic: TopicTraining) -> QuerySet[StudyHours]:
    """The standing rows of the training (one per person counted), with the person."""
    return (
        StudyHours.objects.filter(batch=topic.batch, reverses__isnull=True, reversed_by__isnull=True)
        .select_related("person", "person__organization")
        .order_by("person__name_pinyin", "pk")
    )


def recorders_for(scope: Scope, limit: int = 500) -> list[Organization]:
    """The organizations the user may record a 专题培训 for: the top of each grant and the committees
    and branches under it, in tree order (at most ``limit``)."""
    from dangjian.core.models import OrgKind

    return list(
        Organization.objects.filter(
            scope.q(P.RECORD_STUDY, "path"),
            is_active=True,
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH],
        ).order_by("path")[:limit]
    )


def years_choice(today: date) -> list[int]:
    return [today.year - i for i in range(0, 4)]


def behind_members(targets: Targets) -> QuerySet[Membership]:
    """Every member on the roll behind the year's pace (for the monthly reminder)."""
    return (
        Membership.objects.filter(standing__in=ON_ROLL_STANDINGS)
        .annotate(
            year_total=FilteredRelation(
                "person__study_years", condition=Q(person__study_years__year=targets.year)
            ),
        )
        .annotate(hours=Coalesce(F("year_total__hours"), ZERO), cadre=cadre_exists(targets.on))
        .filter(_behind(targets))
    )


def behind_count(org: Organization, targets: Targets) -> int:
    """How many members of ``org``'s subtree are behind the year's pace (one query)."""
    return _members(org, targets).filter(_behind(targets)).count()
