"""述职评议考核's services: opening with the indicator scores pre-filled, reviewers, the 述职报告, the
reviewers' scores (once per organization each, anonymous in the audit), the stages, the grades and the
publication — each refused with a Chinese message when the rule says no, and outsiders refused as 404."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Position, PositionTitle
from dangjian.insights.assessment import services
from dangjian.insights.assessment.models import Reviewer, ReviewScore, Stage, Target
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.workbench.models import Notification
from tests.insights.assessment.conftest import (
    SYSTEM,
    YEAR,
    open_assessment,
    score_all,
    target,
    to_reviewing,
)

pytestmark = pytest.mark.django_db


def test_opening_makes_the_organizations_right_below_the_assessed(scored, college_organizer) -> None:
    world = scored
    assessment = services.assessment_open(
        actor=college_organizer, scope=resolve_scope(college_organizer), org=world.cs, year=YEAR
    )
    got = {t.organization_id: t for t in Target.objects.filter(assessment=assessment)}
    assert set(got) == {world.cs_branch.pk, world.cs_branch2.pk}  # not the party group below a branch
    first = got[world.cs_branch.pk]
    assert first.indicator_score == 85.0  # (90 + 80) / 2: the unmeasured 吸引力 is left out
    assert first.indicator_detail == {"basic": 90.0, "cohesion": 80.0, "attraction": None}
    assert first.secretary_id == world.secretary.pk
    assert got[world.cs_branch2.pk].indicator_score == 65.0
    assert got[world.cs_branch2.pk].secretary_id is None
    assert (assessment.indicator_weight, assessment.good_from, assessment.average_from) == (0.4, 90, 60)
    event = AuditEvent.objects.get(action="assessment.open")
    assert event.changes["target_count"] == 2


def test_a_second_assessment_of_the_same_year_is_refused(scored) -> None:
    open_assessment(scored)
    with pytest.raises(RuleViolation, match="已启动 2025 年度述职评议考核"):
        open_assessment(scored)


def test_a_bad_scheme_or_year_is_refused(scored) -> None:
    with pytest.raises(RuleViolation, match="从高到低"):
        open_assessment(scored, bands=(80, 90, 60))
    with pytest.raises(RuleViolation, match="0 到 1"):
        open_assessment(scored, indicator_weight=1.5)
    with pytest.raises(RuleViolation, match="今年或上一年度"):
        services.assessment_open(actor=None, scope=SYSTEM, org=scored.cs, year=2023)


def test_an_outsider_or_a_branch_cannot_open(scored, outsider_organizer, branch_secretary) -> None:
    with pytest.raises(NotFound):
        services.assessment_open(
            actor=outsider_organizer, scope=resolve_scope(outsider_organizer), org=scored.cs, year=YEAR
        )
    with pytest.raises(NotFound):  # a branch has no organizations below it to assess
        services.assessment_open(actor=None, scope=SYSTEM, org=scored.cs_branch, year=YEAR)


def test_reviewers_are_named_by_login_and_unknown_names_are_listed(scored, reviewer_a) -> None:
    assessment = open_assessment(scored)
    with pytest.raises(RuleViolation, match="没有有效账号：nobody1、nobody2"):
        services.reviewers_set(
            actor=None,
            scope=SYSTEM,
            assessment=assessment,
            usernames=["reviewer_a", "nobody1", "nobody2"],
            expected_status=None,
        )
    assert not Reviewer.objects.exists()
    services.reviewers_set(
        actor=None,
        scope=SYSTEM,
        assessment=assessment,
        usernames=["reviewer_a", "reviewer_a"],
        expected_status=None,
    )
    assert Reviewer.objects.filter(assessment=assessment).count() == 1


def test_a_reviewer_who_scored_cannot_be_removed(scored, reviewer_a, reviewer_b) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a", "reviewer_b")
    score_all(assessment, reviewer_a, 88)
    with pytest.raises(RuleViolation, match="已提交评分，不能移除：reviewer_a"):
        services.reviewers_set(
            actor=None,
            scope=SYSTEM,
            assessment=assessment,
            usernames=["reviewer_b"],
            expected_status="reviewing",
        )
    services.reviewers_set(
        actor=None, scope=SYSTEM, assessment=assessment, usernames=["reviewer_a"], expected_status="reviewing"
    )
    assert list(Reviewer.objects.values_list("user__username", flat=True)) == ["reviewer_a"]


def test_the_secretary_writes_the_report_and_a_member_cannot(scored, branch_secretary, member_user) -> None:
    assessment = open_assessment(scored)
    mine = target(assessment, scored.cs_branch)
    services.report_submit(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        target=mine,
        text="  一年来的工作  ",
        expected_status="reporting",
    )
    mine.refresh_from_db()
    assert mine.report == "一年来的工作" and mine.report_by == branch_secretary
    with pytest.raises(NotFound):
        services.report_submit(
            actor=member_user,
            scope=resolve_scope(member_user),
            target=mine,
            text="x",
            expected_status="reporting",
        )
    with pytest.raises(RuleViolation, match="请填写述职报告"):
        services.report_submit(actor=None, scope=SYSTEM, target=mine, text="   ", expected_status=None)


def test_the_report_is_closed_once_grading_begins(scored, reviewer_a) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    score_all(assessment, reviewer_a, 90)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status="reviewing")
    with pytest.raises(RuleViolation, match="述职报告不能再修改"):
        services.report_submit(
            actor=None,
            scope=SYSTEM,
            target=target(assessment, scored.cs_branch),
            text="迟交",
            expected_status=None,
        )


def test_reviewing_needs_reviewers_and_grading_needs_a_score_for_each(scored, reviewer_a) -> None:
    assessment = open_assessment(scored)
    with pytest.raises(RuleViolation, match="请先指定评议人"):
        services.assessment_advance(
            actor=None, scope=SYSTEM, assessment=assessment, expected_status="reporting"
        )
    assessment = to_reviewing(assessment, "reviewer_a")
    services.scores_submit(
        actor=reviewer_a,
        scope=resolve_scope(reviewer_a),
        assessment=assessment,
        scores={target(assessment, scored.cs_branch).pk: 90},
        expected_status="reviewing",
    )
    with pytest.raises(RuleViolation, match="还有 1 个组织没有评议人评分"):
        services.assessment_advance(
            actor=None, scope=SYSTEM, assessment=assessment, expected_status="reviewing"
        )


def test_a_reviewer_scores_each_organization_once_and_may_change_it(scored, reviewer_a, reviewer_b) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a", "reviewer_b")
    scope = resolve_scope(reviewer_a)
    first = target(assessment, scored.cs_branch)
    services.scores_submit(
        actor=reviewer_a,
        scope=scope,
        assessment=assessment,
        scores={first.pk: 80},
        expected_status="reviewing",
    )
    services.scores_submit(
        actor=reviewer_a,
        scope=scope,
        assessment=assessment,
        scores={first.pk: 85.5},
        expected_status="reviewing",
    )
    assert [str(s) for s in ReviewScore.objects.filter(target=first).values_list("score", flat=True)] == [
        "85.5"
    ]
    event = AuditEvent.objects.filter(action="assessment.scores_submit").latest("pk")
    assert event.changes == {"scored": 1, "new": 0, "changed": 1}  # how many, never which score


@pytest.mark.parametrize("value", [100.5, -1])
def test_a_score_outside_0_to_100_is_refused(scored, reviewer_a, value) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    with pytest.raises(RuleViolation, match="0 到 100"):
        services.scores_submit(
            actor=reviewer_a,
            scope=resolve_scope(reviewer_a),
            assessment=assessment,
            scores={target(assessment, scored.cs_branch).pk: value},
            expected_status="reviewing",
        )
    assert not ReviewScore.objects.exists()


def test_only_a_named_reviewer_scores_and_only_while_reviewing(scored, reviewer_a, college_organizer) -> None:
    assessment = open_assessment(scored)
    services.reviewers_set(
        actor=None, scope=SYSTEM, assessment=assessment, usernames=["reviewer_a"], expected_status=None
    )
    one = {target(assessment, scored.cs_branch).pk: 90}
    with pytest.raises(RuleViolation, match="不在评议阶段"):
        services.scores_submit(
            actor=reviewer_a,
            scope=resolve_scope(reviewer_a),
            assessment=assessment,
            scores=one,
            expected_status="reporting",
        )
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    with pytest.raises(NotFound):  # the organizer runs it but was not named a reviewer
        services.scores_submit(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            assessment=assessment,
            scores=one,
            expected_status="reviewing",
        )


def test_grading_computes_the_totals_and_the_schemes_grades(scored, reviewer_a, reviewer_b) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a", "reviewer_b")
    score_all(assessment, reviewer_a, 90)
    score_all(assessment, reviewer_b, 95)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status="reviewing")
    first = target(assessment, scored.cs_branch)
    second = target(assessment, scored.cs_branch2)
    assert (first.review_score, first.review_count) == (92.5, 2)
    assert first.total == 89.5  # 0.4 × 85 + 0.6 × 92.5
    assert first.proposed_grade == "fairly_good" == first.grade
    assert second.total == 81.5  # 0.4 × 65 + 0.6 × 92.5
    assert second.proposed_grade == "fairly_good"


def test_a_grade_other_than_the_schemes_needs_a_reason(scored, reviewer_a) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    score_all(assessment, reviewer_a, 90)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status="reviewing")
    first, second = target(assessment, scored.cs_branch), target(assessment, scored.cs_branch2)
    with pytest.raises(RuleViolation, match="请填写调整理由"):
        services.grades_decide(
            actor=None,
            scope=SYSTEM,
            assessment=assessment,
            grades={first.pk: ("good", ""), second.pk: ("fairly_good", "")},
            expected_status="grading",
        )
    with pytest.raises(RuleViolation, match="还有 1 个组织未评定等次"):
        services.grades_decide(
            actor=None,
            scope=SYSTEM,
            assessment=assessment,
            grades={first.pk: ("good", "样板支部")},
            expected_status="grading",
        )
    adjusted = services.grades_decide(
        actor=None,
        scope=SYSTEM,
        assessment=assessment,
        grades={first.pk: ("good", "样板支部"), second.pk: ("fairly_good", "不需要的理由")},
        expected_status="grading",
    )
    assert adjusted == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.grade, first.grade_reason) == ("good", "样板支部")
    assert second.grade_reason == ""  # the scheme's own grade keeps no reason


def test_publishing_tells_the_secretaries_and_a_stale_second_click_is_refused(
    scored, reviewer_a, branch_secretary
) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    score_all(assessment, reviewer_a, 92)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status="reviewing")
    services.assessment_publish(actor=None, scope=SYSTEM, assessment=assessment, expected_status="grading")
    assessment.refresh_from_db()
    assert assessment.stage == Stage.PUBLISHED and assessment.published_at
    note = Notification.objects.get(recipient=branch_secretary)
    assert "2025 年度述职评议考核结果" in note.title and "计算机学院教工第一党支部" in note.title
    with pytest.raises(StaleState):
        services.assessment_publish(
            actor=None, scope=SYSTEM, assessment=assessment, expected_status="grading"
        )


def test_an_outsider_cannot_move_or_grade(scored, outsider_organizer, reviewer_a) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    scope = resolve_scope(outsider_organizer)
    with pytest.raises(NotFound):
        services.assessment_advance(
            actor=outsider_organizer, scope=scope, assessment=assessment, expected_status="reviewing"
        )
    with pytest.raises(NotFound):
        services.reviewers_set(
            actor=outsider_organizer,
            scope=scope,
            assessment=assessment,
            usernames=["x"],
            expected_status="reviewing",
        )
    with pytest.raises(NotFound):
        services.indicators_refresh(
            actor=outsider_organizer, scope=scope, assessment=assessment, expected_status="reviewing"
        )
    with pytest.raises(NotFound):
        services.assessment_publish(
            actor=outsider_organizer, scope=scope, assessment=assessment, expected_status="reviewing"
        )


def test_refreshing_reads_the_recomputed_indices(scored) -> None:
    from dangjian.insights.models import IndexScore

    assessment = open_assessment(scored)
    IndexScore.objects.filter(organization=scored.cs_branch2, index="basic").update(score=90)
    changed = services.indicators_refresh(
        actor=None, scope=SYSTEM, assessment=assessment, expected_status="reporting"
    )
    assert changed == 1
    assert target(assessment, scored.cs_branch2).indicator_score == 75.0  # (90 + 70 + 65) / 3


def test_no_one_scores_the_organization_whose_secretary_they_are(
    scored, branch_secretary, reviewer_b
) -> None:
    assessment = to_reviewing(open_assessment(scored), "branch_secretary", "reviewer_b")
    own, other = target(assessment, scored.cs_branch), target(assessment, scored.cs_branch2)
    scope = resolve_scope(branch_secretary)
    with pytest.raises(RuleViolation, match="本人述职"):
        services.scores_submit(
            actor=branch_secretary,
            scope=scope,
            assessment=assessment,
            scores={own.pk: 100, other.pk: 80},
            expected_status="reviewing",
        )
    assert not ReviewScore.objects.exists()
    services.scores_submit(
        actor=branch_secretary,
        scope=scope,
        assessment=assessment,
        scores={other.pk: 80},
        expected_status="reviewing",
    )
    assert ReviewScore.objects.get().target == other


def test_a_new_secretary_takes_over_the_report(scored, branch_secretary, member_user) -> None:
    assessment = open_assessment(scored)
    mine = target(assessment, scored.cs_branch)
    assert mine.secretary == scored.secretary
    Position.objects.filter(organization=scored.cs_branch, title=PositionTitle.SECRETARY).update(
        ended_on=date(2026, 11, 1)
    )
    Position.objects.create(
        organization=scored.cs_branch,
        person=scored.member,
        title=PositionTitle.SECRETARY,
        started_on=date(2026, 11, 2),
    )
    assert (
        services.secretaries_refresh(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
        == 1
    )
    mine.refresh_from_db()
    assert mine.secretary == scored.member
    services.report_submit(
        actor=member_user,
        scope=resolve_scope(member_user),
        target=mine,
        text="接任以来的工作",
        expected_status="reporting",
    )
    with pytest.raises(NotFound):
        services.report_submit(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            target=mine,
            text="x",
            expected_status="reporting",
        )
    event = AuditEvent.objects.get(action="assessment.secretaries_refresh")
    assert event.changes == {str(scored.cs_branch.pk): [scored.secretary.pk, scored.member.pk]}


def test_the_secretaries_are_not_refreshed_after_reviewing_or_by_an_outsider(
    scored, outsider_organizer, reviewer_a
) -> None:
    assessment = open_assessment(scored)
    with pytest.raises(NotFound):
        services.secretaries_refresh(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            assessment=assessment,
            expected_status=None,
        )
    assessment = to_reviewing(assessment, "reviewer_a")
    score_all(assessment, reviewer_a, 80)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    with pytest.raises(RuleViolation, match="述职人不再更新"):
        services.secretaries_refresh(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
