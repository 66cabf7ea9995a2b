"""Dates of things that happened are not in the future; every year-based core rule (age, age bands,
党龄 of a secretary, term expiry) follows the one 29 February convention of core.dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from dangjian.core import services
from dangjian.core.models import MembershipType, OrgKind, Person, Position, PositionTitle, Standing
from dangjian.core.rules import OrgFacts, check_secretary, term_expires_on
from dangjian.core.stats import AGE_BANDS, birth_range
from dangjian.kit.dates import whole_years_between
from dangjian.kit.errors import RuleViolation
from dangjian.policy import get_policy
from tests import factories as f


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def _secretary(world: Any) -> Position:
    return Position.objects.get(organization=world.cs_branch, title=PositionTitle.SECRETARY)


FUTURE_CALLS: dict[str, tuple[str, Callable[[Any, date], Any]]] = {
    "org founded": (
        "established_on",
        lambda w, d: f.org(w.cs, OrgKind.BRANCH, "新支部", established_on=d),
    ),
    "org term started (edit)": (
        "term_started_on",
        lambda w, d: services.organization_update(actor=None, org=w.cs_branch, term_started_on=d),
    ),
    "org dissolved": (
        "on",
        lambda w, d: services.organization_dissolve(actor=None, org=w.cs_branch2, on=d, reason="合并"),
    ),
    "new term": (
        "started_on",
        lambda w, d: services.organization_start_new_term(
            actor=None,
            org=w.cs_branch,
            started_on=d,
            positions=[services.NewPosition(person=w.member, title=PositionTitle.SECRETARY)],
        ),
    ),
    "position start": (
        "started_on",
        lambda w, d: services.position_assign(
            actor=None, person=w.member, organization=w.cs_branch, title="organization", started_on=d
        ),
    ),
    "position end": (
        "ended_on",
        lambda w, d: services.position_end(actor=None, position=_secretary(w), ended_on=d),
    ),
    "standing since": (
        "since",
        lambda w, d: services.membership_change_standing(
            actor=None, membership=w.member.membership, standing=Standing.ABROAD, since=d, note="访学"
        ),
    ),
    "joined": (
        "joined_on",
        lambda w, d: services.membership_admit_existing(
            actor=None,
            person=f.person("新党员", organization=w.cs_branch),
            organization=w.cs_branch,
            membership_type=MembershipType.PROBATIONARY,
            joined_on=d,
        ),
    ),
    "made full": (
        "full_on",
        lambda w, d: services.membership_make_full(
            actor=None,
            membership=f.member(w.cs_branch, "预备丁", full=False, joined_on=date(2025, 6, 1)).membership,
            full_on=d,
        ),
    ),
    "moved": (
        "on",
        lambda w, d: services.membership_move(
            actor=None, membership=w.member.membership, to_branch=w.cs_branch2, on=d, reason="调动"
        ),
    ),
    "born": (
        "birth_date",
        lambda w, d: services.person_create(
            actor=None,
            name="未来人",
            gender="male",
            birth_date=d,
            person_type="staff",
            organization=w.cs_branch,
        ),
    ),
    "cadre post": (
        "started_on",
        lambda w, d: services.cadre_set(
            actor=None, person=w.member, post="院长", rank="division", unit="计算机学院", started_on=d
        ),
    ),
    "democratic party joined": (
        "joined_on",
        lambda w, d: services.democratic_party_set(actor=None, person=w.member, party="js", joined_on=d),
    ),
}


@pytest.mark.parametrize("case", list(FUTURE_CALLS))
def test_a_date_of_something_that_happened_cannot_be_tomorrow(world, case) -> None:
    field, call = FUTURE_CALLS[case]
    with pytest.raises(RuleViolation) as exc:
        call(world, tomorrow())
    assert exc.value.code == "date_in_future" and exc.value.field == field
    assert "不能晚于今天" in exc.value.message


def test_today_is_not_in_the_future(world) -> None:
    services.position_end(actor=None, position=_secretary(world), ended_on=timezone.localdate())
    assert _secretary(world).ended_on == timezone.localdate()


# ---------------------------------------------------------------- 29 February


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@pytest.mark.parametrize("convention", ["mar1", "feb28"])
def test_age_bands_agree_with_whole_years_around_29_february(settings, convention) -> None:
    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    births = _days(date(1992, 2, 26), date(1992, 3, 2)) + _days(date(1993, 2, 26), date(1993, 3, 2))
    counting_days = _days(date(2024, 2, 27), date(2024, 3, 2)) + _days(date(2025, 2, 27), date(2025, 3, 2))
    for on in counting_days:
        for birth in births:
            age = whole_years_between(birth, on)
            bands = []
            for label, low, high in AGE_BANDS:
                born_after, born_by = birth_range(low, high, on)
                if (born_after is None or birth > born_after) and (born_by is None or birth <= born_by):
                    bands.append(label)
            expected = [
                label
                for label, low, high in AGE_BANDS
                if (low is None or age >= low) and (high is None or age <= high)
            ]
            assert bands == expected, (convention, birth, on, age)


@pytest.mark.parametrize(("convention", "age"), [("mar1", 17), ("feb28", 18)])
def test_person_age_follows_the_leap_day_convention(settings, convention, age) -> None:
    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    person = Person(birth_date=date(2008, 2, 29))
    assert person.age_on(date(2026, 2, 28)) == age


@pytest.mark.parametrize(("convention", "warned"), [("mar1", True), ("feb28", False)])
def test_secretary_standing_of_one_year_from_29_february(settings, convention, warned) -> None:
    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    facts = OrgFacts(
        kind="branch",
        full_members=5,
        members=5,
        committee_size=0,
        term_started_on=date(2025, 1, 1),
        term_years=3,
        has_secretary=True,
        secretary_full_on=date(2024, 2, 29),
    )
    checks = check_secretary(facts, date(2025, 2, 28), get_policy())
    assert bool(checks) is warned


@pytest.mark.parametrize(
    ("convention", "expires"), [("mar1", date(2027, 3, 1)), ("feb28", date(2027, 2, 28))]
)
def test_term_from_29_february_expires_by_the_convention(settings, convention, expires) -> None:
    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    assert term_expires_on(date(2024, 2, 29), 3) == expires
