"""Demo 党校 for 示范大学: a closed 入党积极分子培训班 and a closed 发展对象培训班 of the school's 党校 with
attendance, results (a few failed) and 结业证书, and an open activist class of the first college with
people enrolled and no results yet. Through the services (a few dozen people: their audit is cheap), so
certificates, the hours ledger and the recruitment step come out as in real work."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person, PoliticalStatus
from dangjian.learning import services
from dangjian.learning.exams.demo import seed_course_quiz, seed_exams
from dangjian.learning.ledger.demo import seed_topics
from dangjian.learning.library.demo import seed_library
from dangjian.learning.models import ClassKind, ExamResult, TrainingClass

SYSTEM = Scope.system()  # the demo seed acts as the platform itself


def _people(status: str, under: Organization, limit: int, exclude: set[int]) -> list[Person]:
    return list(
        Person.objects.filter(
            political_status=status, organization__path__startswith=under.path, is_active=True
        )
        .exclude(pk__in=exclude)
        .select_related("organization")
        .order_by("pk")[:limit]
    )


def _run(
    rng: random.Random, training_class: TrainingClass, people: list[Person], *, fail_rate: float
) -> None:
    for person in people:
        enrolment, _created = services.enrolment_add(
            actor=None, scope=SYSTEM, training_class=training_class, person=person
        )
        passed = rng.random() >= fail_rate
        services.enrolment_record(
            actor=None,
            scope=SYSTEM,
            enrolment=enrolment,
            attended_hours=training_class.hours if passed else training_class.hours - Decimal(8),
            score=Decimal(rng.randint(75, 98) if passed else rng.randint(40, 59)),
            result=ExamResult.PASS if passed else ExamResult.FAIL,
        )


def seed_learning(seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 17)
    today = today or timezone.localdate()
    school = Organization.objects.get_root_nodes().first()
    if school is None:
        return {"training_classes": 0, "training_enrolments": 0, "training_certificates": 0}
    college = (
        Organization.objects.filter(path__startswith=school.path, depth=2, kind=OrgKind.COMMITTEE)
        .order_by("path")
        .first()
    ) or school
    year = today.year
    enrolled: set[int] = set()
    classes: list[TrainingClass] = []
    counts = {"enrolments": 0, "certificates": 0}

    def make(
        kind: str, organizer: Organization, name: str, ends: date, days: int, hours: int
    ) -> TrainingClass:
        training_class = services.training_class_create(
            actor=None,
            scope=SYSTEM,
            organizer=organizer,
            name=name,
            kind=kind,
            starts_on=ends - timedelta(days=days - 1),
            ends_on=ends,
            days=Decimal(days),
            hours=Decimal(hours),
            place="党校报告厅",
        )
        classes.append(training_class)
        return training_class

    # The open class's people first (from the college), so the school-wide class leaves some to it.
    waiting = _people(PoliticalStatus.ACTIVIST, college, 15, enrolled)
    enrolled.update(p.pk for p in waiting)
    activists = _people(PoliticalStatus.ACTIVIST, school, 40, enrolled)
    enrolled.update(p.pk for p in activists)
    activist_class = make(
        ClassKind.ACTIVIST, school, f"{year}年第一期入党积极分子培训班", today - timedelta(days=75), 3, 24
    )
    _run(rng, activist_class, activists, fail_rate=0.1)
    candidates = _people(PoliticalStatus.CANDIDATE, school, 30, enrolled)
    candidate_class = make(
        ClassKind.CANDIDATE, school, f"{year}年第一期发展对象培训班", today - timedelta(days=40), 4, 32
    )
    _run(rng, candidate_class, candidates, fail_rate=0.05)
    for training_class in (activist_class, candidate_class):
        report = services.training_class_close(
            actor=None, scope=SYSTEM, training_class=training_class, today=today
        )
        counts["enrolments"] += len(report.outcomes)
        counts["certificates"] += report.passed
    open_class = make(
        ClassKind.ACTIVIST,
        college,
        f"{college.short_name or college.name}{year}年入党积极分子培训班",
        today + timedelta(days=9),
        3,
        24,
    )
    for person in waiting:
        services.enrolment_add(actor=None, scope=SYSTEM, training_class=open_class, person=person)
        counts["enrolments"] += 1
    topics = seed_topics(rng, college, today)
    # Appended last, with its own random stream: the earlier draws stay as they were.
    library = seed_library(random.Random(seed + 56), school, college, today)
    return {
        "training_classes": len(classes),
        "training_enrolments": counts["enrolments"],
        "training_certificates": counts["certificates"],
        **topics,
        **library,
        **seed_exams(seed),  # with its own random draws: the data above stays as it was
        **seed_course_quiz(seed),  # the bank and the course above, then its own draws
    }
