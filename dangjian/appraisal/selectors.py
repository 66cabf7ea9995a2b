"""Reads of 民主评议党员, through the scope: the rounds a user runs or oversees, a round's participants with
their progress and 民主测评 counts, one's own participations, the objective indicators beside each
member (``hooks.person_indicators``), and a college's overview with its 不合格 reports.

民主测评 is read as counts only: per ratee and grade, and how many raters have submitted — never who
rated whom. A page is a fixed number of queries whatever the size of the branch (one per indicator)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.appraisal import access, rules
from dangjian.appraisal.models import Grade, Participant, Rating, Round, SelfReview, Stage
from dangjian.core.models import Organization


def rounds_visible_to(scope: Scope) -> QuerySet[Round]:
    """The rounds of the branches the scope runs or oversees, each with its counts of participants,
    self reviews written, raters who have submitted, voters and 不合格 decided."""
    return (
        Round.objects.filter(access.manage_q(scope))
        .select_related("branch")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_voters=Count("participants", filter=Q(participants__votes=True), distinct=True),
            n_reviews=Count("participants__self_review", distinct=True),
            n_rated=Count("participants", filter=Q(participants__rated_at__isnull=False), distinct=True),
            n_unqualified=Count(
                "participants", filter=Q(participants__decided_grade=Grade.UNQUALIFIED), distinct=True
            ),
        )
        .order_by("-year", "branch__path")
    )


def get_round_for(scope: Scope, round_id: Any) -> Round:
    """A round the scope runs (MANAGE_APPRAISAL over its branch); otherwise 404."""
    try:
        return rounds_visible_to(scope).get(pk=int(round_id))
    except (Round.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_own_round(scope: Scope, round_id: Any) -> tuple[Round, Participant]:
    """A round the viewer takes part in, with their participation; otherwise 404."""
    try:
        participant = (
            Participant.objects.select_related("round__branch", "person")
            .filter(access.own_q(scope))
            .get(round_id=int(round_id))
        )
    except (Participant.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    return participant.round, participant


def get_participant_for(scope: Scope, round: Round, participant_id: Any) -> Participant:
    try:
        return Participant.objects.select_related("person", "round__branch").get(
            round=round, pk=int(participant_id)
        )
    except (Participant.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def participants(round: Round) -> QuerySet[Participant]:
    """The round's participants in name order, with whether they wrote a self review."""
    return (
        Participant.objects.filter(round=round)
        .select_related("person")
        .annotate(wrote=Exists(SelfReview.objects.filter(participant_id=OuterRef("pk"))))
        .order_by("person__name_pinyin", "person__name", "pk")
    )


def tallies(round: Round) -> dict[int, dict[str, int]]:
    """The 民主测评 count of every participant: {participant id: {grade: raters}} (one GROUP BY)."""
    found: dict[int, list[tuple[str, int]]] = {}
    for ratee, grade, n in (
        Rating.objects.filter(round=round).values_list("ratee_id", "grade").order_by().annotate(n=Count("pk"))
    ):
        found.setdefault(ratee, []).append((grade, n))
    out: dict[int, dict[str, int]] = {}
    for pid in Participant.objects.filter(round=round).values_list("pk", flat=True):
        counts = rules.tally([])
        for grade, n in found.get(pid, []):
            counts[grade] = n
        out[pid] = counts
    return out


@dataclass(frozen=True)
class IndicatorColumn:
    code: str
    label: Any
    values: dict[int, tuple[Any, str, bool | None]] = field(default_factory=dict)


def indicators(person_ids: list[int], year: int) -> list[IndicatorColumn]:
    """Every registered person indicator for these people and year: one call each (bounded queries)."""
    return [
        IndicatorColumn(item.code, item.label, dict(item.values(person_ids, year)))
        for item in hooks.person_indicators.all()
    ]


@dataclass
class Line:
    """One participant on the proposals or decision page."""

    participant: Participant
    counts: dict[str, int]
    indicators: list[tuple[Any, Any, str, bool | None]]  # (label, value, text, ok)

    @property
    def rated_by(self) -> int:
        return sum(self.counts.values())


def lines(round: Round) -> tuple[list[Line], list[IndicatorColumn]]:
    people = list(participants(round))
    counts = tallies(round)
    columns = indicators([p.person_id for p in people], round.year)
    return (
        [
            Line(
                p,
                counts.get(p.pk, rules.tally([])),
                [(c.label, *c.values.get(p.person_id, (None, "—", None))) for c in columns],
            )
            for p in people
        ],
        columns,
    )


def own_participations(scope: Scope) -> QuerySet[Participant]:
    """The viewer's participations, newest year first."""
    return (
        Participant.objects.filter(access.own_q(scope))
        .select_related("round__branch")
        .annotate(wrote=Exists(SelfReview.objects.filter(participant_id=OuterRef("pk"))))
        .order_by("-round__year")
    )


def colleagues(round: Round, participant: Participant) -> QuerySet[Participant]:
    """The others a member rates, in name order."""
    return (
        Participant.objects.filter(round=round)
        .exclude(pk=participant.pk)
        .select_related("person")
        .order_by("person__name_pinyin", "person__name", "pk")
    )


def own_waiting(scope: Scope) -> dict[str, QuerySet[Participant]]:
    """The viewer's self reviews to write ("reviews") and ratings to give ("ratings") in their open
    rounds, to be counted (the to-dos)."""
    if not scope.person_id:
        return {}
    mine = Participant.objects.filter(access.own_q(scope))
    return {
        "reviews": mine.filter(round__stage__in=rules.SELF_REVIEW_STAGES, self_review__isnull=True),
        "ratings": mine.filter(round__stage=Stage.RATING, votes=True, rated_at__isnull=True),
    }


def overview(scope: Scope, org: Organization, year: int) -> QuerySet[Round]:
    """The rounds of ``year`` in ``org``'s subtree (a college's branches)."""
    return rounds_visible_to(scope).filter(branch__path__startswith=org.path, year=year)


def branches_without_round(scope: Scope, org: Organization, year: int) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(
            access.manage_q(scope, "path"), path__startswith=org.path, kind="branch", is_active=True
        )
        .exclude(appraisal_rounds__year=year)
        .order_by("path")
    )


def unqualified_cases(scope: Scope, org: Organization, year: int) -> QuerySet[Participant]:
    """The members decided 不合格 in ``year`` under ``org``, with the handling and whether reported."""
    return (
        Participant.objects.filter(
            access.manage_q(scope, "round__branch__path"),
            round__branch__path__startswith=org.path,
            round__year=year,
            decided_grade=Grade.UNQUALIFIED,
        )
        .select_related("person", "round__branch")
        .order_by("round__branch__path", "person__name_pinyin")
    )


def past_grades(person_id: int) -> QuerySet[Participant]:
    """A person's decided grades, newest first (the person page)."""
    return (
        Participant.objects.filter(person_id=person_id)
        .exclude(decided_grade="")
        .select_related("round__branch")
        .order_by("-round__year")
    )
