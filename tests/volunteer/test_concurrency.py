"""Under real concurrency (PostgreSQL): two members racing for the last place — one wins, the other hears
"名额已满"; one member's ten taps on 报名 make one sign-up; two organizers 补录 the same person once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from dangjian.kit.errors import RuleViolation
from dangjian.volunteer import services
from dangjian.volunteer.models import SignUp
from tests import factories as f
from tests.race import race
from tests.volunteer.conftest import START, SYSTEM, as_person

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_members_racing_for_the_last_place_one_wins(world, make_activity) -> None:
    activity = make_activity(places=2)
    services.signup_create(actor=None, scope=as_person(world.secretary), activity=activity)
    rival = f.member(world.cs_branch, "竞争者")
    results = race(
        [
            lambda p=p: services.signup_create(actor=None, scope=as_person(p), activity=activity)
            for p in (world.member, rival)
        ]
    )
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(refused) == 1 and refused[0].message == "名额已满。"
    assert SignUp.objects.filter(activity=activity, cancelled_at__isnull=True).count() == 2


def test_ten_taps_make_one_sign_up(world, make_activity) -> None:
    activity = make_activity(places=5)
    results = race(
        [lambda: services.signup_create(actor=None, scope=as_person(world.member), activity=activity)] * 10
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_two_organizers_adding_the_same_participant_add_once(world, make_activity) -> None:
    activity = make_activity(places=5)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        results = race(
            [
                lambda: services.signup_add(
                    actor=None,
                    scope=SYSTEM,
                    activity=activity,
                    person_id=world.member.pk,
                    hours=Decimal("3"),
                    reason="未报名",
                )
            ]
            * 2
        )
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(refused) == 1 and refused[0].code == "already_signed_up"
    assert SignUp.objects.filter(activity=activity).count() == 1
