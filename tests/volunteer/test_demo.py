"""The demo's 志愿服务: a finished activity with check-ins and a 补录, a coming one with places left and
the member signed up, a cancelled school-wide one — through the services."""

from __future__ import annotations

from decimal import Decimal

from dangjian.volunteer.demo import seed_volunteer
from dangjian.volunteer.models import Activity, SignUp
from dangjian.volunteer.rules import ActivityStatus, CheckinMethod


def test_the_demo_seeds_the_three_activities(world, member_user, branch_secretary, college_organizer) -> None:
    counts = seed_volunteer(seed=2026)
    assert counts["activities"] == 3
    past, coming, cancelled = Activity.objects.order_by("pk")
    assert past.status == ActivityStatus.FINISHED
    credited = SignUp.objects.filter(activity=past, hours_granted__gt=0)
    assert credited.filter(checkin_method=CheckinMethod.SCAN).count() >= 1
    assert credited.get(checkin_method=CheckinMethod.MANUAL).hours_granted == Decimal("2.5")
    assert coming.status == ActivityStatus.PUBLISHED
    taken = SignUp.objects.filter(activity=coming, cancelled_at__isnull=True)
    assert taken.filter(person=world.member).exists() and 0 < coming.places - taken.count() <= 3
    assert cancelled.status == ActivityStatus.CANCELLED and cancelled.cancel_reason


def test_the_demo_seeds_nothing_without_its_personas(db) -> None:
    assert seed_volunteer(seed=2026) == {"activities": 0, "signups": 0}
