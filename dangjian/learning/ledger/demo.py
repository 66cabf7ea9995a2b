"""The demo's 专题培训: a college-wide training and a branch's own study session, recorded through the
services as an organizer would. The demo secretary takes part in neither, so the demo shows one
secretary behind the year's pace (org life adds the 党课 and 集中学习 hours when it is seeded)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization
from dangjian.learning.ledger import services


def _within_year(day: date, today: date) -> date:
    return day if day.year == today.year else date(today.year, 1, 15)


def seed_topics(rng: random.Random, college: Organization, today: date) -> dict[str, int]:
    from dangjian.accounts.models import User

    system = Scope.system()
    secretary = User.objects.filter(username="branch_secretary").values_list("person_id", flat=True).first()
    people = list(
        Membership.objects.filter(organization__path__startswith=college.path, standing__in=ON_ROLL_STANDINGS)
        .exclude(person_id__in=[secretary] if secretary else [])
        .order_by("person_id")
        .values_list("person_id", "organization_id")
    )
    counted = 0
    college_wide = services.topic_create(
        actor=None,
        scope=system,
        organizer=college,
        title="学习贯彻党的二十届四中全会精神专题培训",
        on=_within_year(today - timedelta(days=60), today),
        hours=Decimal("16"),
        today=today,
        place="学院报告厅",
        note="学院党委组织，分四次集中学习",
    )
    took_part = [pid for pid, _org in people if rng.random() < 0.7]
    counted += services.topic_people_add(actor=None, scope=system, topic=college_wide, person_ids=took_part)
    branch_id = Organization.objects.filter(code="CS-T1").values_list("pk", flat=True).first()
    branch = Organization.objects.get(pk=branch_id) if branch_id else None
    if branch is not None:
        session = services.topic_create(
            actor=None,
            scope=system,
            organizer=branch,
            title="《中国共产党纪律处分条例》专题学习",
            on=_within_year(today - timedelta(days=20), today),
            hours=Decimal("4"),
            today=today,
            place="党员活动室",
        )
        members = [pid for pid, org in people if org == branch.pk]
        counted += services.topic_people_add(
            actor=None, scope=system, topic=session, person_ids=members[: max(1, len(members) * 2 // 3)]
        )
    return {"topic_trainings": 2 if branch is not None else 1, "topic_hours": counted}
