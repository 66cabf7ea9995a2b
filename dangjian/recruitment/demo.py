"""Demo 发展党员 cases for 示范大学: every applicant, activist and development target gets a case whose
recorded steps match their stage, with realistic dates; some are overdue. Bulk, with COPY on PostgreSQL
(demo seed only: the services with their audit run for real work)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from dangjian.core.models import OrgKind, Person, PoliticalStatus
from dangjian.kit.bulk import copy_insert, copy_rows
from dangjian.kit.dates import add_months
from dangjian.recruitment.models import Case, Stage, StepDefinition, StepRecord

# How far each stage has come: the last step number recorded.
LAST_STEP: dict[str, int] = {
    PoliticalStatus.APPLICANT: 2,
    PoliticalStatus.ACTIVIST: 6,
    PoliticalStatus.CANDIDATE: 11,
}
STAGE: dict[str, str] = {
    PoliticalStatus.APPLICANT: Stage.APPLICANT,
    PoliticalStatus.ACTIVIST: Stage.ACTIVIST,
    PoliticalStatus.CANDIDATE: Stage.CANDIDATE,
}


def seed_recruitment(*, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 11)
    today = today or timezone.localdate()
    steps = {s.number: s for s in StepDefinition.objects.all()}
    people = list(
        Person.objects.filter(
            political_status__in=list(LAST_STEP),
            organization__kind=OrgKind.BRANCH,
            organization__isnull=False,
        ).values_list("pk", "political_status", "organization_id", "birth_date")
    )
    cases, plans = [], []
    for pk, status, branch_id, birth in people:
        last = LAST_STEP[status]
        span = {"applicant": 60, "activist": 500, "candidate": 800}[status]
        applied = today - timedelta(days=rng.randint(10, span))
        if applied < add_months(birth, 12 * 18):
            continue  # too young for the demo story
        if status == PoliticalStatus.APPLICANT and rng.random() < 0.3:
            last = 1  # the talk is still to come (some of them overdue)
        cases.append(
            Case(person_id=pk, branch_id=branch_id, stage=STAGE[status], applied_on=applied, last_step=last)
        )
        plans.append((applied, last, status))
    with transaction.atomic():
        copy_insert(Case, cases)
        records: list[tuple[int, int, date]] = []
        for case, (applied, last, _status) in zip(cases, plans, strict=True):
            day = applied
            for number in range(1, last + 1):
                if number == 2:
                    day = applied + timedelta(days=rng.randint(5, 25))
                elif number == 3:
                    day = day + timedelta(days=rng.randint(30, 120))
                elif number == 7:
                    day = max(add_months(day, 12), day)
                elif number > 1:
                    day = day + timedelta(days=rng.randint(3, 40))
                day = min(day, today)
                records.append((case.pk, steps[number].pk, day))
        copy_rows(StepRecord, ["case_id", "step_id", "done_on"], records)
    return {"recruitment_cases": len(cases), "recruitment_steps": len(records)}
