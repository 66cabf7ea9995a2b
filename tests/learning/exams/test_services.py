"""The exam services: a bad question writes nothing, retired questions are never drawn, a quiz the bank
cannot fill is refused, attempts start once (limit, double click), answers are refused at the deadline
and after submission, a submission grades once, answers stay hidden until the attempt closes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.learning.exams import selectors, services
from dangjian.learning.exams.models import Attempt, AttemptItem, Question
from tests.learning.exams.conftest import SYSTEM, as_person, make_bank, make_quiz

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "single", "options": ["甲"], "answer": [0]}, "选择题至少需要两个选项"),
        ({"kind": "multiple", "options": ["甲", "乙"], "answer": []}, "请指定正确答案"),
        ({"kind": "single", "options": ["甲", "乙"], "answer": [0, 1]}, "单选题只能有一个正确答案"),
        ({"kind": "fill", "options": [], "answer": []}, "填空题至少需要一个参考答案"),
    ],
)
def test_a_bad_question_is_refused_and_nothing_written(world, values, message) -> None:
    with pytest.raises(RuleViolation, match=message):
        services.question_create(
            actor=None,
            scope=SYSTEM,
            organization=world.cs,
            topic="charter",
            difficulty=1,
            text="题",
            **values,
        )
    assert (
        not Question.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="learning.").exists()
    )


def test_only_a_training_manager_of_the_organization_edits_its_bank(world, bank, outsider_organizer) -> None:
    with pytest.raises(RuleViolation):
        services.question_create(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            organization=world.cs,
            kind="true_false",
            topic="charter",
            difficulty=1,
            text="题",
            answer=[0],
        )
    with pytest.raises(RuleViolation):
        services.question_retire(
            actor=outsider_organizer, scope=resolve_scope(outsider_organizer), question=bank[0]
        )
    assert Question.objects.filter(is_active=True).count() == len(bank)


def test_a_quiz_asking_more_than_the_bank_holds_is_refused(world, bank) -> None:
    rules = [{"kind": "fill", "topic": "", "count": 3, "points": "10"}]
    with pytest.raises(RuleViolation, match="第 1 条组卷规则需要 3 道题，题库中符合条件的在用试题只有 2 道"):
        make_quiz(world.cs, rules=rules)
    quiz = make_quiz(
        world.cs, rules=[{"kind": "fill", "topic": "", "count": 2, "points": "10"}], publish=False
    )
    services.question_retire(actor=None, scope=SYSTEM, question=Question.objects.filter(kind="fill").first())
    with pytest.raises(RuleViolation, match="只有 1 道"):
        services.quiz_publish(actor=None, scope=SYSTEM, quiz=quiz)


def test_a_branch_quiz_draws_from_the_college_bank_but_retired_questions_never(world, member_user) -> None:
    questions = make_bank(world.cs, singles=5, multiples=0, true_false=0, fills=0)
    retired = services.question_retire(actor=None, scope=SYSTEM, question=questions[0])
    quiz = make_quiz(world.cs_branch, rules=[{"kind": "single", "topic": "", "count": 4, "points": "25"}])
    for _n in range(3):
        attempt, _ = services.attempt_start(actor=member_user, scope=as_person(world.member), quiz=quiz)
        assert retired.pk not in set(attempt.items.values_list("question_id", flat=True))
        assert attempt.items.count() == 4
        services.attempt_submit(actor=member_user, scope=as_person(world.member), attempt=attempt)
        quiz.attempt_limit += 1
        quiz.save()


def test_start_twice_gives_one_attempt_and_the_limit_holds(world, quiz, member_user) -> None:
    scope = as_person(world.member)
    first, created = services.attempt_start(actor=member_user, scope=scope, quiz=quiz)
    again, created_again = services.attempt_start(actor=member_user, scope=scope, quiz=quiz)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    services.attempt_submit(actor=member_user, scope=scope, attempt=first)
    second, _ = services.attempt_start(actor=member_user, scope=scope, quiz=quiz)
    services.attempt_submit(actor=member_user, scope=scope, attempt=second)
    with pytest.raises(RuleViolation, match="达到本测试的可答次数"):
        services.attempt_start(actor=member_user, scope=scope, quiz=quiz)
    assert Attempt.objects.filter(person=world.member).count() == 2
    assert AuditEvent.objects.filter(action="learning.attempt_start").count() == 2


def test_people_outside_the_quiz_organization_cannot_start_it(world, quiz, outsider_organizer) -> None:
    with pytest.raises(NotFound):
        services.attempt_start(actor=None, scope=as_person(world.fl_member), quiz=quiz)
    with pytest.raises(NotFound):
        services.attempt_start(actor=outsider_organizer, scope=resolve_scope(outsider_organizer), quiz=quiz)


def test_a_draft_quiz_cannot_be_started(world, bank) -> None:
    draft = make_quiz(world.cs, publish=False)
    with pytest.raises(NotFound):
        services.attempt_start(actor=None, scope=as_person(world.member), quiz=draft)


def test_the_paper_is_a_snapshot_with_no_question_twice(world, quiz) -> None:
    attempt, _ = services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz, seed=5)
    items = list(attempt.items.select_related("question"))
    assert len({i.question_id for i in items}) == len(items) == 10
    assert attempt.total == 100
    edited = items[0].question
    services.question_update(actor=None, scope=SYSTEM, question=edited, text="改过的题干")
    assert AttemptItem.objects.get(pk=items[0].pk).text != "改过的题干"
    for item in items:
        if item.kind in ("single", "multiple"):  # shuffled, the right answer follows its options
            assert sorted(item.options) == sorted(item.question.options)
            assert sorted(item.options[i] for i in item.answer) == sorted(
                item.question.options[i] for i in item.question.answer
            )


def test_answers_and_explanations_stay_hidden_until_the_attempt_closes(world, quiz) -> None:
    scope = as_person(world.member)
    attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
    paper = selectors.paper_of(attempt)
    assert all(i.answer is None and i.explanation is None and i.correct is None for i in paper)
    services.attempt_submit(actor=None, scope=scope, attempt=attempt)
    attempt.refresh_from_db()
    closed = selectors.paper_of(attempt)
    assert all(i.answer is not None and i.explanation for i in closed)


def _right_answers(attempt: Attempt) -> dict[int, object]:
    return {i.position: (i.answer[0] if i.kind == "fill" else list(i.answer)) for i in attempt.items.all()}


def test_submitting_twice_grades_once(world, quiz) -> None:
    scope = as_person(world.member)
    attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
    services.attempt_save_answers(actor=None, scope=scope, attempt=attempt, answers=_right_answers(attempt))
    first = services.attempt_submit(actor=None, scope=scope, attempt=attempt, expected_status="open")
    second = services.attempt_submit(actor=None, scope=scope, attempt=attempt, expected_status="open")
    assert (first.score, first.passed, second.score, second.submitted_at) == (
        100,
        True,
        100,
        first.submitted_at,
    )
    assert AuditEvent.objects.filter(action="learning.attempt_submit").count() == 1
    assert services.quiz_passed(world.member.pk, quiz.pk)
    with pytest.raises(RuleViolation, match="答卷已交，不能再作答"):
        services.attempt_save_answers(actor=None, scope=scope, attempt=attempt, answers={1: None})


def test_a_wrong_multiple_choice_scores_nothing_and_a_fill_in_is_normalised(world, quiz) -> None:
    scope = as_person(world.member)
    attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
    answers = _right_answers(attempt)
    items = {i.position: i for i in attempt.items.all()}
    multiple = next(p for p, i in items.items() if i.kind == "multiple")
    answers[multiple] = answers[multiple][:1]  # one of the two right options only
    fill = next(p for p, i in items.items() if i.kind == "fill")
    answers[fill] = "  ＣＯＭＭＵＮＩＳＭ "
    services.attempt_save_answers(actor=None, scope=scope, attempt=attempt, answers=answers)
    graded = services.attempt_submit(actor=None, scope=scope, attempt=attempt)
    assert graded.score == 90
    assert AttemptItem.objects.get(attempt=attempt, position=multiple).awarded == 0
    assert AttemptItem.objects.get(attempt=attempt, position=fill).correct is True


def test_a_bad_answer_refuses_the_whole_call(world, quiz) -> None:
    scope = as_person(world.member)
    attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
    single = attempt.items.filter(kind="single").first()
    with pytest.raises(RuleViolation, match=f"第 {single.position} 题"):
        services.attempt_save_answers(
            actor=None, scope=scope, attempt=attempt, answers={1: None, single.position: [9]}
        )
    with pytest.raises(RuleViolation, match="第 99 题不在本试卷中"):
        services.attempt_save_answers(actor=None, scope=scope, attempt=attempt, answers={99: [0]})
    assert not attempt.items.exclude(response=None).exists()


def test_someone_else_cannot_answer_or_submit_an_attempt(world, quiz) -> None:
    attempt, _ = services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz)
    with pytest.raises(NotFound):
        services.attempt_save_answers(
            actor=None, scope=as_person(world.secretary), attempt=attempt, answers={1: [0]}
        )
    with pytest.raises(NotFound):
        services.attempt_submit(actor=None, scope=as_person(world.secretary), attempt=attempt)


def test_a_stale_submit_is_refused(world, quiz) -> None:
    attempt, _ = services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz)
    with pytest.raises(StaleState):
        services.attempt_submit(
            actor=None, scope=as_person(world.member), attempt=attempt, expected_status="graded"
        )


def test_answers_are_taken_until_the_deadline_and_refused_at_it(world, bank) -> None:
    start = timezone.now().replace(microsecond=0)
    quiz = make_quiz(
        world.cs, time_limit=30, opens_at=start - timedelta(hours=1), closes_at=start + timedelta(days=1)
    )
    scope = as_person(world.member)
    with time_machine.travel(start, tick=False):
        attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
    assert attempt.deadline == start + timedelta(minutes=30)
    with time_machine.travel(attempt.deadline - timedelta(seconds=1), tick=False):
        services.attempt_save_answers(
            actor=None, scope=scope, attempt=attempt, answers=_right_answers(attempt)
        )
    with (
        time_machine.travel(attempt.deadline, tick=False),
        pytest.raises(RuleViolation, match="答题时间已到"),
    ):
        services.attempt_save_answers(actor=None, scope=scope, attempt=attempt, answers={1: None})
    attempt.refresh_from_db()
    # graded when touched, at its deadline, with the answers saved before it
    assert (attempt.status, attempt.submitted_at, attempt.score) == ("graded", attempt.deadline, 100)
    with time_machine.travel(attempt.deadline + timedelta(minutes=5), tick=False):
        again = services.attempt_submit(actor=None, scope=scope, attempt=attempt)
    assert again.submitted_at == attempt.deadline
    assert AuditEvent.objects.filter(action="learning.attempt_expire").count() == 1


def test_the_deadline_never_passes_the_quiz_closing(world, bank) -> None:
    now = timezone.now().replace(microsecond=0)
    quiz = make_quiz(
        world.cs, time_limit=60, opens_at=now - timedelta(days=1), closes_at=now + timedelta(minutes=10)
    )
    with time_machine.travel(now, tick=False):
        attempt, _ = services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz)
    assert attempt.deadline == quiz.closes_at


def test_abandoned_attempts_are_graded_at_their_deadline_by_the_task(world, quiz) -> None:
    attempt, _ = services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz)
    assert services.attempts_close_due(now=attempt.deadline - timedelta(seconds=1)) == 0
    assert services.attempts_close_due(now=attempt.deadline + timedelta(hours=1)) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.submitted_at, attempt.score, attempt.passed) == (
        "graded",
        attempt.deadline,
        0,
        False,
    )
    assert not services.quiz_passed(world.member.pk, quiz.pk)


def test_a_started_quiz_keeps_its_rules(world, quiz) -> None:
    services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz)
    with pytest.raises(RuleViolation, match="已有人员答题"):
        services.quiz_update(actor=None, scope=SYSTEM, quiz=quiz, pass_mark=80)
    assert services.quiz_update(actor=None, scope=SYSTEM, quiz=quiz, title="改名").title == "改名"


def test_an_expired_attempt_stays_graded_when_the_next_start_is_refused(world, bank) -> None:
    quiz = make_quiz(world.cs, attempt_limit=1)
    scope = as_person(world.member)
    attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
    late = time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False)
    with late, pytest.raises(RuleViolation, match="达到本测试的可答次数"):
        services.attempt_start(actor=None, scope=scope, quiz=quiz)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.submitted_at) == ("graded", attempt.deadline)
