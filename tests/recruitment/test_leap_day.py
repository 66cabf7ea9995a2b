"""29 February across every year-based rule of 发展党员 (age 18, a year as activist, a year of probation):
one convention (policy ``leap_day_anniversary``, default 1 March), and the message names the same day the
verdict uses — never "须年满 18 岁 (2026-02-28 满 18 岁)" on 2026-02-28."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dangjian.accounts.scope import Scope
from dangjian.policy import get_policy
from dangjian.recruitment import rules, selectors, services
from dangjian.recruitment.models import Case

D = date


def _policy(convention: str):
    return dataclasses.replace(get_policy(), leap_day_anniversary=convention)


# convention, the day asked about, ok, the anniversary the rule names
AGE = [
    ("mar1", D(2026, 2, 27), False, D(2026, 3, 1)),
    ("mar1", D(2026, 2, 28), False, D(2026, 3, 1)),
    ("mar1", D(2026, 3, 1), True, D(2026, 3, 1)),
    ("feb28", D(2026, 2, 27), False, D(2026, 2, 28)),
    ("feb28", D(2026, 2, 28), True, D(2026, 2, 28)),
    ("feb28", D(2026, 3, 1), True, D(2026, 2, 28)),
]


@pytest.mark.parametrize(("convention", "applied", "ok", "eighteen"), AGE)
def test_a_leap_day_birthday_and_the_age_rule_agree_with_their_message(
    convention, applied, ok, eighteen
) -> None:
    check = rules.application_age(D(2008, 2, 29), applied, _policy(convention))
    assert check.ok is ok
    if not ok:
        assert eighteen.isoformat() in check.message
        assert eighteen > applied  # the day named is still to come: the refusal cannot contradict itself


ACTIVIST = [
    ("mar1", D(2025, 2, 28), False, D(2025, 3, 1)),
    ("mar1", D(2025, 3, 1), True, D(2025, 3, 1)),
    ("feb28", D(2025, 2, 27), False, D(2025, 2, 28)),
    ("feb28", D(2025, 2, 28), True, D(2025, 2, 28)),
]


@pytest.mark.parametrize(("convention", "candidate_on", "ok", "due"), ACTIVIST)
def test_a_year_as_activist_from_29_february(convention, candidate_on, ok, due) -> None:
    check = rules.activist_duration(D(2024, 2, 29), candidate_on, _policy(convention))
    assert (check.ok, check.due) == (ok, due)
    if not ok:
        assert due.isoformat() in check.message


@pytest.mark.parametrize(
    ("convention", "extension", "end"),
    [
        ("mar1", 0, D(2025, 3, 1)),
        ("feb28", 0, D(2025, 2, 28)),
        ("mar1", 6, D(2025, 9, 1)),
        ("feb28", 6, D(2025, 8, 28)),
    ],
)
def test_a_year_of_probation_from_29_february(convention, extension, end) -> None:
    assert rules.probation_end(D(2024, 2, 29), extension, _policy(convention)) == end


@pytest.mark.parametrize("convention", ["mar1", "feb28"])
def test_the_case_page_and_the_rule_give_the_same_earliest_day(world, settings, convention) -> None:
    """The board's "earliest" date for 确定发展对象 is the activist rule's own due date."""
    from tests import factories as f

    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    person = f.person("闰日", organization=world.cs_branch2, birth=D(2000, 1, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=person, branch=world.cs_branch2, applied_on=D(2024, 1, 10)
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="talk", done_on=D(2024, 1, 20), today=D(2024, 3, 1)
    )
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="activist",
        done_on=D(2024, 2, 29),
        today=D(2024, 3, 1),
    )
    for code, on in (("activist_filed", D(2024, 3, 1)), ("contacts", D(2024, 3, 1))):
        services.step_record(
            actor=None,
            scope=Scope.system(),
            case=case,
            code=code,
            done_on=on,
            data={"contacts": [1]},
            today=on,
        )
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="evaluation",
        done_on=D(2024, 8, 1),
        today=D(2024, 8, 1),
    )
    info = selectors.progress(Case.objects.get(pk=case.pk), D(2024, 9, 1))
    assert info.next_step is not None and info.next_step.code == "candidate"
    assert info.due == rules.activist_duration(D(2024, 2, 29), D(2024, 2, 29)).due
    assert info.due == (D(2025, 3, 1) if convention == "mar1" else D(2025, 2, 28))
