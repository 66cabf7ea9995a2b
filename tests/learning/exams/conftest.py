"""A small bank of the computer college (CS) and a published quiz of it, open now, for the exam tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.learning.exams import services
from dangjian.learning.exams.models import Question, Quiz

SYSTEM = Scope.system()


def make_bank(
    org: Any, *, singles: int = 6, multiples: int = 3, true_false: int = 3, fills: int = 2
) -> list[Question]:
    made = []
    for n in range(singles):
        made.append(
            services.question_create(
                actor=None,
                scope=SYSTEM,
                organization=org,
                kind="single",
                topic="charter" if n % 2 else "history",
                difficulty=1,
                text=f"单选题{n}",
                options=["甲", "乙", "丙", "丁"],
                answer=[n % 4],
                explanation=f"解析单选{n}",
            )
        )
    for n in range(multiples):
        made.append(
            services.question_create(
                actor=None,
                scope=SYSTEM,
                organization=org,
                kind="multiple",
                topic="theory",
                difficulty=2,
                text=f"多选题{n}",
                options=["甲", "乙", "丙", "丁"],
                answer=[0, 2],
                explanation="解析多选",
            )
        )
    for n in range(true_false):
        made.append(
            services.question_create(
                actor=None,
                scope=SYSTEM,
                organization=org,
                kind="true_false",
                topic="history",
                difficulty=1,
                text=f"判断题{n}",
                answer=[n % 2],
                explanation="解析判断",
            )
        )
    for n in range(fills):
        made.append(
            services.question_create(
                actor=None,
                scope=SYSTEM,
                organization=org,
                kind="fill",
                topic="charter",
                difficulty=1,
                text=f"填空题{n}",
                answer=["共产主义", "Communism"],
                explanation="解析填空",
            )
        )
    return made


RULES = [
    {"kind": "single", "topic": "", "count": 4, "points": "10"},
    {"kind": "multiple", "topic": "", "count": 2, "points": "10"},
    {"kind": "true_false", "topic": "", "count": 2, "points": "10"},
    {"kind": "fill", "topic": "", "count": 2, "points": "10"},
]


def make_quiz(
    org: Any, *, attempt_limit: int = 2, time_limit: int = 30, publish: bool = True, **extra: Any
) -> Quiz:
    now = timezone.now()
    quiz = services.quiz_create(
        actor=None,
        scope=SYSTEM,
        organization=org,
        title="党章测试",
        opens_at=extra.get("opens_at", now - timedelta(days=1)),
        closes_at=extra.get("closes_at", now + timedelta(days=7)),
        time_limit=time_limit,
        attempt_limit=attempt_limit,
        pass_mark=60,
        rules=extra.get("rules", RULES),
    )
    return services.quiz_publish(actor=None, scope=SYSTEM, quiz=quiz) if publish else quiz


@pytest.fixture
def bank(world) -> list[Question]:
    return make_bank(world.cs)


@pytest.fixture
def quiz(world, bank) -> Quiz:
    return make_quiz(world.cs)


def as_person(person: Any) -> Scope:
    return Scope.build(None, person.pk, [])
