"""述职评议考核 fixtures: the computer-science college assesses its two branches for 2025, with index
scores of that year stored for them, the secretary of the first branch known by position."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.insights.assessment import services
from dangjian.insights.assessment.models import Assessment, Target
from dangjian.insights.models import IndexScore, IndexVersion
from tests import factories as f
from tests.conftest import World

SYSTEM = Scope.system()
YEAR = 2025


@pytest.fixture(autouse=True)
def _late_november():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


def store_scores(org: Organization, scores: dict[str, float | None], year: int = YEAR) -> None:
    for index, score in scores.items():
        version, _ = IndexVersion.objects.get_or_create(index=index, effective_from=date(2000, 1, 1))
        IndexScore.objects.create(
            organization=org,
            period_kind="year",
            period_start=date(year, 1, 1),
            index=index,
            score=score,
            level="",
            version=version,
            computed_at=timezone.now(),
        )


@pytest.fixture
def scored(world: World) -> World:
    store_scores(world.cs_branch, {"basic": 90, "cohesion": 80, "attraction": None})
    store_scores(world.cs_branch2, {"basic": 60, "cohesion": 70, "attraction": 65})
    return world


def open_assessment(world: World, **kwargs) -> Assessment:
    return services.assessment_open(actor=None, scope=SYSTEM, org=world.cs, year=YEAR, **kwargs)


def target(assessment: Assessment, org: Organization) -> Target:
    return Target.objects.get(assessment=assessment, organization=org)


@pytest.fixture
def reviewer_a(world: World) -> User:
    return f.user_for(None, "reviewer_a", (Role.COLLEGE_ORGANIZER, world.cs))


@pytest.fixture
def reviewer_b(world: World) -> User:
    return f.user_for(f.member(world.cs_branch2, "评议人乙"), "reviewer_b")


def to_reviewing(assessment: Assessment, *usernames: str) -> Assessment:
    services.reviewers_set(
        actor=None, scope=SYSTEM, assessment=assessment, usernames=list(usernames), expected_status=None
    )
    return services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)


def score_all(assessment: Assessment, user: User, value: float) -> None:
    ids = Target.objects.filter(assessment=assessment).values_list("pk", flat=True)
    services.scores_submit(
        actor=user,
        scope=SYSTEM,
        assessment=assessment,
        scores=dict.fromkeys(ids, value),
        expected_status=None,
        on_behalf_of=user.pk,
    )
