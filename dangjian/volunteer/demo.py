"""Demo 志愿服务, through the services as in real work: in the demo member's branch, a past activity with
check-ins by the code and one 补录 (finished, hours confirmed) and a coming one in two days with sign-ups
(the member among them) and two places left; at the college, a school-wide activity cancelled with a
reason. Deterministic: no randomness, times from now.

The past activity is published while it is still ahead (as a real one is) and then moved back, so its
sign-ups and check-ins carry their own past moments."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.volunteer import checkin, services
from dangjian.volunteer.models import Activity
from dangjian.volunteer.rules import ActivityStatus, Audience

SYSTEM = Scope.system()


def _as(person: Person) -> Scope:
    return replace(Scope.system(), person_id=person.pk)


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _activity(actor: Any, org: Organization, **data: Any) -> Activity:
    activity = services.activity_create(actor=actor, scope=SYSTEM, organization=org, data=data)
    return services.activity_publish(actor=actor, scope=SYSTEM, activity=activity, expected_status=None)


def seed_volunteer(*, seed: int) -> dict[str, int]:
    member_user = User.objects.select_related("person__organization").filter(username="member").first()
    secretary_user = User.objects.select_related("person").filter(username="branch_secretary").first()
    if member_user is None or member_user.person is None or secretary_user is None:
        return {"activities": 0, "signups": 0}
    member = member_user.person
    branch = member.organization
    assert branch is not None
    college = Organization.objects.get_parent(branch) or branch
    fellows = list(
        Person.objects.filter(membership__organization=branch).exclude(pk=member.pk).order_by("pk")[:6]
    )
    organizer = User.objects.filter(username="college_organizer").first()
    signups = 0

    # A past activity: three hours on a Saturday morning two weeks ago, checked in by the code.
    past = _activity(
        secretary_user,
        branch,
        title="社区义诊与健康宣讲",
        place="学府路社区服务中心",
        description="党员教师为社区居民提供健康咨询，宣讲慢性病防治知识。",
        starts_at=_at(1, 9),
        ends_at=_at(1, 12),
        places=8,
        hours=Decimal("3"),
        audience=Audience.SUBTREE,
    )
    starts, ends = _at(-14, 9), _at(-14, 12)
    Activity.objects.filter(pk=past.pk).update(starts_at=starts, ends_at=ends)
    past.starts_at, past.ends_at = starts, ends
    people = [member, *fellows[:4]]
    for i, person in enumerate(people):
        services.signup_create(
            actor=None, scope=_as(person), activity=past, now=starts - timedelta(days=3, hours=i)
        )
        signups += 1
    scanned_at = starts + timedelta(minutes=5)
    for person in people[:-1]:
        token = checkin.make_token(past, scanned_at)
        services.checkin_scan(actor=None, scope=_as(person), token=token, now=scanned_at)
    missed = past.signups.get(person=people[-1], cancelled_at__isnull=True)
    services.signup_correct(
        actor=secretary_user,
        scope=SYSTEM,
        signup=missed,
        hours=Decimal("2.5"),
        reason="手机没电未能扫码，经现场负责人确认参加，提前半小时离开。",
    )
    services.activity_finish(actor=secretary_user, scope=SYSTEM, activity=past, expected_status=None)

    # A coming activity in two days: five places, three taken (the member among them).
    coming = _activity(
        secretary_user,
        branch,
        title="图书馆古籍整理志愿服务",
        place="图书馆三楼古籍部",
        description="协助古籍部整理、登记捐赠古籍，请穿便于活动的服装。",
        starts_at=_at(2, 14),
        ends_at=_at(2, 17),
        places=5,
        hours=Decimal("3"),
        audience=Audience.SUBTREE,
    )
    for person in [member, *fellows[:2]]:
        services.signup_create(actor=None, scope=_as(person), activity=coming)
        signups += 1

    # A school-wide activity at the college, cancelled with a reason (its sign-ups told).
    cancelled = _activity(
        organizer,
        college,
        title="校园马拉松赛道服务",
        place="东区田径场",
        starts_at=_at(5, 7),
        ends_at=_at(5, 12),
        places=30,
        hours=Decimal("4"),
        audience=Audience.SCHOOL,
    )
    services.signup_create(actor=None, scope=_as(fellows[0] if fellows else member), activity=cancelled)
    signups += 1
    services.activity_cancel(
        actor=organizer,
        scope=SYSTEM,
        activity=cancelled,
        reason="因天气预报有暴雨，赛事延期，另行通知。",
        expected_status=ActivityStatus.PUBLISHED,
    )
    return {"activities": 3, "signups": signups}
