"""组织生活's indicators (issue 16): attendance, required meetings held, minutes on time, the secretary's
党课, supervision scores and open problems; the attendance person indicator."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian import hooks
from dangjian.core import services
from dangjian.core.models import Organization, OrgKind, Person, PositionTitle
from dangjian.orglife.indicators import (
    attendance_readings,
    attendance_values,
    form_periods,
    meetings_held_readings,
    minutes_readings,
    missed_run,
    open_problems_readings,
    secretary_lecture_readings,
    supervision_score_readings,
)
from dangjian.orglife.models import (
    Assignment,
    Attendance,
    Attendee,
    AttendeeRole,
    Draw,
    Feedback,
    Meeting,
    MeetingStatus,
    Minutes,
    Problem,
    ProblemStatus,
    Supervisor,
)
from dangjian.policy import get_policy
from tests import factories as f

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def college(db) -> Organization:
    school = f.org(None, OrgKind.COMMITTEE, "学校党委")
    return f.org(school, OrgKind.COMMITTEE, "学院党委")


def _meeting(
    branch: Organization, kind: str, day: date, status: str = MeetingStatus.HELD, **extra
) -> Meeting:
    return Meeting.objects.create(
        organization=branch, kind=kind, topic="学习", date=day, status=status, **extra
    )


def _attend(meeting: Meeting, person: Person, attendance: str, role: str = AttendeeRole.MEMBER) -> None:
    Attendee.objects.create(meeting=meeting, person=person, attendance=attendance, role=role)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# ---- attendance ---------------------------------------------------------------------------------


def test_attendance_counts_leave_as_expected_but_not_present(college: Organization) -> None:
    branch, quiet = f.org(college, OrgKind.BRANCH, "甲"), f.org(college, OrgKind.BRANCH, "乙")
    a, b, c, guest = (f.member(branch, n) for n in ("甲一", "甲二", "甲三", "列席"))
    held = _meeting(branch, "assembly", date(2026, 3, 10))
    _attend(held, a, Attendance.PRESENT)
    _attend(held, b, Attendance.LEAVE)
    _attend(held, c, Attendance.ABSENT)
    _attend(held, guest, Attendance.PRESENT, role=AttendeeRole.INVITED)  # not expected as a member
    planned = _meeting(branch, "assembly", date(2026, 3, 20), status=MeetingStatus.PLANNED)
    _attend(planned, a, Attendance.EXPECTED)
    _attend(_meeting(branch, "assembly", date(2026, 4, 1)), a, Attendance.ABSENT)  # after the period
    _meeting(quiet, "assembly", date(2026, 3, 20), status=MeetingStatus.CANCELLED)
    readings = attendance_readings(*MARCH)
    r = readings[branch.pk]
    assert (r.numerator, r.denominator) == (1, 3)
    assert r.value == pytest.approx(1 / 3)
    assert quiet.pk not in readings  # no meeting held: nothing to measure


# ---- required meetings held -------------------------------------------------------------------------


def test_form_periods_judge_each_form_in_the_last_month_of_its_period() -> None:
    frequencies = get_policy().orglife_frequencies
    november = form_periods(frequencies, date(2026, 11, 1), date(2026, 11, 30))
    assert sorted(k for k, *_rest in november) == ["committee", "group", "theme_day"]
    december = {k: (first, judged) for k, first, judged, _n in form_periods(frequencies, *Q4)}
    assert december["life_meeting"] == (date(2026, 1, 1), date(2026, 12, 1))
    assert december["assembly"] == (date(2026, 10, 1), date(2026, 12, 1))
    year = form_periods(frequencies, date(2026, 1, 1), date(2026, 12, 31))
    assert sum(n for k, *_r, n in year if k == "theme_day") == 12
    assert sum(n for k, *_r, n in year if k == "lecture") == 4


Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def test_meetings_held_is_the_share_of_required_meetings(college: Organization) -> None:
    small = f.org(college, OrgKind.BRANCH, "小支部")  # no committee required, no 党小组
    f.member(small, "党员")
    _meeting(small, "assembly", date(2026, 2, 10))  # the quarter's assembly, held before March
    _meeting(small, "theme_day", date(2026, 3, 5))
    _meeting(small, "theme_day", date(2026, 3, 25))  # a second one does not make up for the 党课
    _meeting(small, "lecture", date(2026, 3, 25), status=MeetingStatus.CANCELLED)
    readings = meetings_held_readings(*MARCH)
    r = readings[small.pk]
    # March judges the quarter's assembly and 党课 and the month's 主题党日: 1 + 0 + 1 of 3.
    assert (r.numerator, r.denominator) == (2, 3)


def test_meetings_held_asks_committee_and_group_meetings_only_where_they_exist(college: Organization) -> None:
    big = f.org(college, OrgKind.BRANCH, "大支部")
    for i in range(7):
        f.member(big, f"党员{i}")
    f.org(big, OrgKind.GROUP, "第一党小组")
    _meeting(big, "committee", date(2026, 3, 2))
    readings = meetings_held_readings(*MARCH)
    # assembly, 党课, 主题党日, 支委会, 党小组会: 5 required, the 支委会 held.
    assert (readings[big.pk].numerator, readings[big.pk].denominator) == (1, 5)


def test_a_branch_established_after_the_judging_month_is_not_asked(college: Organization) -> None:
    late = f.org(college, OrgKind.BRANCH, "新支部", established_on=date(2026, 3, 2))
    assert late.pk not in meetings_held_readings(*MARCH)
    assert meetings_held_readings(date(2026, 4, 1), date(2026, 4, 30))[late.pk].denominator == 1  # 主题党日


# ---- minutes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "on_time"), [(date(2026, 3, 10), 1), (date(2026, 3, 17), 1), (date(2026, 3, 18), 0)]
)
def test_minutes_are_on_time_within_seven_days(college: Organization, recorded: date, on_time: int) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    meeting = _meeting(branch, "assembly", date(2026, 3, 10))
    minutes = Minutes.objects.create(meeting=meeting, content="纪要")
    Minutes.objects.filter(pk=minutes.pk).update(recorded_at=_at(recorded, 23))
    _meeting(branch, "theme_day", date(2026, 3, 12))  # held, no minutes: late
    r = minutes_readings(*MARCH)[branch.pk]
    assert (r.numerator, r.denominator) == (on_time, 2)


def test_minutes_days_are_a_setting(college: Organization, settings) -> None:
    settings.DANGJIAN_POLICY = {"orglife_minutes_within_days": 3}
    branch = f.org(college, OrgKind.BRANCH, "支部")
    minutes = Minutes.objects.create(meeting=_meeting(branch, "assembly", date(2026, 3, 10)), content="纪要")
    Minutes.objects.filter(pk=minutes.pk).update(recorded_at=_at(date(2026, 3, 14)))
    assert minutes_readings(*MARCH)[branch.pk].value == 0


# ---- the secretary's 党课 ------------------------------------------------------------------------------


def _secretary(branch: Organization, started: date = date(2025, 1, 1)) -> Person:
    person = f.member(branch, "书记")
    services.position_assign(
        actor=None, person=person, organization=branch, title=PositionTitle.SECRETARY, started_on=started
    )
    return person


def test_secretary_lecture_counts_the_year_up_to_the_end(college: Organization) -> None:
    gave, not_yet, last_year, none = (
        f.org(college, OrgKind.BRANCH, n) for n in ("讲了", "未讲", "去年", "无书记")
    )
    _meeting(gave, "lecture", date(2026, 1, 20), speaker=_secretary(gave))
    _meeting(not_yet, "lecture", date(2026, 4, 2), speaker=_secretary(not_yet))  # after the end
    _meeting(last_year, "lecture", date(2025, 12, 20), speaker=_secretary(last_year))
    _meeting(none, "lecture", date(2026, 2, 1), speaker=f.member(none, "党员"))  # not by a secretary
    readings = secretary_lecture_readings(*MARCH)
    assert (readings[gave.pk].value, readings[not_yet.pk].value, readings[last_year.pk].value) == (1, 0, 0)
    assert none.pk not in readings
    assert secretary_lecture_readings(date(2026, 4, 1), date(2026, 4, 30))[not_yet.pk].value == 1


# ---- supervision ------------------------------------------------------------------------------------


def _feedback(meeting: Meeting, total: str, filed: date) -> Feedback:
    home = Organization.objects.get(path=meeting.organization.path[: -Organization.steplen])
    supervisor = Supervisor.objects.create(person=f.person("督查员"), home_org=home)
    draw = Draw.objects.create(scope_org=home, period_from=meeting.date, period_to=meeting.date, seed=1)
    task = Assignment.objects.create(draw=draw, meeting=meeting, supervisor=supervisor, status="filed")
    feedback = Feedback.objects.create(assignment=task, total=Decimal(total))
    Feedback.objects.filter(pk=feedback.pk).update(filed_at=_at(filed))
    return feedback


def test_supervision_score_is_the_mean_of_the_periods_feedback(college: Organization) -> None:
    branch, unseen = f.org(college, OrgKind.BRANCH, "甲"), f.org(college, OrgKind.BRANCH, "乙")
    _feedback(_meeting(branch, "assembly", date(2026, 3, 3)), "80", date(2026, 3, 5))
    _feedback(_meeting(branch, "theme_day", date(2026, 3, 20)), "95", date(2026, 4, 5))
    _feedback(_meeting(branch, "theme_day", date(2026, 2, 20)), "10", date(2026, 2, 25))  # another period
    _meeting(unseen, "assembly", date(2026, 3, 3))
    readings = supervision_score_readings(*MARCH)
    assert readings[branch.pk].value == pytest.approx(87.5)
    assert (readings[branch.pk].numerator, readings[branch.pk].denominator) == (175, 2)
    assert unseen.pk not in readings


def test_open_problems_are_those_not_rectified_at_the_end(college: Organization) -> None:
    branch, clean, never = (f.org(college, OrgKind.BRANCH, n) for n in ("甲", "乙", "丙"))
    fb = _feedback(_meeting(branch, "assembly", date(2026, 2, 3)), "60", date(2026, 2, 5))
    Problem.objects.create(feedback=fb, description="未开")  # still open
    Problem.objects.create(
        feedback=fb, description="晚改", status=ProblemStatus.ANSWERED, answered_at=_at(date(2026, 4, 2))
    )
    Problem.objects.create(
        feedback=fb, description="已改", status=ProblemStatus.ANSWERED, answered_at=_at(date(2026, 3, 31), 23)
    )
    _feedback(_meeting(clean, "assembly", date(2026, 2, 3)), "100", date(2026, 2, 5))
    later = _feedback(_meeting(never, "assembly", date(2026, 3, 30)), "50", date(2026, 4, 1))
    Problem.objects.create(feedback=later, description="期后发现")
    readings = open_problems_readings(*Q1)
    assert readings[branch.pk].value == 2
    assert readings[clean.pk].value == 0  # supervised, nothing open: a real 0
    assert never.pk not in readings  # not supervised by the end


# ---- the person indicator ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "missed"),
    [
        ({m: (1, 0) for m in range(1, 7)}, True),  # January to June, every meeting missed
        ({m: (1, 0) for m in range(1, 6)}, False),  # five months
        ({**{m: (1, 0) for m in range(1, 7)}, 3: (2, 1)}, False),  # on leave or present once in March
        ({**{m: (1, 0) for m in range(1, 8) if m != 4}}, False),  # April without a meeting breaks the run
        ({m: (1, 0) for m in range(7, 13)}, True),
    ],
)
def test_missed_run_is_six_months_in_a_row(months: dict[int, tuple[int, int]], missed: bool) -> None:
    assert missed_run({date(2026, m, 1): v for m, v in months.items()}, 6) is missed


def test_attendance_values_for_many_people_in_one_query(
    college: Organization, django_assert_max_num_queries
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    keen, absent, away = f.member(branch, "积极"), f.member(branch, "缺席"), f.member(branch, "无会")
    for month in range(1, 7):
        meeting = _meeting(branch, "theme_day", date(2026, month, 10))
        _attend(meeting, keen, Attendance.PRESENT if month > 1 else Attendance.LEAVE)
        _attend(meeting, absent, Attendance.ABSENT)
    with django_assert_max_num_queries(1):
        values = attendance_values([keen.pk, absent.pk, away.pk], 2026)
    assert values[keen.pk][1:] == ("出席 5/6 次", True)
    assert values[absent.pk][1:] == ("出席 0/6 次", False)
    assert away.pk not in values  # expected at nothing: no judgement
    assert attendance_values([keen.pk], 2025) == {}


# ---- bounded queries -------------------------------------------------------------------------------


def _branches(college: Organization, n: int) -> None:
    for i in range(n):
        branch = f.org(college, OrgKind.BRANCH, f"支部{i}")
        secretary = _secretary(branch)
        meeting = _meeting(branch, "lecture", date(2026, 3, 5), speaker=secretary)
        _attend(meeting, secretary, Attendance.PRESENT)
        Minutes.objects.create(meeting=meeting, content="纪要")
        Problem.objects.create(feedback=_feedback(meeting, "90", date(2026, 3, 6)), description="问题")


@pytest.mark.parametrize(
    "code",
    [
        "orglife.attendance_rate",
        "orglife.meetings_held",
        "orglife.minutes_on_time",
        "orglife.secretary_lecture",
        "orglife.supervision_score",
        "orglife.open_problems",
    ],
)
def test_readings_cost_the_same_queries_for_2_and_20_branches(
    college: Organization, code: str, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    indicator = hooks.indicators.get(code)
    _branches(college, 2)
    with django_assert_max_num_queries(4) as two:
        assert len(indicator.readings(*Q1)) == 2
    _branches(college, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(indicator.readings(*Q1)) == 20
