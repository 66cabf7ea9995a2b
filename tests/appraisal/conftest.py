"""民主评议 fixtures: the computer-science teachers' branch with ten members on the roll (nine full, one
probationary), the persona accounts, and a round opened in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.appraisal import services
from dangjian.appraisal.models import Participant, Round, Stage
from dangjian.core.models import Person
from tests import factories as f
from tests.conftest import World

SYSTEM = Scope.system()
YEAR = 2026


@pytest.fixture(autouse=True)
def _late_november():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


@dataclass
class Branch:
    world: World
    probationary: Person
    people: list[Person]  # all ten, the secretary and the member among them


@pytest.fixture
def branch(world: World) -> Branch:
    extra = [f.member(world.cs_branch, f"党员{n}") for n in range(6)]
    probationary = f.member(world.cs_branch, "预备党员甲", full=False, joined_on=date(2026, 6, 1))
    people = [world.secretary, world.member, *Person.objects.filter(name="张伟"), *extra, probationary]
    return Branch(world, probationary, people)


def open_round(branch: Branch, *, stage: str = Stage.SELF_REVIEW) -> Round:
    round = services.round_open(actor=None, scope=SYSTEM, branch=branch.world.cs_branch, year=YEAR)
    if stage in (Stage.RATING, Stage.PROPOSING):
        services.round_advance(actor=None, scope=SYSTEM, round=round, expected_status=None)
    if stage == Stage.PROPOSING:
        services.round_advance(actor=None, scope=SYSTEM, round=round, expected_status=None)
    round.refresh_from_db()
    return round


def participant(round: Round, person: Person) -> Participant:
    return Participant.objects.get(round=round, person=person)


def all_others(round: Round, rater: Participant, grade: str = "qualified") -> dict[int, str]:
    return {p.pk: grade for p in Participant.objects.filter(round=round).exclude(pk=rater.pk)}


@pytest.fixture
def fl_member_user(world: World) -> User:
    return f.user_for(world.fl_member, "fl_member")
