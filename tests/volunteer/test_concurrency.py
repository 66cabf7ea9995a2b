"""Under real concurrency (PostgreSQL): two members racing for the last place — one wins, the other hears
"名额已满"; one member's ten taps on 报名 make one sign-up."""

from __future__ import annotations

import pytest
from django.db import connection

from dangjian.kit.errors import RuleViolation
from dangjian.volunteer import services
from dangjian.volunteer.models import SignUp
from tests import factories as f
from tests.race import race
from tests.volunteer.conftest import as_person

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
