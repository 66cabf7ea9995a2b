"""People who left the school and are not Party members are anonymised N years later: personal data
gone (history too), statistics kept, one audit event naming the fields only; members never."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings

from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership, Person, PoliticalStatus, Standing
from dangjian.core.services import departures
from dangjian.core.tasks import anonymise_departed_people
from dangjian.kit.errors import RuleViolation
from tests import factories as f

LEFT = date(2020, 6, 30)


def _night_of(day: date) -> int:
    with time_machine.travel(datetime.combine(day, time(4, 15), ZoneInfo("Asia/Shanghai")), tick=False):
        return anonymise_departed_people()


def _leaver(world, name: str = "王小明", **extra) -> Person:
    person = f.person(
        name, organization=world.cs_branch, phone="13800138000", home_address="某市某路1号", **extra
    )
    return departures.person_leave(actor=None, person=person, on=LEFT)


def test_five_years_by_default() -> None:
    assert django_settings.PERSON_ANONYMISE_AFTER_YEARS == 5


def test_leaving_takes_the_person_off_the_roll_once_and_is_audited(world) -> None:
    person = _leaver(world)
    assert (person.is_active, person.left_on) == (False, LEFT)
    assert AuditEvent.objects.filter(action="person.leave", target_id=str(person.pk)).exists()
    with pytest.raises(RuleViolation):
        departures.person_leave(actor=None, person=person, on=LEFT)


def test_a_non_member_is_anonymised_on_the_fifth_anniversary_of_leaving_not_before(world) -> None:
    person = _leaver(world, class_name="计科2001班", title="学生干部")
    account = f.user_for(person, "wxm")
    birth_year = person.birth_date.year
    assert _night_of(date(2025, 6, 29)) == 0
    assert _night_of(date(2025, 6, 30)) == 1

    person.refresh_from_db()
    assert person.name == f"已匿名{person.pk}" and person.name_pinyin == person.name_initials == ""
    assert person.id_number_encrypted == person.id_number_masked == "" and person.id_number_index is None
    assert (person.phone, person.home_address, person.class_name, person.staff_number) == ("", "", "", None)
    assert person.birth_date == date(birth_year, 1, 1) and person.anonymised_on == date(2025, 6, 30)
    assert (person.gender, person.person_type, person.title, person.organization) == (
        "male",
        "staff",
        "学生干部",
        world.cs_branch,
    )  # kept for statistics
    for row in Person.history.filter(id=person.pk):
        assert row.name == person.name and row.id_number_encrypted == "" and row.phone == ""
    account.refresh_from_db()
    assert (
        not account.is_active
        and not account.has_usable_password()
        and account.username.startswith("anonymised")
    )

    event = AuditEvent.objects.get(action="person.anonymise")
    assert "name" in event.changes["fields"] and "id_number_encrypted" in event.changes["fields"]
    assert "王小明" not in str(event.changes) and "13800138000" not in str(event.changes)
    assert event.target_repr == person.name


def test_running_again_changes_nothing(world) -> None:
    _leaver(world)
    assert _night_of(date(2026, 1, 1)) == 1
    assert _night_of(date(2026, 1, 2)) == 0
    assert AuditEvent.objects.filter(action="person.anonymise").count() == 1


def _left_as_member(person: Person) -> Person:
    """A member marked as gone without the service (records from before it refused members)."""
    Person.objects.filter(pk=person.pk).update(is_active=False, left_on=LEFT)
    return person


def test_a_member_leaves_through_the_transfer_first(world) -> None:
    with pytest.raises(RuleViolation) as refused:
        departures.person_leave(actor=None, person=f.member(world.cs_branch, "正式党员"), on=LEFT)
    assert refused.value.code == "member_must_transfer"


def test_members_are_never_anonymised(world) -> None:
    full = _left_as_member(f.member(world.cs_branch, "正式党员"))
    probationary = _left_as_member(f.member(world.cs_branch, "预备党员", full=False))
    open_membership = _left_as_member(f.member(world.cs_branch, "流动党员"))
    Person.objects.filter(pk=open_membership.pk).update(
        political_status=PoliticalStatus.MASSES
    )  # inconsistent
    Membership.objects.filter(person=open_membership).update(standing=Standing.FLOWING)
    expelled = f.member(world.cs_branch, "已除名")
    Person.objects.filter(pk=expelled.pk).update(political_status=PoliticalStatus.MASSES)
    Membership.objects.filter(person=expelled).update(standing=Standing.EXPELLED)
    expelled = departures.person_leave(actor=None, person=expelled, on=LEFT)
    activist = _leaver(world, "积极分子")
    Person.objects.filter(pk=activist.pk).update(political_status=PoliticalStatus.ACTIVIST)

    assert _night_of(date(2030, 1, 1)) == 2  # the activist and the expelled: no longer members
    anonymised = set(Person.objects.filter(anonymised_on__isnull=False).values_list("pk", flat=True))
    assert anonymised == {activist.pk, expelled.pk}
    assert {full.pk, probationary.pk, open_membership.pk}.isdisjoint(anonymised)


def test_people_still_at_school_are_never_anonymised(world) -> None:
    f.person("在校人员", organization=world.cs_branch)
    assert _night_of(date(2040, 1, 1)) == 0


def test_the_years_are_a_setting(world, settings) -> None:
    settings.PERSON_ANONYMISE_AFTER_YEARS = 2
    _leaver(world)
    assert _night_of(date(2022, 6, 30)) == 1
