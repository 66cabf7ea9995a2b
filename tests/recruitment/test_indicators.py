"""发展党员's indicators (issue 16): open cases not overdue at the end, and the people who want to join
per member of the branch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.recruitment import services
from dangjian.recruitment.indicators import (
    activists_readings,
    applicant_ratio_readings,
    applicants_readings,
    candidates_readings,
    on_time_readings,
    probationary_readings,
)
from dangjian.recruitment.models import Case, StepRecord
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


@pytest.mark.parametrize(
    "code",
    [
        "recruitment.on_time",
        "recruitment.applicant_ratio",
        "recruitment.applicants",
        "recruitment.probationary",
    ],
)
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


# ---- the funnel: people at each stage at the period's end ----------------------------------------------

FUNNEL = {
    "applicant": applicants_readings,
    "activist": activists_readings,
    "candidate": candidates_readings,
    "probationary": probationary_readings,
}


def _funnel(branch: Organization, end: date) -> dict[str, float | None]:
    return {stage: read(date(end.year, 1, 1), end)[branch.pk].value for stage, read in FUNNEL.items()}


@pytest.mark.parametrize(
    ("applied_on", "counted"),
    [(date(2026, 4, 30), True), (date(2026, 5, 1), False)],  # applied on the end itself counts
)
def test_an_applicant_counts_from_the_day_of_the_application(
    college: Organization, applied_on: date, counted: bool
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    _case(branch, "申请人", applied_on)
    assert _funnel(branch, APRIL[1])["applicant"] == (1 if counted else 0)


def test_the_stage_at_the_end_is_the_last_stage_entered_by_then(college: Organization) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    case = _case(branch, "预备党员", date(2024, 6, 1))
    approved = advance(case, "approval", today=TODAY)
    became_activist = StepRecord.objects.get(case=case, step__code="activist").done_on
    assert _funnel(branch, became_activist)["activist"] == 1
    assert _funnel(branch, became_activist - timedelta(days=1))["applicant"] == 1
    assert _funnel(branch, approved) == {"applicant": 0, "activist": 0, "candidate": 0, "probationary": 1}
    before = _funnel(branch, approved - timedelta(days=1))
    assert before == {"applicant": 0, "activist": 0, "candidate": 1, "probationary": 0}


@pytest.mark.parametrize(("closed_on", "counted"), [(date(2026, 4, 30), False), (date(2026, 5, 1), True)])
def test_a_stopped_case_counts_until_the_day_it_was_stopped(
    college: Organization, closed_on: date, counted: bool
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    case = _case(branch, "终止", date(2026, 1, 10))
    Case.objects.filter(pk=case.pk).update(status="stopped", closed_on=closed_on)
    assert _funnel(branch, APRIL[1])["applicant"] == (1 if counted else 0)


def test_every_active_branch_gets_a_count_summed_for_the_college(college: Organization) -> None:
    busy, empty = f.org(college, OrgKind.BRANCH, "甲"), f.org(college, OrgKind.BRANCH, "乙")
    for i in range(3):
        _case(busy, f"申请人{i}", date(2026, 2, 1))
    readings = applicants_readings(*APRIL)
    assert (readings[busy.pk].value, readings[empty.pk].value) == (3, 0)
    assert college.pk not in readings  # the committees are rolled up by 评价与预警
    assert {hooks.indicators.get(c).rollup for c in ("recruitment.applicants", "recruitment.activists")} == {
        "sum"
    }
