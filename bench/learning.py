"""随堂测试 under load and the study ledger at province size (`python -m bench.learning`, part of
`make bench-province`; issue 17, "Bad input, scope, scale").

1. A published quiz of the largest college (``bench.orglife.largest_college``) — of the school when the
   college has fewer than BENCH_QUIZ_MEMBERS members (``quiz_host``), as a school-wide 党规党纪 quiz
   is — with a bank of 30
   questions (单选, 多选, 判断) and a 网上课程 that waits for it (one lesson, already done by everyone, 1
   学时), so that passing the quiz credits hours in the ledger, as a real 结课测试 does. Made through the
   exams services (the bank, the quiz, publishing) and reused by a rerun: they carry the title
   ``TITLE``.
2. Up to BENCH_QUIZ_MEMBERS (2,000) members of the quiz's organization (the largest college's first),
   each with a user (``bench_quiz_<person>``
   where they have none) and a personal access token, take it through `gunicorn` on a free loopback port
   (bench.serve) with BENCH_QUIZ_CLIENTS (50) client threads: start an attempt, save an answer for every
   question of the paper in one PUT (half of the members answer right, so about half pass), submit;
   BENCH_QUIZ_REPEATS (100) of them submit a second time at once (a double click: the API answers the
   same graded attempt). Target: all within 60 s, 0 errors. Then in the database: one graded attempt
   (score set) for each member, one ``learning.attempt_submit`` audit event for each (graded once), the
   repeats answered the same score, and one ledger row and one course completion for each member who
   passed.
3. The college's ledger page (``learning:ledger``) for the school admin, timed with
   ``bench.modules._timed``: target ≤ 15 queries, p95 ≤ 150 ms (the summary's "review" kind).

What it leaves: the quiz, its bank, the course and its material and lesson (reused by a rerun, found by
``TITLE``), and the members' users (as bench.orglife does). What it removes, before a run and after it
(BENCH_QUIZ_KEEP=1 keeps them for a look): the attempts, the tokens, the lesson progress, the course
completions and the ledger rows the course credited (and the yearly totals of those people are
recomputed), so that other benches' ledgers and totals are as the seed left them. The audit events stay
(the audit log is append-only).

The database: BENCH_LEARNING_SIZE=province (default: bench.run's province database) or university.
Prints the figures; asserts only correctness (errors, counts), never time.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from statistics import median, quantiles
from typing import Any

from bench.serve import free_port, serve

SIZE = os.environ.get("BENCH_LEARNING_SIZE", "province")
MEMBERS = int(os.environ.get("BENCH_QUIZ_MEMBERS", "2000"))
CLIENTS = int(os.environ.get("BENCH_QUIZ_CLIENTS", "50"))
REPEATS = int(os.environ.get("BENCH_QUIZ_REPEATS", "100"))
KEEP = os.environ.get("BENCH_QUIZ_KEEP") == "1"
LIMIT_S = 60.0
TITLE = "基准测试：两千人随堂测试"
TOKEN_NAME = "bench-quiz"
# The paper: 5 单选 (2 points), 5 多选 (4), 5 判断 (2) = 40 points, from a bank of 10 of each.
RULES = [
    {"kind": "single", "topic": "", "count": 5, "points": "2"},
    {"kind": "multiple", "topic": "", "count": 5, "points": "4"},
    {"kind": "true_false", "topic": "", "count": 5, "points": "2"},
]
BANK_EACH = 10


# ---- the quiz ----------------------------------------------------------------------------------------


def prepare_quiz(college: Any) -> Any:
    """The bench's published quiz of ``college`` (made once, through the services; its window moved on
    when a rerun finds it closed)."""
    from django.utils import timezone

    from dangjian.accounts.scope import Scope
    from dangjian.learning.exams import services
    from dangjian.learning.exams.models import Question, Quiz

    scope, now = Scope.system(), timezone.now()
    quiz = Quiz.objects.filter(title=TITLE, organization=college).first()
    if quiz is None:
        have = Question.objects.filter(organization=college, text__startswith="基准测试").count()
        for n in range(have, 3 * BANK_EACH):
            kind = ("single", "multiple", "true_false")[n // BANK_EACH]
            options = ["选项甲", "选项乙", "选项丙", "选项丁"] if kind != "true_false" else []
            answer = {"single": [n % 4], "multiple": [n % 4, (n + 1) % 4], "true_false": [n % 2]}[kind]
            services.question_create(
                actor=None,
                scope=scope,
                organization=college,
                kind=kind,
                topic="theory",
                difficulty=1 + n % 3,
                text=f"基准测试第 {n + 1} 题：以下哪一项表述正确？",
                options=options,
                answer=answer,
                explanation="基准测试的题目。",
            )
        quiz = services.quiz_create(
            actor=None,
            scope=scope,
            organization=college,
            title=TITLE,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            time_limit=60,
            attempt_limit=1,
            pass_mark=60,
            rules=RULES,
        )
    elif quiz.closes_at < now + timedelta(hours=2):
        quiz = services.quiz_update(
            actor=None,
            scope=scope,
            quiz=quiz,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
        )
    return services.quiz_publish(actor=None, scope=scope, quiz=quiz)


def prepare_course(college: Any, quiz: Any) -> Any:
    """A published course of one lesson whose 结课测试 is the quiz: passing it credits the course's hour."""
    from django.utils import timezone

    from dangjian.learning.library.models import Course, Lesson, Material

    course = Course.objects.filter(title=TITLE, organization=college).first()
    if course is None:
        material = Material.objects.create(
            title=TITLE,
            kind="article",
            topic="theory",
            organization=college,
            body="基准测试的学习资料。",
            uid=secrets.token_hex(16),
            published=True,
            published_at=timezone.now(),
        )
        course = Course.objects.create(
            title=TITLE,
            topic="theory",
            organization=college,
            hours=Decimal("1"),
            quiz=quiz,
            published=True,
            published_at=timezone.now(),
        )
        Lesson.objects.create(course=course, material=material, position=1, hours=Decimal("1"))
    return course


def clean(quiz: Any, course: Any) -> None:
    """Remove what a run made that other benches would see (see the module's docstring)."""
    from django.db import transaction

    from dangjian.accounts.models import ApiToken
    from dangjian.learning.exams.models import Attempt
    from dangjian.learning.ledger import totals
    from dangjian.learning.library.models import CourseCompletion, LessonProgress
    from dangjian.learning.models import StudyHours

    with transaction.atomic():
        # The course's batches are ``course:<course>:<person>`` of the people who completed it (found by
        # the batch index: a prefix LIKE would read the whole ledger at province size).
        completed = CourseCompletion.objects.filter(course=course).values_list("person_id", flat=True)
        rows = StudyHours.objects.filter(batch__in=[f"course:{course.pk}:{p}" for p in completed])
        touched = {(p, on.year) for p, on in rows.values_list("person_id", "on")}
        rows.delete()
        totals.refresh(touched)
        CourseCompletion.objects.filter(course=course).delete()
        LessonProgress.objects.filter(lesson__course=course).delete()
        Attempt.objects.filter(quiz=quiz).delete()  # the items go with them
        ApiToken.objects.filter(name=TOKEN_NAME).delete()


def quiz_host(college: Any) -> Any:
    """The college when it has MEMBERS members, else the school above it (the tree's root)."""
    from django.db.models import Sum

    from dangjian.core.models import Organization, OrgCounts

    have = OrgCounts.objects.filter(organization__path__startswith=college.path).aggregate(n=Sum("members"))[
        "n"
    ]
    if (have or 0) >= MEMBERS:
        return college
    return Organization.objects.get(path=college.path[: Organization.steplen])


def members(college: Any, course: Any, first: Any = None) -> list[tuple[int, str]]:
    """Up to MEMBERS members of ``college`` (those under ``first`` before the others), each with a user
    and a fresh token, their course lessons done: ``[(person id, raw token)]``."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from dangjian.accounts.models import ApiToken, User
    from dangjian.accounts.services import token_hash
    from dangjian.core.models import Membership
    from dangjian.learning.library.models import LessonProgress

    def normal(path: str) -> Any:
        return Membership.objects.filter(
            standing="normal",
            person__organization__path__startswith=path,
            organization__path__startswith=path,
        ).order_by("person_id")

    person_ids: list[int] = []
    if first is not None and first.pk != college.pk:
        person_ids = list(normal(first.path).values_list("person_id", flat=True)[:MEMBERS])
    if len(person_ids) < MEMBERS:
        more = normal(college.path).exclude(person_id__in=person_ids)
        person_ids += list(more.values_list("person_id", flat=True)[: MEMBERS - len(person_ids)])
    existing = set(User.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(username=f"bench_quiz_{pid}", person_id=pid, password=unusable)
            for pid in person_ids
            if pid not in existing
        ]
    )
    users = dict(User.objects.filter(person_id__in=person_ids).values_list("person_id", "id"))
    raws = {pid: "dj_" + secrets.token_urlsafe(32) for pid in person_ids}
    expires = timezone.now() + timedelta(days=1)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=users[pid],
            name=TOKEN_NAME,
            prefix=raw[:10],
            token_hash=token_hash(raw),
            expires_at=expires,
        )
        for pid, raw in raws.items()
    )
    lesson = course.lessons.get()
    LessonProgress.objects.bulk_create(
        LessonProgress(person_id=pid, lesson=lesson, percent=100, done=True, done_at=timezone.now())
        for pid in person_ids
    )
    return list(raws.items())


# ---- the load ----------------------------------------------------------------------------------------


def answer_key(college: Any) -> dict[str, set[str]]:
    """The right options' texts of every question the quiz may draw, by its text: what a member who
    studied knows (read before the run; the clients never touch the database)."""
    from dangjian.learning.exams.models import Question
    from dangjian.learning.exams.services import bank_q

    return {
        text: {options[i] for i in answer if isinstance(i, int) and 0 <= i < len(options)}
        for text, options, answer in Question.objects.filter(bank_q(college)).values_list(
            "text", "options", "answer"
        )
    }


def _response(item: dict[str, Any], n: int, key: dict[str, set[str]]) -> list[int]:
    """Member ``n``'s answer to an item: the even members know the right options, the odd ones rotate
    over the options (most of them fail)."""
    options = item["options"]
    right = [i for i, text in enumerate(options) if text in key.get(item["text"], set())]
    if n % 2 == 0 and right and (item["kind"] == "multiple" or len(right) == 1):
        return right
    first = (n + item["position"]) % len(options)
    return [first, (first + 1) % len(options)] if item["kind"] == "multiple" else [first]


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {"start": [], "answers": [], "submit": []}
    )
    errors: list[str] = field(default_factory=list)
    scores: dict[int, str] = field(default_factory=dict)  # person id → the score of the first submit
    repeats_same: int = 0
    seconds: float = 0.0


def quiz_load(quiz: Any, people: list[tuple[int, str]], key: dict[str, set[str]], port: int) -> Outcome:
    work: queue.Queue[tuple[int, int, str] | None] = queue.Queue()
    for n, (pid, raw) in enumerate(people):
        work.put((n, pid, raw))
    for _ in range(CLIENTS):
        work.put(None)
    outcome = Outcome()
    lock = threading.Lock()

    def call(conn: http.client.HTTPConnection, kind: str, method: str, path: str, raw: str, body: Any) -> Any:
        start = time.perf_counter()
        conn.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        data = response.read()
        with lock:
            outcome.latencies[kind].append(time.perf_counter() - start)
        if response.status not in (200, 201):
            raise RuntimeError(f"{kind} {response.status} {data[:200]!r}")
        return json.loads(data)

    def member(conn: http.client.HTTPConnection, n: int, pid: int, raw: str) -> None:
        attempt = call(conn, "start", "POST", f"/api/v1/learning/quizzes/{quiz.pk}/attempts", raw, None)
        answers = [{"position": i["position"], "response": _response(i, n, key)} for i in attempt["items"]]
        path = f"/api/v1/learning/attempts/{attempt['id']}"
        call(conn, "answers", "PUT", f"{path}/answers", raw, {"answers": answers})
        graded = call(conn, "submit", "POST", f"{path}/submit", raw, None)
        if graded["status"] != "graded" or graded["score"] is None:
            raise RuntimeError(f"submit answered {graded['status']} {graded['score']}")
        with lock:
            outcome.scores[pid] = str(graded["score"])
        if n < REPEATS:  # a double click on 交卷
            again = call(conn, "submit", "POST", f"{path}/submit", raw, None)
            if (again["status"], str(again["score"]), again["submitted_at"]) == (
                "graded",
                str(graded["score"]),
                graded["submitted_at"],
            ):
                with lock:
                    outcome.repeats_same += 1

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (task := work.get()) is not None:
            n, pid, raw = task
            try:
                member(conn, n, pid, raw)
            except (OSError, http.client.HTTPException, RuntimeError, ValueError, KeyError) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    outcome.errors.append(f"member {pid}: {exc!r}"[:300])
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.seconds = time.perf_counter() - start
    return outcome


def _ms(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    p95 = quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
    return median(values) * 1000, p95 * 1000


def check(quiz: Any, course: Any, people: list[tuple[int, str]], outcome: Outcome) -> dict[str, int]:
    """What the database holds after the run: the counts the asserts compare."""
    from django.db.models import Count

    from dangjian.audit.models import AuditEvent
    from dangjian.learning.exams.models import Attempt, AttemptStatus
    from dangjian.learning.library.models import CourseCompletion
    from dangjian.learning.models import StudyHours

    attempts = Attempt.objects.filter(quiz=quiz)
    ids = [str(pk) for pk in attempts.values_list("pk", flat=True)]
    submits = (
        AuditEvent.objects.filter(action="learning.attempt_submit", target_id__in=ids)
        .values("target_id")
        .annotate(n=Count("id"))
    )
    stored = {str(p): str(s) for p, s in attempts.values_list("person_id", "score")}
    ledger = StudyHours.objects.filter(batch__in=[f"course:{course.pk}:{pid}" for pid, _raw in people])
    return {
        "attempts": attempts.count(),
        "graded": attempts.filter(status=AttemptStatus.GRADED, score__isnull=False).count(),
        "people": attempts.values("person_id").distinct().count(),
        "passed": attempts.filter(passed=True).count(),
        "submit events": sum(1 for s in submits),
        "graded twice": sum(1 for s in submits if s["n"] > 1),
        "scores differ": sum(1 for pid, score in outcome.scores.items() if stored.get(str(pid)) != score),
        "ledger rows": ledger.count(),
        "ledger people": ledger.values("person_id").distinct().count(),
        "completions": CourseCompletion.objects.filter(course=course).count(),
        "members": len(people),
    }


# ---- the ledger page ---------------------------------------------------------------------------------


def time_ledger(college: Any) -> tuple[str, float, float, int]:
    from django.test import Client
    from django.urls import reverse

    from bench.modules import _timed
    from dangjian.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="school_admin"))
    path = reverse("learning:ledger", args=[college.pk])
    assert client.get(path).status_code == 200, path

    def call() -> None:
        assert client.get(path).status_code == 200

    med, p95, queries = _timed(call)
    return path, med, p95, queries


def run(env: dict[str, str]) -> None:
    from bench import summary
    from bench.orglife import largest_college

    college = largest_college()
    host = quiz_host(college)
    print(f"learning: largest college {college.code} ({college.name}); the quiz of {host.name}")
    start = time.perf_counter()
    quiz = prepare_quiz(host)
    course = prepare_course(host, quiz)
    clean(quiz, course)
    people = members(host, course, first=college)
    key = answer_key(host)
    print(f"  prepared the quiz and {len(people)} members in {time.perf_counter() - start:.1f} s")

    port = free_port()
    server = serve(port, env)
    try:
        outcome = quiz_load(quiz, people, key, port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    counts = check(quiz, course, people, outcome)
    requests = sum(len(v) for v in outcome.latencies.values())
    med, p95 = _ms([x for v in outcome.latencies.values() for x in v])
    print(
        f"quiz: {len(people)} members ({requests} requests, {REPEATS} double submits) from {CLIENTS} clients "
        f"via gunicorn in {outcome.seconds:.1f} s (target ≤ {LIMIT_S:.0f} s); per request median "
        f"{med:.0f} ms, p95 {p95:.0f} ms"
    )
    for kind, values in outcome.latencies.items():
        kmed, kp95 = _ms(values)
        print(f"  {kind:8} {len(values):5d} requests, median {kmed:5.0f} ms, p95 {kp95:5.0f} ms")
    print(f"  errors: {len(outcome.errors)}; repeats answered the same result: {outcome.repeats_same}")
    print("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    for line in outcome.errors[:5]:
        print("   ", line)
    summary.add_seconds(
        "learning",
        f"{len(people)} members take a quiz from {CLIENTS} clients via gunicorn",
        outcome.seconds,
        LIMIT_S,
        detail=f"p95 {p95:.0f} ms a request",
    )
    summary.add_value("learning", "quiz submission errors", len(outcome.errors), 0, "errors")

    path, lmed, lp95, queries = time_ledger(college)
    print(
        f"school_admin ledger of the college ({path}): median {lmed:.1f} ms, p95 {lp95:.1f} ms, "
        f"{queries} queries"
    )
    summary.add_page(
        "learning",
        f"school_admin study ledger of the largest college ({path})",
        kind="review",
        median_ms=lmed,
        p95_ms=lp95,
        queries=queries,
    )
    if not KEEP:
        clean(quiz, course)

    n = len(people)
    assert not outcome.errors, "quiz errors"
    assert counts["attempts"] == counts["graded"] == counts["people"] == n, counts
    assert counts["submit events"] == n and counts["graded twice"] == 0, counts
    assert counts["scores differ"] == 0 and outcome.repeats_same == min(REPEATS, n), counts
    assert counts["ledger rows"] == counts["ledger people"] == counts["completions"] == counts["passed"], (
        counts
    )


if __name__ == "__main__":  # python -m bench.learning: on bench.run's province (or university) database
    from bench.run import URLS, _env

    env = _env(URLS[SIZE])
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    run({**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
