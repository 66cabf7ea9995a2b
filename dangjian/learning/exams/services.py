"""Writes of 随堂测试 and exams: the question bank (create, edit, retire), quizzes (create, edit,
publish), attempts (start or resume, save answers, submit and grade once, close those past their
deadline). Every write is audited; the quiz and bank rules are ``exams.rules``.

A member acts on their own attempts only (``scope.person_id``); the bank and quizzes are managed by
whoever holds ``MANAGE_TRAINING`` at the owning organization. ``quiz_passed`` is the one question
courses will ask."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.fields import within_max_length
from dangjian.kit.transitions import expect_state
from dangjian.learning.exams import rules
from dangjian.learning.exams.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Question,
    QuestionKind,
    QuestionTopic,
    Quiz,
    QuizStatus,
)
from dangjian.learning.exams.selectors import ancestor_paths

P = Permission
MAX_TIME_LIMIT = 600  # minutes
MAX_ATTEMPTS = 20


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _require_manage(scope: Scope, org: Organization) -> None:
    if not scope.covers(P.MANAGE_TRAINING, org.path):
        raise RuleViolation(_("您不能管理“%(o)s”的题库和测试") % {"o": org.name}, code="out_of_scope")


def bank_q(org: Organization) -> Q:
    """The active questions a quiz of ``org`` draws from: its own bank and the banks above it."""
    return Q(organization__path__in=ancestor_paths(org.path), is_active=True)


# ---------------------------------------------------------------- the question bank


def clean_question(
    *, kind: str, topic: str, difficulty: int, text: str, options: Sequence[str], answer: Sequence[Any]
) -> tuple[list[str], list[Any]]:
    if kind not in QuestionKind.values:
        raise RuleViolation(_("请选择题型"), field="kind")
    if topic not in QuestionTopic.values:
        raise RuleViolation(_("请选择专题"), field="topic")
    if difficulty not in (1, 2, 3):
        raise RuleViolation(_("难度应为 1、2 或 3"), field="difficulty")
    if not text.strip():
        raise RuleViolation(_("请填写题干"), field="text")
    if len(text) > 2000:
        raise RuleViolation(_("题干不能超过 2000 字"), field="text")
    if kind == QuestionKind.TRUE_FALSE:
        options = list(rules.TRUE_FALSE_OPTIONS)
    elif kind == QuestionKind.FILL:
        options = []
        answer = [str(a).strip() for a in answer if str(a).strip()]
    else:
        options = [str(o).strip() for o in options if str(o).strip()]
    if any(len(str(o)) > 500 for o in [*options, *([a for a in answer if isinstance(a, str)])]):
        raise RuleViolation(_("选项和答案每项不能超过 500 字"), field="options")
    errors = rules.question_errors(kind, options, answer)
    if errors:
        key, message = next(iter(errors.items()))
        raise RuleViolation(message, field=key)
    return options, sorted(answer) if kind != QuestionKind.FILL else list(answer)


def question_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    kind: str,
    topic: str,
    difficulty: int,
    text: str,
    options: Sequence[str] = (),
    answer: Sequence[Any] = (),
    explanation: str = "",
) -> Question:
    """A question in ``organization``'s bank. Choice questions need two options and a right answer (a
    单选题 exactly one); a 填空题 at least one accepted answer."""
    _require_manage(scope, organization)
    options, answer = clean_question(
        kind=kind, topic=topic, difficulty=difficulty, text=text, options=options, answer=answer
    )
    with transaction.atomic():
        question = Question(
            organization=organization,
            kind=kind,
            topic=topic,
            difficulty=difficulty,
            text=text.strip(),
            options=options,
            answer=answer,
            explanation=explanation.strip(),
            created_by=_actor(actor),
        )
        question._history_user = _actor(actor)  # type: ignore[attr-defined]  # simple-history's 修改记录
        question.save()
        audit.record(
            actor=actor,
            action="learning.question_create",
            target=question,
            org=organization,
            changes={"kind": kind, "topic": topic, "text": question.text[:100]},
        )
    return question


QUESTION_FIELDS = ("kind", "topic", "difficulty", "text", "options", "answer", "explanation")


def question_update(
    *, actor: Any, scope: Scope, question: Question, expected_status: str | None = None, **values: Any
) -> Question:
    """Edit a question; papers already drawn keep the question as they showed it."""
    unknown = set(values) - set(QUESTION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = (
            Question.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=question.pk)
        )
        expect_state(locked.version, expected_status)
        _require_manage(scope, locked.organization)
        merged = {k: values.get(k, getattr(locked, k)) for k in QUESTION_FIELDS}
        merged["options"], merged["answer"] = clean_question(
            **{k: merged[k] for k in ("kind", "topic", "difficulty", "text", "options", "answer")}
        )
        merged["text"] = merged["text"].strip()
        merged["explanation"] = (merged["explanation"] or "").strip()
        changes = {k: [getattr(locked, k), v] for k, v in merged.items() if getattr(locked, k) != v}
        for key, value in merged.items():
            setattr(locked, key, value)
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save()
        audit.record(
            actor=actor,
            action="learning.question_update",
            target=locked,
            org=locked.organization,
            changes=changes,
        )
    return locked


def question_retire(
    *, actor: Any, scope: Scope, question: Question, expected_status: str | None = None
) -> Question:
    """Take a question out of the bank: never drawn again; papers that hold it keep it."""
    with transaction.atomic():
        locked = (
            Question.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=question.pk)
        )
        expect_state(locked.version, expected_status)
        _require_manage(scope, locked.organization)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.question_retire",
            target=locked,
            org=locked.organization,
            changes={"is_active": [True, False]},
        )
    return locked


# ---------------------------------------------------------------- quizzes


def paper_rules(raw: Sequence[dict[str, Any]]) -> list[rules.PaperRule]:
    return [
        rules.PaperRule(str(r["kind"]), str(r.get("topic") or ""), int(r["count"]), Decimal(str(r["points"])))
        for r in raw
    ]


def bank_of(org: Organization) -> list[rules.BankQuestion]:
    return [
        rules.BankQuestion(pk, kind, topic, len(options or []))
        for pk, kind, topic, options in Question.objects.filter(bank_q(org))
        .order_by("pk")
        .values_list("pk", "kind", "topic", "options")
    ]


def _clean_rules(raw: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for n, r in enumerate(raw, start=1):
        kind, topic = str(r.get("kind") or ""), str(r.get("topic") or "")
        try:
            count, points = int(r.get("count") or 0), Decimal(str(r.get("points") or "0"))
        except (TypeError, ValueError, ArithmeticError):
            raise RuleViolation(
                _("第 %(n)s 条组卷规则的题数或分值不是数字") % {"n": n}, field="rules"
            ) from None
        if kind not in QuestionKind.values:
            raise RuleViolation(_("第 %(n)s 条组卷规则请选择题型") % {"n": n}, field="rules")
        if topic and topic not in QuestionTopic.values:
            raise RuleViolation(_("第 %(n)s 条组卷规则的专题无效") % {"n": n}, field="rules")
        if not 1 <= count <= 200:
            raise RuleViolation(_("第 %(n)s 条组卷规则的题数应为 1 至 200") % {"n": n}, field="rules")
        if (
            not points.is_finite()
            or not Decimal("0.5") <= points <= 100
            or points != points.quantize(Decimal("0.5"))
        ):
            raise RuleViolation(
                _("第 %(n)s 条组卷规则的每题分值应为 0.5 至 100，以 0.5 为单位") % {"n": n}, field="rules"
            )
        cleaned.append({"kind": kind, "topic": topic, "count": count, "points": str(points)})
    if not cleaned:
        raise RuleViolation(_("请至少填写一条组卷规则"), field="rules")
    return cleaned


def _check_quiz(
    *,
    organization: Organization,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    time_limit: int,
    attempt_limit: int,
    pass_mark: int,
    rules_: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    if not title.strip():
        raise RuleViolation(_("请填写测试名称"), field="title")
    within_max_length(title, Quiz, "title")
    if closes_at <= opens_at:
        raise RuleViolation(_("截止时间应晚于开始时间"), field="closes_at")
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise RuleViolation(_("答题时限应为 1 至 %(n)s 分钟") % {"n": MAX_TIME_LIMIT}, field="time_limit")
    if not 1 <= attempt_limit <= MAX_ATTEMPTS:
        raise RuleViolation(_("可答次数应为 1 至 %(n)s 次") % {"n": MAX_ATTEMPTS}, field="attempt_limit")
    if not 0 <= pass_mark <= 100:
        raise RuleViolation(_("及格线应为 0 至 100"), field="pass_mark")
    cleaned = _clean_rules(rules_)
    shortfalls = rules.rule_shortfalls(bank_of(organization), paper_rules(cleaned))
    if shortfalls:
        raise RuleViolation(shortfalls[0], code="bank_too_small", field="rules")
    return cleaned


QUIZ_FIELDS = ("title", "opens_at", "closes_at", "time_limit", "attempt_limit", "pass_mark", "rules")


def quiz_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    time_limit: int,
    attempt_limit: int,
    pass_mark: int,
    rules: Sequence[dict[str, Any]],
) -> Quiz:
    """A quiz (a draft) for the members of ``organization``'s subtree; its rules must be fillable from
    the bank when saved."""
    _require_manage(scope, organization)
    cleaned = _check_quiz(
        organization=organization,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit=time_limit,
        attempt_limit=attempt_limit,
        pass_mark=pass_mark,
        rules_=rules,
    )
    with transaction.atomic():
        quiz = Quiz.objects.create(
            organization=organization,
            title=title.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            time_limit=time_limit,
            attempt_limit=attempt_limit,
            pass_mark=pass_mark,
            rules=cleaned,
            created_by=_actor(actor),
        )
        audit.record(
            actor=actor,
            action="learning.quiz_create",
            target=quiz,
            org=organization,
            changes={"title": quiz.title, "rules": cleaned},
        )
    return quiz


def quiz_update(
    *, actor: Any, scope: Scope, quiz: Quiz, expected_status: str | None = None, **values: Any
) -> Quiz:
    """Edit a quiz; once anyone has started it, only its window and title may change (the papers drawn
    were drawn by its rules)."""
    unknown = set(values) - set(QUIZ_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Quiz.objects.select_for_update(of=("self",)).select_related("organization").get(pk=quiz.pk)
        expect_state(locked.version, expected_status)
        _require_manage(scope, locked.organization)
        merged = {k: values.get(k, getattr(locked, k)) for k in QUIZ_FIELDS}
        if locked.attempts.exists() and (
            merged["time_limit"] != locked.time_limit
            or merged["pass_mark"] != locked.pass_mark
            or paper_rules(_clean_rules(merged["rules"])) != paper_rules(locked.rules)
        ):
            raise RuleViolation(_("已有人员答题，不能再修改答题时限、及格线和组卷规则"))
        merged["rules"] = _check_quiz(
            organization=locked.organization,
            **{k if k != "rules" else "rules_": v for k, v in merged.items()},
        )
        merged["title"] = merged["title"].strip()
        changes = {k: [getattr(locked, k), v] for k, v in merged.items() if getattr(locked, k) != v}
        for key, value in merged.items():
            setattr(locked, key, value)
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save()
        audit.record(
            actor=actor,
            action="learning.quiz_update",
            target=locked,
            org=locked.organization,
            changes=changes,
        )
    return locked


def quiz_publish(*, actor: Any, scope: Scope, quiz: Quiz, expected_status: str | None = None) -> Quiz:
    """Publish a draft: its members see it on 我的测试. The bank must still fill every rule."""
    with transaction.atomic():
        locked = Quiz.objects.select_for_update(of=("self",)).select_related("organization").get(pk=quiz.pk)
        expect_state(locked.version, expected_status)
        _require_manage(scope, locked.organization)
        if locked.is_published:
            return locked
        shortfalls = rules.rule_shortfalls(bank_of(locked.organization), paper_rules(locked.rules))
        if shortfalls:
            raise RuleViolation(shortfalls[0], code="bank_too_small")
        locked.status = QuizStatus.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.quiz_publish",
            target=locked,
            org=locked.organization,
            changes={"status": [QuizStatus.DRAFT, QuizStatus.PUBLISHED]},
        )
    return locked


# ---------------------------------------------------------------- attempts


def in_audience(quiz: Quiz, person: Person) -> bool:
    """Members of the quiz organization's subtree take it."""
    org = person.organization
    return org is not None and org.path.startswith(quiz.organization.path)


def _grade(attempt: Attempt, at: datetime) -> Attempt:
    """Mark every item and the attempt (the caller holds the attempt's lock)."""
    items = list(attempt.items.all())
    score = Decimal("0")
    for item in items:
        item.correct = rules.is_correct(item.kind, item.answer, item.response)
        item.awarded = item.points if item.correct else Decimal("0")
        score += item.awarded
    AttemptItem.objects.bulk_update(items, ["correct", "awarded"])
    attempt.score = score
    attempt.passed = rules.passed(score, attempt.total, attempt.quiz.pass_mark)
    attempt.status = AttemptStatus.GRADED
    attempt.submitted_at = at
    attempt.save(update_fields=["score", "passed", "status", "submitted_at", "updated_at"])
    if attempt.passed:
        # A course may wait for this quiz: it completes now if its lessons are done (credited once).
        from dangjian.learning.library.services import courses_after_quiz

        courses_after_quiz(
            actor=None, person_id=attempt.person_id, quiz_id=attempt.quiz_id, today=timezone.localdate()
        )
    return attempt


def _expire(actor: Any, attempt: Attempt, now: datetime) -> bool:
    """Grade an open attempt past its deadline at its deadline (the caller holds the lock)."""
    if attempt.is_open and now >= attempt.deadline:
        _grade(attempt, attempt.deadline)
        audit.record(
            actor=actor,
            action="learning.attempt_expire",
            target=attempt,
            org=attempt.quiz.organization,
            changes={"score": attempt.score, "passed": attempt.passed},
        )
        return True
    return False


def _locked_attempt(attempt_id: int) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz__organization")
        .get(pk=attempt_id)
    )


def attempt_start(*, actor: Any, scope: Scope, quiz: Quiz, seed: int | None = None) -> tuple[Attempt, bool]:
    """Start a paper for the caller, or resume the one they have open (a double click, a phone that
    lost its connection): ``(attempt, created)``. The attempt limit is checked under the person's lock;
    the deadline is the start plus the time limit, and never after the quiz closes. ``seed`` (the demo,
    tests) fixes the draw; otherwise it is random."""
    if scope.person_id is None:
        raise NotFound(_("没有找到该测试"))
    now = timezone.now()
    expired: list[int] = []
    try:
        return _start(actor=actor, scope=scope, quiz=quiz, seed=seed, now=now, expired=expired)
    except RuleViolation:
        for attempt_id in expired:  # graded inside the refused call, so rolled back with it
            _close_after_refusal(actor, attempt_id, now)
        raise


def _start(
    *, actor: Any, scope: Scope, quiz: Quiz, seed: int | None, now: datetime, expired: list[int]
) -> tuple[Attempt, bool]:
    assert scope.person_id is not None
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=scope.person_id)
        )
        found = Quiz.objects.select_related("organization").filter(pk=quiz.pk).first()
        if found is None or not found.is_published or not in_audience(found, person):
            raise NotFound(_("没有找到该测试"))
        quiz = found
        mine = list(
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz__organization")
            .filter(quiz=quiz, person=person)
            .order_by("number")
        )
        for attempt in mine:
            if attempt.is_open:
                if not _expire(actor, attempt, now):
                    return attempt, False
                expired.append(attempt.pk)
        if now < quiz.opens_at:
            raise RuleViolation(_("测试尚未开始"), code="not_open")
        if now >= quiz.closes_at:
            raise RuleViolation(_("测试已截止"), code="closed")
        if len(mine) >= quiz.attempt_limit:
            raise RuleViolation(
                _("您已答题 %(n)s 次，达到本测试的可答次数") % {"n": len(mine)}, code="attempt_limit"
            )
        seed = secrets.randbits(62) if seed is None else seed
        paper = rules.draw(bank_of(quiz.organization), paper_rules(quiz.rules), seed)
        questions = Question.objects.in_bulk([d.question_id for d in paper])
        attempt = Attempt.objects.create(
            quiz=quiz,
            person=person,
            number=len(mine) + 1,
            seed=seed,
            started_at=now,
            deadline=min(now + timedelta(minutes=quiz.time_limit), quiz.closes_at),
            total=sum((d.points for d in paper), Decimal("0")),
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(
                attempt=attempt,
                position=n,
                question_id=d.question_id,
                kind=(q := questions[d.question_id]).kind,
                text=q.text,
                options=[q.options[i] for i in d.order],
                answer=rules.shown_answer(q.kind, q.answer, d.order),
                explanation=q.explanation,
                points=d.points,
            )
            for n, d in enumerate(paper, start=1)
        )
        audit.record(
            actor=actor,
            action="learning.attempt_start",
            target=attempt,
            org=quiz.organization,
            changes={"quiz": quiz.pk, "number": attempt.number, "seed": seed},
        )
    return attempt, True


def _own_open(actor: Any, scope: Scope, attempt_id: int, now: datetime) -> Attempt:
    locked = _locked_attempt(attempt_id)
    if scope.person_id is None or locked.person_id != scope.person_id:
        raise NotFound(_("没有找到该答卷"))
    if _expire(actor, locked, now):
        raise RuleViolation(_("答题时间已到，答卷已自动交卷"), code="deadline_passed")
    if not locked.is_open:
        raise RuleViolation(_("答卷已交，不能再作答"), code="submitted")
    return locked


def attempt_save_answers(*, actor: Any, scope: Scope, attempt: Attempt, answers: dict[int, Any]) -> Attempt:
    """Save some answers (``{position: response}``; ``None`` clears one) while the attempt is open and
    before its deadline. A bad response refuses the whole call, nothing saved."""
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = _own_open(actor, scope, attempt.pk, now)
            items = {i.position: i for i in locked.items.all()}
            changed = []
            for position, response in answers.items():
                item = items.get(position)
                if item is None:
                    raise RuleViolation(_("第 %(n)s 题不在本试卷中") % {"n": position}, code="no_such_item")
                problem = rules.response_error(item.kind, len(item.options), response)
                if problem:
                    raise RuleViolation(
                        _("第 %(n)s 题：%(m)s") % {"n": position, "m": problem}, code="bad_answer"
                    )
                if item.response != response:
                    item.response = response
                    changed.append(item)
            AttemptItem.objects.bulk_update(changed, ["response"])
            if changed:
                locked.save(update_fields=["updated_at"])
                audit.record(
                    actor=actor,
                    action="learning.attempt_answers",
                    target=locked,
                    org=locked.quiz.organization,
                    changes={"positions": sorted(i.position for i in changed)},
                )
    except RuleViolation as exc:
        if exc.code == "deadline_passed":
            _close_after_refusal(actor, attempt.pk, now)
        raise
    return locked


def _close_after_refusal(actor: Any, attempt_id: int, now: datetime) -> None:
    """The expiry graded inside a refused call was rolled back with it: grade it in its own
    transaction, so the attempt closes whatever the caller does next."""
    with transaction.atomic():
        _expire(actor, _locked_attempt(attempt_id), now)


def attempt_submit(
    *, actor: Any, scope: Scope, attempt: Attempt, expected_status: str | None = None
) -> Attempt:
    """Hand in and grade, once: a second submit (a double click, a retry) returns the graded attempt as
    it is; past the deadline it is graded at its deadline."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_attempt(attempt.pk)
        if scope.person_id is None or locked.person_id != scope.person_id:
            raise NotFound(_("没有找到该答卷"))
        if not locked.is_open:
            return locked
        expect_state(locked.status, expected_status)
        if _expire(actor, locked, now):
            return locked
        _grade(locked, now)
        audit.record(
            actor=actor,
            action="learning.attempt_submit",
            target=locked,
            org=locked.quiz.organization,
            changes={"score": locked.score, "passed": locked.passed},
        )
    return locked


def attempts_close_due(*, actor: Any = None, now: datetime | None = None, limit: int = 500) -> int:
    """Grade abandoned attempts past their deadline (the periodic task), each in its own transaction."""
    now = now or timezone.now()
    due = list(
        Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lte=now)
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            try:
                closed += _expire(actor, _locked_attempt(pk), now)
            except IntegrityError:  # pragma: no cover - a concurrent close won
                continue
    return closed


def quiz_passed(person_id: int, quiz_id: int) -> bool:
    """Whether the person has a passing graded attempt of the quiz (the hook courses ask)."""
    return Attempt.objects.filter(
        person_id=person_id, quiz_id=quiz_id, status=AttemptStatus.GRADED, passed=True
    ).exists()


def attempts_touch(*, actor: Any, attempt: Attempt) -> Attempt:
    """An attempt opened after its deadline is graded at its deadline (nothing happens otherwise)."""
    if not attempt.is_open or timezone.now() < attempt.deadline:
        return attempt
    with transaction.atomic():
        locked = _locked_attempt(attempt.pk)
        _expire(actor, locked, timezone.now())
    return locked
