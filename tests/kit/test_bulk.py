"""kit.bulk: COPY inserts on PostgreSQL (bulk_create elsewhere) give what bulk_create would have."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.core.models import Membership, MembershipType, Organization, OrgKind, Person
from dangjian.dues.models import Assessment, Entry, EntryKind, PayMethod
from dangjian.kit.bulk import copy_insert, copy_rows
from dangjian.orglife.models import Attendee
from tests import factories as f


@pytest.fixture
def branch(db) -> Organization:
    school = f.org(None, OrgKind.COMMITTEE, "中共测试大学委员会")
    return f.org(school, OrgKind.BRANCH, "测试党支部")


def _people(branch: Organization, n: int) -> list[Person]:
    return [
        Person(
            name=f"测试{i}",
            gender="male",
            birth_date=date(1990, 1, 1 + i),
            person_type="staff",
            staff_number=f"B{i:04d}",
            organization=branch,
        )
        for i in range(n)
    ]


def test_copy_insert_gives_ids_history_rows_and_the_ids_of_objects_saved_before(branch) -> None:
    people = _people(branch, 3)
    copy_insert(Person, people, history=True)
    assert all(p.pk for p in people) and len({p.pk for p in people}) == 3
    memberships = [
        Membership(
            person=p, organization=branch, membership_type=MembershipType.FULL, joined_on=date(2015, 7, 1)
        )
        for p in people
    ]
    copy_insert(Membership, memberships, history=True)
    saved = Membership.objects.filter(organization=branch).order_by("person_id")
    assert [m.person_id for m in saved] == sorted(p.pk for p in people)
    assert all(m.created_at is not None and m.standing == "normal" for m in saved)
    history = Person.history.filter(id__in=[p.pk for p in people])
    assert history.count() == 3
    assert {h.history_type for h in history} == {"+"}
    assert {h.staff_number for h in history} == {"B0000", "B0001", "B0002"}
    assert Membership.history.filter(person_id__in=[p.pk for p in people]).count() == 3
    person = Person.objects.create(
        name="之后", gender="female", birth_date=date(1991, 2, 3), person_type="staff", staff_number="Z1"
    )
    assert person.pk > max(p.pk for p in people)  # the sequence moved on


def test_copy_insert_resolves_a_relation_to_an_object_saved_in_the_same_run(branch) -> None:
    people = _people(branch, 2)
    memberships = [
        Membership(
            person=p, organization=branch, membership_type=MembershipType.FULL, joined_on=date(2015, 7, 1)
        )
        for p in people
    ]  # person_id is None until the people are saved
    copy_insert(Person, people)
    copy_insert(Membership, memberships)
    assert sorted(Membership.objects.values_list("person_id", flat=True)) == sorted(p.pk for p in people)


def test_copy_insert_prepares_json_and_decimal_values(branch) -> None:
    people = _people(branch, 1)
    copy_insert(Person, people)
    copy_insert(
        Assessment,
        [
            Assessment(
                person=people[0],
                from_month=date(2026, 1, 1),
                category="employee",
                base_method="items",
                base=Decimal("5000.00"),
                pay_items={"post_wage": "5000.00"},
                rate=Decimal("0.0100"),
                amount=Decimal("50.00"),
                rule_code="x",
            )
        ],
    )
    saved = Assessment.objects.get()
    assert saved.pay_items == {"post_wage": "5000.00"}
    assert saved.amount == Decimal("50.00")


def test_copy_rows_fills_the_other_columns_with_their_defaults(branch) -> None:
    people = _people(branch, 2)
    copy_insert(Person, people)
    count = copy_rows(
        Entry,
        ["person_id", "organization_id", "kind", "month", "period", "amount", "method", "batch"],
        [
            (
                p.pk,
                branch.pk,
                EntryKind.PAYMENT,
                date(2026, 1, 1),
                date(2026, 1, 1),
                Decimal("1.50"),
                PayMethod.CASH,
                "b",
            )
            for p in people
        ],
    )
    assert count == 2
    rows = list(Entry.objects.filter(organization=branch))
    assert {(e.reference, e.reason, e.idempotency_key, e.recorded_by_id) for e in rows} == {
        ("", "", None, None)
    }
    assert all(e.created_at is not None and e.amount == Decimal("1.50") for e in rows)


def test_copy_rows_writes_json_defaults(branch) -> None:
    from dangjian.recruitment.models import Case, StepDefinition, StepRecord

    people = _people(branch, 1)
    copy_insert(Person, people)
    case = Case(person=people[0], branch=branch, applied_on=date(2026, 1, 5))
    copy_insert(Case, [case])
    step = StepDefinition.objects.order_by("number").first()
    assert step is not None
    copy_rows(StepRecord, ["case_id", "step_id", "done_on"], [(case.pk, step.pk, date(2026, 1, 5))])
    record = StepRecord.objects.get(case=case)
    assert (record.data, record.warnings, record.notes, record.revisions) == ({}, [], [], [])
    assert Attendee.objects.count() == 0  # nothing else written
