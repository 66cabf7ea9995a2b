"""发展党员's indicators (issue 16): open cases not overdue at the end, and the people who want to join
per member of the branch."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.recruitment import services
from dangjian.recruitment.indicators import applicant_ratio_readings, on_time_readings
from dangjian.recruitment.models import Case
from tests import factories as f
from tests.recruitment.steps import advance

APRIL = (date(2026, 4, 1), date(2026, 4, 30))
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def college(db) -> Organization:
    f.ensure_the_25_steps()
    school = f.org(None, OrgKind.COMMITTEE, "学校党委")
    return f.org(school, OrgKind.COMMITTEE, "学院党委")


def _case(branch: Organization, name: str, applied_on: date, *, upto: str | None = None) -> Case:
    person = f.person(name, organization=branch, birth=date(2000, 1, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=person, branch=branch, applied_on=applied_on
    )
    if upto:
        advance(case, upto, today=TODAY)
    return case


@pytest.mark.parametrize(
    ("applied_on", "overdue"),
    [
        (date(2026, 3, 30), False),  # the talk is due on 2026-04-30, the end itself
        (date(2026, 3, 29), True),  # due on 2026-04-29: overdue at the end
        (date(2026, 4, 15), False),
    ],
)
def test_a_case_waiting_for_its_talk_is_overdue_after_one_month(
    college: Organization, applied_on: date, overdue: bool
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    _case(branch, "申请人", applied_on)
    r = on_time_readings(*APRIL)[branch.pk]
    assert (r.numerator, r.denominator) == (0 if overdue else 1, 1)


def test_only_open_cases_applied_by_the_end_count(college: Organization) -> None:
    branch, quiet = f.org(college, OrgKind.BRANCH, "甲"), f.org(college, OrgKind.BRANCH, "乙")
    _case(branch, "按期考察", date(2025, 6, 1), upto="evaluation")  # the next step has no deadline
    _case(branch, "迟谈", date(2026, 1, 10))
    _case(branch, "期后申请", date(2026, 5, 10))
    stopped = _case(quiet, "终止", date(2026, 1, 10))
    Case.objects.filter(pk=stopped.pk).update(status="stopped", closed_on=date(2026, 2, 1))
    readings = on_time_readings(*APRIL)
    assert (readings[branch.pk].numerator, readings[branch.pk].denominator) == (1, 2)
    assert quiet.pk not in readings


def test_applicant_ratio_is_people_wanting_to_join_per_member(college: Organization) -> None:
    branch, no_members, none_wanting = (f.org(college, OrgKind.BRANCH, n) for n in ("甲", "乙", "丙"))
    for name in ("甲一", "甲二"):
        f.member(branch, name)
    f.member(none_wanting, "丙一")
    for status in ("applicant", "activist", "candidate"):
        _wanting(f.person(status, organization=branch), status)
    f.person("群众", organization=branch)  # not applying
    gone = _wanting(f.person("离校", organization=branch), "activist")
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    _wanting(f.person("无党员支部的申请人", organization=no_members), "applicant")
    readings = applicant_ratio_readings(*APRIL)
    assert (readings[branch.pk].numerator, readings[branch.pk].denominator) == (3, 2)
    assert readings[branch.pk].value == 1.5  # may exceed 1
    assert readings[none_wanting.pk].value == 0
    assert no_members.pk not in readings


def _wanting(person: Person, status: str) -> Person:
    Person.objects.filter(pk=person.pk).update(political_status=status)
    return person


def _branches(college: Organization, n: int) -> None:
    for i in range(n):
        branch = f.org(college, OrgKind.BRANCH, f"支部{i}")
        f.member(branch, f"党员{i}")
        _case(branch, f"申请人{i}", date(2026, 1, 5))


@pytest.mark.parametrize("code", ["recruitment.on_time", "recruitment.applicant_ratio"])
def test_readings_cost_the_same_queries_for_2_and_20_branches(
    college: Organization, code: str, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    indicator = hooks.indicators.get(code)
    _branches(college, 2)
    with django_assert_max_num_queries(4) as two:
        assert len(indicator.readings(*APRIL)) == 2
    _branches(college, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(indicator.readings(*APRIL)) == 20
