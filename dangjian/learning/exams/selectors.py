"""Reads of 随堂测试 and exams, through the scope: the bank and quizzes in scope, a member's own quizzes
and attempts, and a quiz's results (per question, per organization under the quiz's, one query each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.core.selectors import history_events
from dangjian.learning.exams.models import Attempt, AttemptItem, AttemptStatus, Question, Quiz, QuizStatus

P = Permission


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def questions_visible_to(
    scope: Scope, *, topic: str = "", kind: str = "", retired: bool = False
) -> QuerySet[Question]:
    qs = Question.objects.filter(scope.q(P.VIEW_TRAINING, "organization__path"), is_active=not retired)
    if topic:
        qs = qs.filter(topic=topic)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("organization").order_by("-id")


def get_question_for(scope: Scope, question_id: Any, perm: Permission = P.VIEW_TRAINING) -> Question:
    qs = Question.objects.filter(scope.q(perm, "organization__path")).select_related("organization")
    result: Question = _get(qs, question_id)
    return result


def bank_owners_for(scope: Scope) -> QuerySet[Organization]:
    """The organizations whose bank and quizzes the user may manage (committees and branches)."""
    return Organization.objects.filter(
        scope.q(P.MANAGE_TRAINING),
        kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH],
        is_active=True,
    ).order_by("path")


def quizzes_visible_to(scope: Scope) -> QuerySet[Quiz]:
    """Quizzes in scope with their attempt and pass counts (subqueries: one query per page)."""
    return (
        Quiz.objects.filter(scope.q(P.VIEW_TRAINING, "organization__path"))
        .select_related("organization")
        .annotate(
            attempts_n=Count("attempts", distinct=True),
            passed_n=Count("attempts", filter=Q(attempts__passed=True), distinct=True),
        )
        .order_by("-opens_at", "-id")
    )


def get_quiz_for(scope: Scope, quiz_id: Any, perm: Permission = P.VIEW_TRAINING) -> Quiz:
    qs = Quiz.objects.filter(scope.q(perm, "organization__path")).select_related("organization")
    result: Quiz = _get(qs, quiz_id)
    return result


def ancestor_paths(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:n] for n in range(step, len(path) + 1, step)]


@dataclass
class MyQuiz:
    quiz: Quiz
    used: int
    open_attempt: Attempt | None
    best: Decimal | None
    passed: bool

    @property
    def can_start(self) -> bool:
        now = timezone.now()
        return (
            self.open_attempt is None
            and self.used < self.quiz.attempt_limit
            and (self.quiz.opens_at <= now < self.quiz.closes_at)
        )


def my_quizzes(person: Person) -> list[MyQuiz]:
    """The published quizzes of the person's organization and those above it, open or recent, with what
    the person did in them (two queries)."""
    org = person.organization
    if org is None:
        return []
    since = timezone.now() - timedelta(days=180)
    quizzes = list(
        Quiz.objects.filter(
            organization__path__in=ancestor_paths(org.path), status=QuizStatus.PUBLISHED, closes_at__gte=since
        )
        .select_related("organization")
        .order_by("closes_at", "id")[:100]
    )
    attempts: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(person=person, quiz__in=quizzes).order_by("number"):
        attempts.setdefault(a.quiz_id, []).append(a)
    lines = []
    for quiz in quizzes:
        mine = attempts.get(quiz.pk, [])
        scores = [a.score for a in mine if a.score is not None]
        lines.append(
            MyQuiz(
                quiz=quiz,
                used=len(mine),
                open_attempt=next((a for a in mine if a.is_open), None),
                best=max(scores) if scores else None,
                passed=any(a.passed for a in mine),
            )
        )
    return lines


def get_own_attempt(scope: Scope, attempt_id: Any) -> Attempt:
    """The caller's own attempt (anyone else's answers 404)."""
    if scope.person_id is None:
        raise Http404
    qs = Attempt.objects.filter(person_id=scope.person_id).select_related("quiz__organization", "person")
    result: Attempt = _get(qs, attempt_id)
    return result


def attempts_of(quiz: Quiz) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(quiz=quiz)
        .select_related("person", "person__organization")
        .order_by("person__name_pinyin", "number")
    )


@dataclass(frozen=True)
class QuestionStat:
    question_id: int
    text: str
    kind: str
    answered: int
    right: int

    @property
    def rate(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


def question_stats(quiz: Quiz) -> list[QuestionStat]:
    """How often each drawn question was answered right in graded attempts, the worst first (one query)."""
    rows = (
        AttemptItem.objects.filter(attempt__quiz=quiz, attempt__status=AttemptStatus.GRADED)
        .values("question_id", "question__text", "question__kind")
        .order_by()
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(correct=True)))
    )
    stats = [
        QuestionStat(r["question_id"], r["question__text"], r["question__kind"], r["n"], r["right"])
        for r in rows
    ]
    return sorted(stats, key=lambda s: (s.rate, -s.answered, s.question_id))


@dataclass(frozen=True)
class BranchLine:
    org: Organization
    people: int
    attempts: int
    passed: int
    best: Decimal

    @property
    def pass_rate(self) -> int:
        return round(100 * self.passed / self.people) if self.people else 0


def results_by_child(quiz: Quiz, org: Organization) -> list[BranchLine]:
    """One line per organization right under ``org`` whose people sat the quiz: people, attempts and
    people who passed (three queries: the children, one GROUP BY, the people who passed)."""
    children = {
        c.path: c
        for c in Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")
    }
    width = len(org.path) + Organization.steplen
    graded = Attempt.objects.filter(
        quiz=quiz, status=AttemptStatus.GRADED, person__organization__path__startswith=org.path
    )
    rows = (
        graded.annotate(prefix=Substr("person__organization__path", 1, width))
        .values("prefix")
        .order_by()
        .annotate(
            people=Count("person", distinct=True),
            n=Count("pk"),
            passed=Count("person", filter=Q(passed=True), distinct=True),
            best=Max("score"),
        )
    )
    lines = []
    for row in rows:
        child = children.get(row["prefix"]) or (org if row["prefix"] == org.path else None)
        if child is None:
            continue
        lines.append(BranchLine(child, row["people"], row["n"], row["passed"], row["best"] or Decimal("0")))
    return sorted(lines, key=lambda line: line.org.path)


@dataclass(frozen=True)
class PaperItem:
    """A question of a paper as the member may see it: the right answer, the explanation and whether
    the response was right are ``None`` while the attempt is open — never sent before it closes."""

    position: int
    kind: str
    kind_label: str
    text: str
    options: list[str]
    points: Decimal
    response: Any
    answer: list[Any] | None
    explanation: str | None
    correct: bool | None

    def chosen(self, index: int) -> bool:
        return isinstance(self.response, list) and index in self.response

    def is_right(self, index: int) -> bool:
        return self.answer is not None and index in self.answer


def paper_of(attempt: Attempt) -> list[PaperItem]:
    """The attempt's questions in order (one query); answers only once the attempt is graded."""
    closed = not attempt.is_open
    return [
        PaperItem(
            position=item.position,
            kind=item.kind,
            kind_label=str(item.get_kind_display()),
            text=item.text,
            options=list(item.options),
            points=item.points,
            response=item.response,
            answer=list(item.answer) if closed else None,
            explanation=item.explanation if closed else None,
            correct=item.correct if closed else None,
        )
        for item in attempt.items.order_by("position")
    ]


def question_history(question: Question, *, limit: int = 30) -> list[dict[str, Any]]:
    """The question's 修改记录 (who, when, which fields), newest first: one query. The caller has
    already found the question through the scope (``get_question_for``)."""
    return history_events(
        [(_("试题"), Question.history.filter(id=question.pk))],  # type: ignore[attr-defined]
        limit=limit,
        hidden=("updated_at",),
    )
