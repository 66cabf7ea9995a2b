"""Computing a period: branches as measured, committees rolled up (Σ numerators / Σ denominators, sums,
means), scores by the version in force at the period's end — so an old period keeps its old weights —
and the period's rows replaced, not added to."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.accounts.scope import Scope
from dangjian.hooks import Reading
from dangjian.insights.indices.services import indices_compute, version_create
from dangjian.insights.models import IndexScore, IndexVersion, IndicatorValue
from dangjian.insights.periods import parse
from dangjian.kit.errors import RuleViolation

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


def _version(effective: str, weights: tuple[float, float], index: str = "basic") -> IndexVersion:
    return IndexVersion.objects.create(
        index=index,
        effective_from=date.fromisoformat(effective),
        components=[
            {"indicator": "test.ratio", "weight": weights[0], "zero": 0, "full": 1},
            {"indicator": "test.score", "weight": weights[1], "zero": 0, "full": 100},
        ],
    )


def _value(org, code: str, period: str = "2026Q3") -> IndicatorValue:
    p = parse(period)
    return IndicatorValue.objects.get(organization=org, period_kind=p.kind, period_start=p.start, code=code)


def _score(org, period: str = "2026Q3", index: str = "basic") -> IndexScore:
    p = parse(period)
    return IndexScore.objects.get(organization=org, period_kind=p.kind, period_start=p.start, index=index)


def test_committees_roll_up_their_branches(world, fake_indicators) -> None:
    fake_indicators["test.ratio"] = {
        world.cs_branch.pk: Reading(0.9, 9, 10),
        world.cs_branch2.pk: Reading(0.5, 15, 30),
        world.fl_branch.pk: Reading(1.0, 5, 5),
    }
    fake_indicators["test.count"] = {world.cs_branch.pk: Reading(3), world.cs_branch2.pk: Reading(4)}
    fake_indicators["test.score"] = {world.cs_branch.pk: Reading(80), world.cs_branch2.pk: Reading(90)}
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q3"), today=TODAY)
    assert _value(world.cs, "test.ratio").value == 0.6  # (9 + 15) / (10 + 30), not the mean 0.7
    assert (_value(world.cs, "test.ratio").numerator, _value(world.cs, "test.ratio").denominator) == (24, 40)
    assert _value(world.school, "test.ratio").value == round(29 / 45, 4)
    assert _value(world.cs, "test.count").value == 7
    assert _value(world.cs, "test.score").value == 85
    assert _value(world.fl_branch, "test.ratio").value == 1.0
    assert not IndicatorValue.objects.filter(organization=world.fl, code="test.score").exists()
    assert not IndicatorValue.objects.filter(organization=world.cs_group).exists()


def test_a_period_is_scored_by_the_version_in_force_at_its_end(world, fake_indicators) -> None:
    fake_indicators["test.ratio"] = {world.cs_branch.pk: Reading(1.0, 1, 1)}
    fake_indicators["test.score"] = {world.cs_branch.pk: Reading(50)}
    old = _version("2025-01-01", (0.5, 0.5))
    new = _version("2026-07-01", (0.8, 0.2))
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q2"), today=TODAY)
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q3"), today=TODAY)
    assert (_score(world.cs_branch, "2026Q2").score, _score(world.cs_branch, "2026Q2").version) == (75, old)
    assert (_score(world.cs_branch, "2026Q3").score, _score(world.cs_branch, "2026Q3").version) == (90, new)
    # Recomputing the old quarter after the new version exists still uses the old weights.
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q2"), today=TODAY)
    assert _score(world.cs_branch, "2026Q2").score == 75
    assert _score(world.cs_branch, "2026Q2").level == "fair"


def test_computing_again_replaces_the_period(world, fake_indicators) -> None:
    _version("2025-01-01", (0.5, 0.5))
    fake_indicators["test.ratio"] = {
        world.cs_branch.pk: Reading(1.0, 1, 1),
        world.fl_branch.pk: Reading(0, 0, 2),
    }
    fake_indicators["test.score"] = {world.cs_branch.pk: Reading(50)}
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q3"), today=TODAY)
    fake_indicators["test.ratio"] = {world.cs_branch.pk: Reading(0.5, 1, 2)}
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q3"), today=TODAY)
    assert _value(world.cs_branch, "test.ratio").value == 0.5
    assert not IndicatorValue.objects.filter(organization=world.fl_branch).exists()
    assert IndexScore.objects.filter(organization=world.cs_branch, period_start=date(2026, 7, 1)).count() == 1


def test_the_first_computation_writes_the_default_definitions(world, fake_indicators) -> None:
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026-11"), today=TODAY)
    assert set(IndexVersion.objects.values_list("index", flat=True)) == {"basic", "cohesion", "attraction"}


def test_only_the_school_computes_and_not_a_period_to_come(world, college_organizer, school_admin) -> None:
    from dangjian.accounts.scope import resolve_scope

    with pytest.raises(RuleViolation, match="只有学校党委组织部"):
        indices_compute(
            actor=college_organizer, scope=resolve_scope(college_organizer), period=parse("2026Q3")
        )
    with pytest.raises(RuleViolation, match="尚未开始"):
        indices_compute(
            actor=school_admin, scope=resolve_scope(school_admin), period=parse("2027"), today=TODAY
        )


def test_a_new_version_is_checked_and_audited(
    world, school_admin, college_organizer, fake_indicators
) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.audit.models import AuditEvent

    good = [
        {"indicator": "test.ratio", "weight": 0.7, "zero": 0.5, "full": 1},
        {"indicator": "test.score", "weight": 0.3, "zero": 60, "full": 95},
    ]
    with pytest.raises(RuleViolation, match="只有学校党委组织部"):
        version_create(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            index="basic",
            effective_from=date(2026, 1, 1),
            components=good,
            good_from=80,
            fair_from=60,
        )
    with pytest.raises(RuleViolation, match="权重之和"):
        version_create(
            actor=school_admin,
            scope=resolve_scope(school_admin),
            index="basic",
            effective_from=date(2026, 1, 1),
            components=good[:1],
            good_from=80,
            fair_from=60,
        )
    version = version_create(
        actor=school_admin,
        scope=resolve_scope(school_admin),
        index="basic",
        effective_from=date(2026, 1, 1),
        components=good,
        good_from=85,
        fair_from=65,
        note="2026 年方案",
    )
    assert AuditEvent.objects.filter(action="insights.version_create", target_id=str(version.pk)).count() == 1
    with pytest.raises(RuleViolation, match="已有一个版本"):
        version_create(
            actor=school_admin,
            scope=resolve_scope(school_admin),
            index="basic",
            effective_from=date(2026, 1, 1),
            components=good,
            good_from=85,
            fair_from=65,
        )
