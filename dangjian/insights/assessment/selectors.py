"""Reads of 述职评议考核, through the scope: the assessments a viewer runs, reviews or reports in; one
assessment with its organizations; a reviewer's own scores; an organization's latest grades (the
matrix and the 体检报告)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from dangjian.accounts.scope import Scope
from dangjian.insights.assessment import access
from dangjian.insights.assessment.models import Assessment, Grade, Reviewer, ReviewScore, Stage, Target


def assessments_for(scope: Scope) -> QuerySet[Assessment]:
    """The assessments the viewer runs, reviews, or reports in as a 书记, newest year first."""
    q = access.run_q(scope)
    if scope.user_id:
        q |= Q(reviewers__user_id=scope.user_id)
    if scope.person_id:
        q |= Q(targets__secretary_id=scope.person_id)
    ids = Assessment.objects.filter(q).values("pk")
    reviews = Reviewer.objects.filter(assessment=OuterRef("pk"), user_id=scope.user_id or 0)
    reports = Target.objects.filter(assessment=OuterRef("pk"), secretary_id=scope.person_id or 0)
    return (
        Assessment.objects.filter(pk__in=ids)
        .select_related("organization")
        .annotate(
            n_targets=Count("targets", distinct=True),
            n_reviewers=Count("reviewers", distinct=True),
            i_review=Exists(reviews),
            my_target=Subquery(reports.values("pk")[:1]),
        )
        .order_by("-year", "organization__path")
    )


def get_assessment_for(scope: Scope, assessment_id: int) -> Assessment:
    """An assessment the viewer runs (ASSESS_ORGS over its committee); otherwise 404."""
    item = (
        Assessment.objects.filter(access.run_q(scope), pk=assessment_id)
        .select_related("organization")
        .first()
    )
    if item is None:
        raise Http404
    return item


def get_reviewed_for(scope: Scope, assessment_id: int) -> tuple[Assessment, Reviewer]:
    """An assessment the viewer is named to review, with their reviewer row; otherwise 404."""
    if not scope.user_id:
        raise Http404
    reviewer = (
        Reviewer.objects.filter(assessment_id=assessment_id, user_id=scope.user_id)
        .select_related("assessment__organization")
        .first()
    )
    if reviewer is None:
        raise Http404
    return reviewer.assessment, reviewer


def get_target_for(scope: Scope, assessment_id: int, target_id: int) -> Target:
    """An assessed organization the viewer may open: the committee that runs it, its 书记, a reviewer,
    or (once published) its own viewers; otherwise 404."""
    target = (
        Target.objects.filter(pk=target_id, assessment_id=assessment_id)
        .select_related("assessment__organization", "organization", "secretary")
        .first()
    )
    if target is None:
        raise Http404
    if (
        access.may_run(scope, target.assessment)
        or access.is_secretary(scope, target)
        or access.may_see_result(scope, target)
        or access.reviewer_of(scope, target.assessment) is not None
    ):
        return target
    raise Http404


@dataclass
class Progress:
    targets: int
    reports: int
    reviewers: int
    reviewers_done: int
    scored_targets: int


def progress(assessment: Assessment) -> Progress:
    """Counts only (never who scored what): three queries."""
    t = Target.objects.filter(assessment=assessment).aggregate(
        n=Count("id"), reports=Count("id", filter=Q(report_at__isnull=False))
    )
    r = Reviewer.objects.filter(assessment=assessment).aggregate(
        n=Count("id"), done=Count("id", filter=Q(scored_at__isnull=False))
    )
    scored = ReviewScore.objects.filter(target__assessment=assessment).values("target_id").distinct().count()
    return Progress(t["n"], t["reports"], r["n"], r["done"], scored)


def targets(assessment: Assessment) -> QuerySet[Target]:
    return (
        Target.objects.filter(assessment=assessment)
        .select_related("organization", "secretary")
        .annotate(n_scores=Count("scores"))
        .order_by("organization__path")
    )


def reviewers(assessment: Assessment) -> list[Reviewer]:
    return list(
        Reviewer.objects.filter(assessment=assessment)
        .select_related("user__person")
        .order_by("user__username")
    )


def own_scores(reviewer: Reviewer) -> dict[int, Any]:
    return dict(ReviewScore.objects.filter(reviewer=reviewer).values_list("target_id", "score"))


def grade_tally(rows: Iterable[Target]) -> list[tuple[str, Any, int]]:
    got = [t.grade for t in rows]
    return [(g, label, got.count(g)) for g, label in Grade.choices]


@dataclass(frozen=True)
class Mark:
    """An organization's latest published grade (the matrix's colour, the 体检报告's line)."""

    year: int
    grade: str
    label: Any
    total: float | None
    assessment_id: int
    target_id: int


def latest_marks(org_ids: Iterable[int], up_to_year: int) -> dict[int, Mark]:
    """Each organization's grade in the latest published assessment of a year ≤ ``up_to_year``; one
    query."""
    rows = (
        Target.objects.filter(
            organization_id__in=list(org_ids),
            assessment__stage=Stage.PUBLISHED,
            assessment__year__lte=up_to_year,
        )
        .exclude(grade="")
        .order_by("organization_id", "-assessment__year")
        .values_list("organization_id", "assessment__year", "grade", "total", "assessment_id", "pk")
    )
    labels = dict(Grade.choices)
    out: dict[int, Mark] = {}
    for org_id, year, grade, total, aid, tid in rows:
        if org_id not in out:
            out[org_id] = Mark(year, grade, labels.get(grade, grade), total, aid, tid)
    return out
