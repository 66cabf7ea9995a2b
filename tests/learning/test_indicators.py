"""党员学习's indicators (issue 16): members on pace toward 32 / 56 hours, 党校 results; the person
indicators "28.5/32 学时" and the latest 党校 result."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from dangjian import hooks
from dangjian.core import services
from dangjian.core.models import Organization, OrgKind, Person, PositionTitle
from dangjian.learning.indicators import (
    hours_values,
    pace_thresholds,
    study_pace_readings,
    training_pass_readings,
    training_values,
)
from dangjian.learning.ledger import totals
from dangjian.learning.models import Enrolment, StudyHours, TrainingClass
from tests import factories as f

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
_ref = itertools.count(1)


@pytest.fixture
def college(db) -> Organization:
    school = f.org(None, OrgKind.COMMITTEE, "学校党委")
    return f.org(school, OrgKind.COMMITTEE, "学院党委")


def _hours(person: Person, on: date, hours: str) -> None:
    StudyHours.objects.create(
        person=person, on=on, hours=Decimal(hours), source_kind="topic", source_ref=f"t{next(_ref)}"
    )
    totals.refresh([(person.pk, on.year)])


def _committee(person: Person, branch: Organization, started: date = date(2025, 1, 1)) -> None:
    services.position_assign(
        actor=None, person=person, organization=branch, title=PositionTitle.ORGANIZATION, started_on=started
    )


def test_pace_thresholds_are_the_straight_line_to_32_and_56() -> None:
    assert pace_thresholds(date(2026, 3, 31)) == (Decimal("7.9"), Decimal("13.8"))  # 90 days of 365
    assert pace_thresholds(date(2026, 12, 31)) == (Decimal("32"), Decimal("56"))


@pytest.mark.parametrize(
    ("hours", "cadre", "on_pace"),
    [
        ("7.9", False, True),
        ("7.8", False, False),
        ("13.8", True, True),
        ("13.7", True, False),
        ("0", False, False),
    ],
)
def test_study_pace_at_the_end_of_march(
    college: Organization, hours: str, cadre: bool, on_pace: bool
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    person = f.member(branch, "党员")
    if cadre:
        _committee(person, branch)
    _hours(person, date(2026, 2, 1), hours)
    _hours(person, date(2026, 4, 1), "20")  # after the end: not counted
    r = study_pace_readings(*Q1)[branch.pk]
    assert (r.numerator, r.denominator) == (1 if on_pace else 0, 1)


@pytest.mark.parametrize(("hours", "met"), [("32", True), ("31.9", False)])
def test_study_pace_of_the_year_is_the_target(college: Organization, hours: str, met: bool) -> None:
    branch, empty = f.org(college, OrgKind.BRANCH, "支部"), f.org(college, OrgKind.BRANCH, "空支部")
    person = f.member(branch, "党员")
    _hours(person, date(2026, 6, 1), hours)
    _hours(person, date(2025, 12, 31), "10")  # last year
    f.member(branch, "没学")
    readings = study_pace_readings(*YEAR)
    assert (readings[branch.pk].numerator, readings[branch.pk].denominator) == (1 if met else 0, 2)
    assert empty.pk not in readings  # no member: nothing to measure


def _class(college: Organization, ends: date, kind: str = "activist") -> TrainingClass:
    return TrainingClass.objects.create(
        name="积极分子培训班",
        kind=kind,
        organizer=college,
        starts_on=ends.replace(day=1),
        ends_on=ends,
        days=Decimal("3"),
        hours=Decimal("24"),
    )


def _enrol(klass: TrainingClass, person: Person, result: str = "", completed: bool = False) -> None:
    Enrolment.objects.create(
        training_class=klass,
        person=person,
        school_path=klass.organizer.path[:4],
        result=result,
        completed=completed,
    )


def test_training_pass_counts_results_of_classes_ended_this_year_by_the_trainees_branch(
    college: Organization,
) -> None:
    branch, other = f.org(college, OrgKind.BRANCH, "甲"), f.org(college, OrgKind.BRANCH, "乙")
    march, april, last_year = _class(college, date(2026, 3, 31)), _class(college, date(2026, 4, 1)), None
    last_year = _class(college, date(2025, 12, 20))
    activist = f.person("积极分子", organization=branch)
    _enrol(march, activist, "pass", True)
    _enrol(march, f.member(branch, "党员"), "fail")
    _enrol(march, f.person("未录成绩", organization=branch))  # no result
    _enrol(april, f.person("四月", organization=branch), "fail")
    _enrol(last_year, f.person("去年", organization=other), "pass")
    readings = training_pass_readings(*Q1)
    assert (readings[branch.pk].numerator, readings[branch.pk].denominator) == (1, 2)
    assert other.pk not in readings


def test_person_values_for_many_people_in_bounded_queries(
    college: Organization, django_assert_max_num_queries
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    member, cadre, idle = f.member(branch, "党员"), f.member(branch, "支委"), f.member(branch, "没学")
    _committee(cadre, branch)
    _hours(member, date(2025, 5, 1), "28.5")
    _hours(cadre, date(2025, 5, 1), "40")
    old, latest = _class(college, date(2024, 6, 30)), _class(college, date(2025, 6, 30))
    _enrol(old, member, "fail")
    _enrol(latest, member, "pass", True)
    _enrol(_class(college, date(2026, 6, 30)), cadre, "")  # began after 2025: not shown for 2025
    with django_assert_max_num_queries(2):
        hours = hours_values([member.pk, cadre.pk, idle.pk], 2025)
    assert hours[member.pk][1:] == ("28.5/32 学时", False)
    assert hours[cadre.pk][1:] == ("40/56 学时", False)
    assert hours[idle.pk][1:] == ("0/32 学时", False)
    with django_assert_max_num_queries(1):
        training = training_values([member.pk, cadre.pk, idle.pk], 2025)
    assert training == {member.pk: ("pass", "2025-06 结业 合格", None)}
    assert training_values([cadre.pk], 2026)[cadre.pk][1] == "2026-06 未结业 未录入成绩"


def _branches(college: Organization, n: int) -> None:
    klass = _class(college, date(2026, 3, 20))
    for i in range(n):
        branch = f.org(college, OrgKind.BRANCH, f"支部{i}")
        person = f.member(branch, f"党员{i}")
        _committee(person, branch)
        _hours(person, date(2026, 1, 5), "8")
        _enrol(klass, f.person(f"积极分子{i}", organization=branch), "pass")


@pytest.mark.parametrize("code", ["learning.study_pace", "learning.training_pass"])
@pytest.mark.parametrize("period", [Q1, YEAR])
def test_readings_cost_the_same_queries_for_2_and_20_branches(
    college: Organization,
    code: str,
    period: tuple[date, date],
    django_assert_max_num_queries,
    django_assert_num_queries,
) -> None:
    indicator = hooks.indicators.get(code)
    _branches(college, 2)
    with django_assert_max_num_queries(2) as two:
        assert len(indicator.readings(*period)) == 2
    _branches(college, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(indicator.readings(*period)) == 20
