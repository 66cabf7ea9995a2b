"""The services of 民主评议: opening a round, 自我评价, 民主测评 counted exactly and refused when it should
be (writing nothing), proposals and the decision under the 优秀 cap, the 不合格 report, the close."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.appraisal import selectors, services
from dangjian.appraisal.models import Grade, Participant, Rating, Round, SelfReview, Stage
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Standing
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.workbench.models import Notification
from tests.appraisal.conftest import SYSTEM, YEAR, Branch, all_others, open_round, participant

pytestmark = pytest.mark.django_db


def test_opening_makes_the_members_on_the_roll_participants(branch: Branch, branch_secretary) -> None:
    from dangjian.core.models import Membership

    gone = branch.people[3]
    Membership.objects.filter(person=gone).update(standing=Standing.DECEASED)
    round = services.round_open(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        branch=branch.world.cs_branch,
        year=YEAR,
    )
    votes = dict(Participant.objects.filter(round=round).values_list("person_id", "votes"))
    assert set(votes) == {p.pk for p in branch.people} - {gone.pk}
    # 预备党员 are rated but do not rate; full members rate
    assert [pid for pid, v in votes.items() if not v] == [branch.probationary.pk]
    assert AuditEvent.objects.filter(action="appraisal.round_open", target_id=str(round.pk)).exists()


def test_one_round_per_branch_and_year(branch: Branch) -> None:
    open_round(branch)
    with pytest.raises(RuleViolation, match="已启动"):
        services.round_open(actor=None, scope=SYSTEM, branch=branch.world.cs_branch, year=YEAR)
    assert Round.objects.count() == 1


def test_an_outsider_cannot_open_a_round(branch: Branch, outsider_organizer) -> None:
    with pytest.raises(NotFound):
        services.round_open(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            branch=branch.world.cs_branch,
            year=YEAR,
        )
    assert not Round.objects.exists()


def test_a_college_is_not_a_branch(branch: Branch, college_organizer) -> None:
    with pytest.raises(NotFound):
        services.round_open(
            actor=college_organizer, scope=resolve_scope(college_organizer), branch=branch.world.cs, year=YEAR
        )


def test_a_self_review_is_written_and_rewritten_once(branch: Branch, member_user) -> None:
    round = open_round(branch)
    scope = resolve_scope(member_user)
    for text in ("第一稿", "第二稿"):
        services.self_review_submit(
            actor=member_user,
            scope=scope,
            round=round,
            person_id=scope.person_id,
            text=text,
            expected_status=Stage.SELF_REVIEW,
        )
    assert list(SelfReview.objects.values_list("text", flat=True)) == ["第二稿"]
    with pytest.raises(RuleViolation, match="请填写"):
        services.self_review_submit(
            actor=member_user,
            scope=scope,
            round=round,
            person_id=scope.person_id,
            text="  ",
            expected_status=None,
        )


def _rate_all(round: Round, rng: random.Random) -> Counter[tuple[int, str]]:
    """Every full member rates the others at random; the expected count per (ratee, grade)."""
    expected: Counter[tuple[int, str]] = Counter()
    for rater in Participant.objects.filter(round=round, votes=True).order_by("pk"):
        grades = {pk: rng.choice(Grade.values) for pk in all_others(round, rater)}
        services.ratings_submit(
            actor=None,
            scope=SYSTEM,
            round=round,
            person_id=rater.person_id,
            grades=grades,
            expected_status=Stage.RATING,
        )
        expected.update((ratee, grade) for ratee, grade in grades.items())
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_democratic_rating_count_is_exact(branch: Branch, seed: int) -> None:
    round = open_round(branch, stage=Stage.RATING)
    expected = _rate_all(round, random.Random(seed))
    counts = selectors.tallies(round)
    for pid, per_grade in counts.items():
        for grade, n in per_grade.items():
            assert n == expected[(pid, grade)]
    # nine voters: each participant is rated by the eight other voters (the probationary one by all nine)
    totals = {pid: sum(c.values()) for pid, c in counts.items()}
    probationary = participant(round, branch.probationary).pk
    assert totals[probationary] == 9
    assert {n for pid, n in totals.items() if pid != probationary} == {8}
    assert Rating.objects.count() == 9 * 9
    # the audit says how many, never to whom
    event = AuditEvent.objects.filter(action="appraisal.ratings_submit").first()
    assert event is not None and event.changes == {"rating_count": 9}


def _submit(round: Round, person_id: int, grades: dict[int, str], expected: str | None = Stage.RATING) -> int:
    return services.ratings_submit(
        actor=None, scope=SYSTEM, round=round, person_id=person_id, grades=grades, expected_status=expected
    )


def test_refused_ratings_write_nothing(branch: Branch) -> None:
    round = open_round(branch, stage=Stage.RATING)
    rater = participant(round, branch.world.member)
    good = all_others(round, rater)
    outsider_round = services.round_open(actor=None, scope=SYSTEM, branch=branch.world.fl_branch, year=YEAR)
    stranger = Participant.objects.filter(round=outsider_round).first()
    assert stranger is not None
    cases = {
        "unknown_grade": {**good, next(iter(good)): "superb"},
        "self_rating": {**good, rater.pk: "excellent"},
        "not_participant": {**good, stranger.pk: "qualified"},
        "incomplete": dict(list(good.items())[1:]),
    }
    for code, grades in cases.items():
        with pytest.raises(RuleViolation) as exc:
            _submit(round, branch.world.member.pk, grades)
        assert exc.value.code == code
    assert not Rating.objects.exists()
    Participant.objects.filter(pk=rater.pk, rated_at__isnull=True).get()


def test_a_second_rating_is_refused_and_the_count_stays(branch: Branch) -> None:
    round = open_round(branch, stage=Stage.RATING)
    rater = participant(round, branch.world.member)
    assert _submit(round, branch.world.member.pk, all_others(round, rater)) == 9
    with pytest.raises(RuleViolation) as exc:
        _submit(round, branch.world.member.pk, all_others(round, rater, "excellent"))
    assert exc.value.code == "twice"
    assert Rating.objects.count() == 9 and not Rating.objects.filter(grade="excellent").exists()


def test_probationary_members_do_not_rate(branch: Branch) -> None:
    round = open_round(branch, stage=Stage.RATING)
    rater = participant(round, branch.probationary)
    with pytest.raises(RuleViolation) as exc:
        _submit(round, branch.probationary.pk, all_others(round, rater))
    assert exc.value.code == "no_vote" and "预备党员" in exc.value.message
    assert not Rating.objects.exists()


def test_no_rating_outside_the_rating_stage(branch: Branch) -> None:
    round = open_round(branch)
    rater = participant(round, branch.world.member)
    with pytest.raises(RuleViolation) as exc:
        _submit(round, branch.world.member.pk, all_others(round, rater), expected=Stage.SELF_REVIEW)
    assert exc.value.code == "wrong_stage"
    with pytest.raises(StaleState):  # the page showed the rating stage; the round is elsewhere
        _submit(round, branch.world.member.pk, all_others(round, rater))
    assert not Rating.objects.exists()


def test_a_member_of_another_branch_is_no_participant(branch: Branch, fl_member_user) -> None:
    round = open_round(branch, stage=Stage.RATING)
    scope = resolve_scope(fl_member_user)
    with pytest.raises(NotFound):
        services.ratings_submit(
            actor=fl_member_user,
            scope=scope,
            round=round,
            person_id=scope.person_id,
            grades={},
            expected_status=Stage.RATING,
        )


def _proposing(branch: Branch) -> Round:
    round = open_round(branch, stage=Stage.RATING)
    _rate_all(round, random.Random(7))
    services.round_advance(actor=None, scope=SYSTEM, round=round, expected_status=Stage.RATING)
    round.refresh_from_db()
    return round


def _grades(round: Round, excellent: int, unqualified: int = 0) -> dict[int, str]:
    ids = list(Participant.objects.filter(round=round).order_by("pk").values_list("pk", flat=True))
    grades = {pk: "qualified" for pk in ids}
    for pk in ids[:excellent]:
        grades[pk] = "excellent"
    for pk in ids[len(ids) - unqualified :] if unqualified else []:
        grades[pk] = "unqualified"
    return grades


@pytest.mark.parametrize(("excellent", "allowed"), [(2, True), (3, True), (4, False)])
def test_the_decision_keeps_the_excellent_cap(branch: Branch, excellent: int, allowed: bool) -> None:
    round = _proposing(branch)
    assert round.participants.count() == 10
    grades = _grades(round, excellent)
    if allowed:
        services.grades_propose(
            actor=None,
            scope=SYSTEM,
            round=round,
            proposals={k: (v, "") for k, v in grades.items()},
            expected_status=Stage.PROPOSING,
        )
        services.grades_decide(
            actor=None,
            scope=SYSTEM,
            round=round,
            grades=grades,
            decided_on=date(2026, 11, 28),
            expected_status=Stage.PROPOSING,
        )
        round.refresh_from_db()
        assert round.stage == Stage.DECIDED
        assert Participant.objects.filter(round=round, decided_grade="excellent").count() == excellent
    else:
        services.grades_propose(
            actor=None,
            scope=SYSTEM,
            round=round,
            proposals={k: ("qualified", "") for k in grades},
            expected_status=Stage.PROPOSING,
        )
        with pytest.raises(RuleViolation, match="最多 3 人"):
            services.grades_decide(
                actor=None,
                scope=SYSTEM,
                round=round,
                grades=grades,
                decided_on=date(2026, 11, 28),
                expected_status=Stage.PROPOSING,
            )
        with pytest.raises(RuleViolation, match="最多 3 人"):
            services.grades_propose(
                actor=None,
                scope=SYSTEM,
                round=round,
                proposals={k: (v, "") for k, v in grades.items()},
                expected_status=Stage.PROPOSING,
            )
        round.refresh_from_db()
        assert round.stage == Stage.PROPOSING
        assert not Participant.objects.filter(round=round).exclude(decided_grade="").exists()


def _decided(branch: Branch, unqualified: int = 1) -> Round:
    round = _proposing(branch)
    grades = _grades(round, 2, unqualified)
    services.grades_propose(
        actor=None,
        scope=SYSTEM,
        round=round,
        proposals={k: (v, "") for k, v in grades.items()},
        expected_status=None,
    )
    services.grades_decide(
        actor=None,
        scope=SYSTEM,
        round=round,
        grades=grades,
        decided_on=date(2026, 11, 28),
        expected_status=None,
    )
    round.refresh_from_db()
    return round


def test_unqualified_cases_are_handled_then_reported_up_once(branch: Branch, college_organizer) -> None:
    round = _decided(branch)
    case = Participant.objects.get(round=round, decided_grade=Grade.UNQUALIFIED)
    with pytest.raises(RuleViolation, match="处置方式"):
        services.unqualified_report(actor=None, scope=SYSTEM, round=round, expected_status=Stage.DECIDED)
    with pytest.raises(RuleViolation, match="未上报"):
        services.round_close(actor=None, scope=SYSTEM, round=round, expected_status=Stage.DECIDED)
    services.handling_record(
        actor=None,
        scope=SYSTEM,
        participant=case,
        handling="correct",
        note="限期三个月",
        expected_status="decided",
    )
    assert services.unqualified_report(actor=None, scope=SYSTEM, round=round, expected_status="decided") == 1
    notice = Notification.objects.get(recipient=college_organizer)
    assert "不合格" in notice.title and "限期改正" in notice.body
    with pytest.raises(RuleViolation, match="没有待上报"):
        services.unqualified_report(actor=None, scope=SYSTEM, round=round, expected_status="decided")
    assert Notification.objects.count() == 1
    # recorded and reported: nobody's membership changed
    from dangjian.core.models import Membership

    assert Membership.objects.get(person_id=case.person_id).standing == Standing.NORMAL
    services.round_close(actor=None, scope=SYSTEM, round=round, expected_status="decided")
    round.refresh_from_db()
    assert round.stage == Stage.CLOSED


def test_an_outsider_cannot_move_decide_or_report(branch: Branch, outsider_organizer) -> None:
    round = _decided(branch)
    scope = resolve_scope(outsider_organizer)
    for call in (
        lambda: services.round_advance(
            actor=outsider_organizer, scope=scope, round=round, expected_status=None
        ),
        lambda: services.unqualified_report(
            actor=outsider_organizer, scope=scope, round=round, expected_status=None
        ),
        lambda: services.round_close(
            actor=outsider_organizer, scope=scope, round=round, expected_status=None
        ),
        lambda: services.grades_propose(
            actor=outsider_organizer, scope=scope, round=round, proposals={}, expected_status=None
        ),
        lambda: services.grades_decide(
            actor=outsider_organizer,
            scope=scope,
            round=round,
            grades={},
            decided_on=date(2026, 11, 28),
            expected_status=None,
        ),
    ):
        with pytest.raises(NotFound):
            call()
