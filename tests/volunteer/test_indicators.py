"""志愿服务's indicator (members who served / members, per branch) and the person indicator (the year's
hours) on a small fixture."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import time_machine

from dangjian import hooks
from dangjian.volunteer import checkin, services
from dangjian.volunteer.indicators import hours_values, participation_readings
from tests import factories as f
from tests.volunteer.conftest import END, START, SYSTEM, as_person


def _served(activity, person, at=START):
    services.signup_create(actor=None, scope=as_person(person), activity=activity)
    services.checkin_scan(actor=None, scope=as_person(person), token=checkin.make_token(activity, at), now=at)


def test_the_share_of_members_who_served_per_branch(world, make_activity) -> None:
    activity = make_activity(places=10)
    _served(activity, world.member)
    no_show = f.member(world.cs_branch, "未到")
    services.signup_create(actor=None, scope=as_person(no_show), activity=activity)
    school_wide = make_activity(world.school, audience="school", title="全校活动")
    _served(school_wide, world.fl_member)
    readings = participation_readings(date(2026, 10, 1), date(2026, 12, 31))
    # 计算机 branch: 李晓红 served; 王建国, 张伟 and 未到 did not → 1/4. 外国语: 赵敏 of 3 → 1/3.
    assert (readings[world.cs_branch.pk].numerator, readings[world.cs_branch.pk].denominator) == (1, 4)
    assert (readings[world.fl_branch.pk].numerator, readings[world.fl_branch.pk].denominator) == (1, 3)
    # Outside the period (the activity starts on 2 December): nobody served.
    before = participation_readings(date(2026, 10, 1), date(2026, 11, 30))
    assert before[world.cs_branch.pk].numerator == 0


def test_hours_set_to_zero_no_longer_count(world, make_activity) -> None:
    activity = make_activity()
    _served(activity, world.member)
    signup = activity.signups.get()
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        services.signup_correct(actor=None, scope=SYSTEM, signup=signup, hours=Decimal("0"), reason="误扫")
    readings = participation_readings(date(2026, 12, 1), date(2026, 12, 31))
    assert readings[world.cs_branch.pk].numerator == 0


def test_the_person_indicator_says_the_years_hours(world, make_activity) -> None:
    activity = make_activity()
    _served(activity, world.member)
    values = hours_values([world.member.pk, world.secretary.pk], 2026)
    assert values[world.member.pk] == (Decimal("3.0"), "3 小时", None)
    assert values[world.secretary.pk] == (Decimal("0"), "0 小时", None)
    assert hours_values([world.member.pk], 2025)[world.member.pk][1] == "0 小时"


def test_the_indicators_are_contributed_and_in_the_cohesion_defaults() -> None:
    from dangjian.insights.indices.defaults import DEFAULTS
    from dangjian.insights.models import IndexCode

    assert hooks.indicators.get("volunteer.participation").label == "参加志愿服务党员比例"
    assert hooks.person_indicators.get("volunteer.hours").label == "志愿服务时长"
    cohesion = DEFAULTS[IndexCode.COHESION]
    assert "volunteer.participation" in [c["indicator"] for c in cohesion]
    assert abs(sum(c["weight"] for c in cohesion) - 1) < 1e-9
