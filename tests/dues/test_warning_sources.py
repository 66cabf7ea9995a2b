"""党费连续未交 as a warning source: the boundary table of the run (3 → warning, 6 → serious), the running
month never judged, one finding per member for the branch where the membership is now; a bounded
number of queries whatever the cases; stable keys. And the last payment for 失联."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership, Person
from dangjian.dues import services
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import Bill, Entry, EntryKind
from dangjian.dues.warning_sources import CODE, last_paid, unpaid_count, unpaid_findings
from tests import factories as f

TODAY = date(2026, 11, 15)  # tests/dues/conftest.py's frozen day
MONTHS = [date(2026, m, 1) for m in range(1, 12)]  # bills 2026-01 … 2026-11


def _bill(people: list[Person]) -> None:
    for p in people:
        services.assessment_set(
            actor=None,
            scope=Scope.system(),
            person=p,
            from_month=MONTHS[0],
            category="employee",
            base=Decimal("5100"),
        )
    for month in MONTHS:
        bills_generate(month)


def _paid_through(person: Person, month: date | None) -> None:
    if month is not None:
        Bill.objects.filter(person=person, month__lte=month).update(paid_amount=F("amount"))


def _findings() -> dict[int, object]:
    return {x.person_id: x for x in unpaid_findings(TODAY)}


@pytest.mark.parametrize(
    ("paid_through", "level", "months"),
    [
        (date(2026, 10, 1), None, 0),  # November is still running: never judged
        (date(2026, 8, 1), None, 2),
        (date(2026, 7, 1), "warning", 3),  # dues_unpaid_warning_months
        (date(2026, 5, 1), "warning", 5),
        (date(2026, 4, 1), "serious", 6),  # dues_lapse_months: 党章 第九条
        (None, "serious", 10),
    ],
)
def test_a_run_of_unpaid_months_warns_at_three_and_is_serious_at_six(
    world, today, paid_through, level, months
) -> None:
    _bill([world.member])
    _paid_through(world.member, paid_through)
    found = _findings().get(world.member.pk)
    if level is None:
        assert found is None
        return
    assert found is not None
    assert (found.level, found.detail["months"]) == (level, months)
    assert found.organization_id == world.cs_branch.pk
    assert found.key == f"person:{world.member.pk}"
    assert f"已连续 {months} 个月未交纳党费" in found.summary and "李晓红" in found.summary
    assert ("党章 第九条" in found.rule) == (level == "serious")
    assert found.url == f"/dues/person/{world.member.pk}/"


def test_a_paid_month_breaks_the_run_and_an_exempt_month_counts_as_paid(world, today) -> None:
    _bill([world.member])
    # Paid in August only: the run is September and October.
    Bill.objects.filter(person=world.member, month=date(2026, 8, 1)).update(paid_amount=F("amount"))
    assert world.member.pk not in _findings()
    # Exempt (billed 0) in July, nothing paid after: the run is August … October.
    Bill.objects.filter(person=world.member).update(paid_amount=0)
    Bill.objects.filter(person=world.member, month=date(2026, 7, 1)).update(amount=0)
    assert _findings()[world.member.pk].detail["months"] == 3


def test_the_warning_goes_to_the_branch_of_the_membership_now_and_not_off_the_roll(world, today) -> None:
    _bill([world.member, world.fl_member])
    Membership.objects.filter(person=world.member).update(organization=world.cs_branch2)
    Membership.objects.filter(person=world.fl_member).update(standing="transferred_out")
    found = _findings()
    assert found[world.member.pk].organization_id == world.cs_branch2.pk
    assert world.fl_member.pk not in found


def test_the_count_is_the_members_in_the_scope(world, today, college_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope

    _bill([world.member, world.fl_member])
    assert unpaid_count(Scope.system(), TODAY) == 2
    assert unpaid_count(resolve_scope(college_organizer), TODAY) == 1


@pytest.mark.parametrize("cases", [3, 30])
def test_findings_take_few_queries(world, today, cases, django_assert_max_num_queries) -> None:
    people = [f.member(world.cs_branch2, f"成员{i}") for i in range(cases)]
    _bill(people)
    with django_assert_max_num_queries(2):
        found = list(unpaid_findings(TODAY))
    assert len(found) == cases
    assert sorted(x.key for x in unpaid_findings(TODAY)) == sorted(x.key for x in found)


def test_the_source_is_registered_with_findings() -> None:
    source = hooks.warnings.get(CODE)
    assert source.findings is unpaid_findings and source.url_name == "dues:home"


def _entry(person: Person, org, *, paid_on: date | None, period: date, kind: str = "payment") -> Entry:
    return Entry.objects.create(
        person=person,
        organization=org,
        kind=kind,
        month=period,
        period=period,
        amount=Decimal("10"),
        method="cash",
        paid_on=paid_on,
        batch=f"b-{person.pk}-{period}-{paid_on}",
    )


def test_the_last_payment_is_the_latest_not_reversed(world) -> None:
    _entry(world.member, world.cs_branch, paid_on=date(2026, 3, 5), period=date(2026, 3, 1))
    late = _entry(world.member, world.cs_branch, paid_on=date(2026, 6, 9), period=date(2026, 6, 1))
    _entry(world.fl_member, world.fl_branch, paid_on=None, period=date(2026, 4, 1))  # before paid_on existed
    assert dict(last_paid()) == {world.member.pk: date(2026, 6, 9), world.fl_member.pk: date(2026, 4, 1)}
    reversal = _entry(world.member, world.cs_branch, paid_on=date(2026, 6, 10), period=date(2026, 6, 1))
    Entry.objects.filter(pk=reversal.pk).update(kind=EntryKind.REVERSAL, reverses=late)
    assert dict(last_paid())[world.member.pk] == date(2026, 3, 5)
    assert hooks.last_contacts.get("dues.paid").last_dates is last_paid
