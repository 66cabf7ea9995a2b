"""How one organization's 换届 and one person's year are classified (pure functions of the two states)."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.policy import get_policy
from dangjian.reporting.engine import occupation, org_fact, person_fact

ON = date(2026, 12, 31)


def branch(started: date | None) -> dict[str, object]:
    return {"kind": "branch", "category": "student", "term_started_on": started, "term_years": 3}


@pytest.mark.parametrize(
    "before,after,due,on_time,overdue",
    [
        (date(2023, 9, 1), date(2026, 9, 1), True, True, False),  # renewed on the day the term ended
        (date(2023, 9, 1), date(2026, 9, 2), True, False, False),  # renewed a day late
        (date(2023, 9, 1), date(2023, 9, 1), True, False, True),  # ended in the year, not renewed
        (date(2024, 1, 1), date(2024, 1, 1), False, False, False),  # ends in 2027
        (date(2023, 12, 31), date(2023, 12, 31), True, False, False),  # ends on the date: still in time
    ],
)
def test_term_due_on_time_and_overdue(before, after, due, on_time, overdue) -> None:
    fact = org_fact(branch(before), branch(after), ON, get_policy())
    assert (fact["term_due"], fact["term_on_time"], fact["term_overdue"]) == (due, on_time, overdue)


def test_an_unrenewed_term_that_ended_by_the_date_is_overdue() -> None:
    assert org_fact(branch(date(2023, 6, 1)), branch(date(2023, 6, 1)), ON, get_policy())["term_overdue"]


@pytest.mark.parametrize(
    "kind,cadre,expected",
    [
        ("student", False, "student"),
        ("retired", False, "retired"),
        ("staff", False, "professional"),
        ("staff", True, "manager"),
        ("other", False, "other"),
    ],
)
def test_occupation_of_a_universitys_people(kind: str, cadre: bool, expected: str) -> None:
    assert occupation({"person_type": kind}, cadre) == expected


def member(org: int, **values: object) -> dict[str, object]:
    return {
        "organization_id": org,
        "membership_type": "full",
        "joined_on": date(2010, 1, 1),
        "full_on": date(2011, 1, 1),
        "standing": "normal",
        "probation_extended_months": 0,
        **values,
    }


PERSON = {
    "is_active": True,
    "political_status": "full",
    "birth_date": date(1990, 1, 1),
    "person_type": "staff",
}


@pytest.mark.parametrize(
    "m_open,m_close,in_kind,out_kind",
    [
        (member(1), member(1), "", ""),
        (member(1), member(2), "internal_in", "internal_out"),
        (
            None,
            member(2, joined_on=date(2026, 5, 1), membership_type="probationary", full_on=None),
            "recruited",
            "",
        ),
        (member(1, standing="suspended"), member(1), "restored", ""),
        (None, member(1), "transfer_in", ""),
        (member(1), member(1, standing="deceased"), "", "deceased"),
        (member(1), member(1, standing="transferred_out"), "", "transfer_out"),
        (member(1), None, "", "other"),
    ],
)
def test_why_a_person_joined_or_left_a_roll(m_open, m_close, in_kind, out_kind) -> None:
    fact = person_fact(
        person=PERSON, m_open=m_open, m_close=m_close, on=ON, is_cadre=False, policy=get_policy()
    )
    assert fact is not None
    assert (fact["in_kind"], fact["out_kind"]) == (in_kind, out_kind)


def test_a_member_counted_nowhere_makes_no_row() -> None:
    masses = {**PERSON, "political_status": "masses"}
    assert (
        person_fact(person=masses, m_open=None, m_close=None, on=ON, is_cadre=False, policy=get_policy())
        is None
    )
