"""党校 fixtures: an activist, a development target whose case waits for the training step, one without
a case, and classes of the computer-science committee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from dangjian.accounts.scope import Scope
from dangjian.core import services as core_services
from dangjian.core.models import Person, PoliticalStatus
from dangjian.learning import services
from dangjian.learning.models import ClassKind, TrainingClass
from dangjian.recruitment import services as recruitment
from dangjian.recruitment.models import Case
from tests import factories as f

D = date
TODAY = D(2026, 11, 20)


def record(case: Case, code: str, on: date, **data: object) -> None:
    recruitment.step_record(
        actor=None, scope=Scope.system(), case=case, code=code, done_on=on, data=data, today=TODAY
    )


def case_up_to_training(person: Person, branch) -> Case:
    """An open case with steps 1–10 recorded: the next step is 11 “开展集中培训”."""
    case = recruitment.case_open(
        scope=Scope.system(), actor=None, person=person, branch=branch, applied_on=D(2024, 3, 1)
    )
    record(case, "talk", D(2024, 3, 20))
    record(case, "activist", D(2024, 9, 1))
    record(case, "activist_filed", D(2024, 9, 10))
    record(case, "contacts", D(2024, 9, 10), contacts=[1, 2])
    record(case, "evaluation", D(2025, 3, 1))
    record(case, "candidate", D(2025, 9, 2))
    record(case, "candidate_filed", D(2025, 9, 20), publicity_start="2025-09-08", publicity_end="2025-09-12")
    record(case, "introducers", D(2025, 9, 21), introducers=[1, 2])
    record(case, "political_review", D(2025, 10, 10))
    return case


def with_status(name: str, org, status: str, **extra: Any) -> Person:
    person = f.person(name, organization=org, birth=D(2003, 5, 1), **extra)
    core_services.person_set_political_status(actor=None, person=person, status=status, reason="test")
    person.refresh_from_db()
    return person


@dataclass
class School:
    world: object
    candidate: Person  # with an open case waiting for step 11
    candidate_early: Person  # with an open case, political review not yet recorded
    candidate_no_case: Person
    activist: Person
    fl_candidate: Person  # another college
    case: Case


@pytest.fixture
def school(world) -> School:
    candidate = f.person("陈发展", organization=world.cs_branch2, birth=D(2003, 5, 1))
    case = case_up_to_training(candidate, world.cs_branch2)
    early = f.person("林早", organization=world.cs_branch2, birth=D(2003, 5, 1))
    early_case = recruitment.case_open(
        scope=Scope.system(), actor=None, person=early, branch=world.cs_branch2, applied_on=D(2024, 3, 1)
    )
    record(early_case, "talk", D(2024, 3, 20))
    record(early_case, "activist", D(2024, 9, 1))
    core_services.person_set_political_status(
        actor=None, person=early, status=PoliticalStatus.CANDIDATE, reason="test"
    )
    no_case = with_status("周无档", world.cs_branch2, PoliticalStatus.CANDIDATE)
    activist = with_status("吴积极", world.cs_branch2, PoliticalStatus.ACTIVIST)
    fl_candidate = with_status("郑外院", world.fl_branch, PoliticalStatus.CANDIDATE)
    for p in (candidate, early):
        p.refresh_from_db()
    return School(world, candidate, early, no_case, activist, fl_candidate, case)


def make_class(world, kind: str = ClassKind.CANDIDATE, **extra: object) -> TrainingClass:
    values: dict = {
        "name": "2026年秋季发展对象培训班" if kind == ClassKind.CANDIDATE else "2026年秋季入党积极分子培训班",
        "kind": kind,
        "starts_on": D(2026, 10, 10),
        "ends_on": D(2026, 10, 12),
        "days": Decimal("3"),
        "hours": Decimal("24"),
        **extra,
    }
    organizer = values.pop("organizer", world.cs)
    return services.training_class_create(actor=None, scope=Scope.system(), organizer=organizer, **values)


@pytest.fixture
def candidate_class(school) -> TrainingClass:
    return make_class(school.world)


@pytest.fixture
def activist_class(school) -> TrainingClass:
    return make_class(school.world, ClassKind.ACTIVIST)
