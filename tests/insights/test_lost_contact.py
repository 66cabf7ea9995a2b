"""失联 computed (DOMAIN §9): from the LATER of the last organizational life attended (orglife) and the
last dues paid (dues), read through ``hooks.last_contacts``: a warning at 4 months, serious (失联) at 6;
only members in normal standing of an active branch; a newcomer to the branch measured from arrival."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.core import services as core
from dangjian.core.models import Membership, Organization, Person
from dangjian.dues.models import Entry
from dangjian.insights.lost_contact import CODE, lost_contact_findings, whole_months_between
from dangjian.orglife.meetings import services as meetings
from dangjian.orglife.models import Attendance, Attendee, MeetingStatus
from tests import factories as f

TODAY = date(2026, 11, 20)
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _long_on_the_roll(world) -> None:
    """The world's memberships were recorded long ago (their history starts in 2015)."""
    Membership.history.update(history_date=datetime(2015, 6, 1, tzinfo=TZ))
    # Everyone has paid recently, so only the person a test looks at is found.
    for m in Membership.objects.all():
        _paid(m.person, date(2026, 11, 1))


def _paid(person: Person, day: date) -> None:
    Entry.objects.create(
        person=person,
        organization=person.membership.organization,
        kind="payment",
        month=day.replace(day=1),
        period=day.replace(day=1),
        amount=Decimal("10"),
        method="cash",
        paid_on=day,
        batch=f"b-{person.pk}-{day}",
    )


def _forget_payments(person: Person) -> None:
    Entry.objects.filter(person=person).delete()


def _attended(person: Person, day: date) -> None:
    meeting = meetings.meeting_create(
        actor=None,
        scope=Scope.system(),
        org=person.membership.organization,
        kind="assembly",
        topic="支部党员大会",
        day=day,
        start_time=time(14, 30),
    )
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["status"])
    Attendee.objects.filter(meeting=meeting, person=person).update(attendance=Attendance.PRESENT)


def _found() -> dict[int, object]:
    return {x.person_id: x for x in lost_contact_findings(TODAY)}


@pytest.mark.parametrize(
    ("last", "level", "months"),
    [
        (date(2026, 8, 21), None, 2),
        (date(2026, 8, 20), None, 3),  # 3 months: nothing yet
        (date(2026, 7, 21), None, 3),
        (date(2026, 7, 20), "warning", 4),  # lost_contact_warning_months
        (date(2026, 5, 21), "warning", 5),
        (date(2026, 5, 20), "serious", 6),  # lost_contact_months: 失联
        (None, "serious", 137),  # no contact recorded: from joining (2015-06-01)
    ],
)
def test_months_without_contact_warn_at_four_and_are_lost_at_six(world, last, level, months) -> None:
    _forget_payments(world.member)
    if last is not None:
        _paid(world.member, last)
    assert whole_months_between(last or date(2015, 6, 1), TODAY) == months
    found = _found().get(world.member.pk)
    assert [p for p in _found() if p != world.member.pk] == []
    if level is None:
        assert found is None
        return
    assert found is not None
    assert (found.level, found.key, found.detail["months"]) == (level, f"person:{world.member.pk}", months)
    assert found.organization_id == world.cs_branch.pk
    assert f"李晓红 已 {months} 个月未参加组织生活、未交纳党费" in found.summary
    assert ("达到失联标准" in found.summary) == (level == "serious")
    assert "满 6 个月为失联" in found.rule
    assert found.url == f"/people/{world.member.pk}/"


@pytest.mark.parametrize(
    ("attended", "paid", "level"),
    [
        (date(2026, 3, 1), date(2026, 8, 1), None),  # paid lately: in touch
        (date(2026, 8, 1), date(2026, 3, 1), None),  # attended lately: in touch
        (date(2026, 5, 1), date(2026, 7, 1), "warning"),  # the later is 4 months ago
        (date(2026, 4, 1), date(2026, 5, 1), "serious"),
        (date(2026, 5, 1), None, "serious"),
        (None, date(2026, 7, 1), "warning"),
    ],
)
def test_contact_is_the_later_of_attendance_and_payment(world, attended, paid, level) -> None:
    _forget_payments(world.member)
    if attended:
        _attended(world.member, attended)
    if paid:
        _paid(world.member, paid)
    found = _found().get(world.member.pk)
    assert (found.level if found else None) == level
    if found:
        assert found.detail["last_contact"] == max(d for d in (attended, paid) if d).isoformat()


@pytest.mark.parametrize(
    ("moved_on", "level"),
    [(date(2026, 9, 1), None), (date(2026, 7, 20), "warning"), (date(2026, 5, 20), "serious")],
)
def test_a_member_who_moved_in_is_measured_from_the_move(world, moved_on, level) -> None:
    _forget_payments(world.member)
    _paid(world.member, date(2025, 12, 1))
    with time_machine.travel(datetime.combine(moved_on, time(10), tzinfo=TZ), tick=False):
        core.membership_move(
            actor=None,
            membership=world.member.membership,
            to_branch=world.cs_branch2,
            on=moved_on,
            reason="调动",
        )
    found = _found().get(world.member.pk)
    assert (found.level if found else None) == level
    if found:
        assert found.organization_id == world.cs_branch2.pk
        assert found.detail["counted_from"] == moved_on.isoformat()


def test_a_new_member_is_measured_from_joining(world) -> None:
    newcomer = f.member(world.cs_branch, "新党员", full=False, joined_on=date(2026, 9, 1))
    Membership.history.filter(id=newcomer.membership.pk).update(history_date=datetime(2026, 9, 1, tzinfo=TZ))
    assert newcomer.pk not in _found()


def test_only_members_in_normal_standing_of_an_active_branch_count(world) -> None:
    _forget_payments(world.member)
    _forget_payments(world.fl_member)
    Membership.objects.filter(person=world.member).update(standing="flowing")
    Organization.objects.filter(pk=world.fl_branch.pk).update(is_active=False)
    assert _found() == {}


@pytest.mark.parametrize("cases", [3, 30])
def test_findings_take_a_query_per_contributor_and_one(world, cases, django_assert_max_num_queries) -> None:
    for i in range(cases):
        f.member(world.cs_branch2, f"成员{i}")
    Membership.history.update(history_date=datetime(2015, 6, 1, tzinfo=TZ))
    with django_assert_max_num_queries(len(hooks.last_contacts) + 1):
        found = list(lost_contact_findings(TODAY))
    assert len(found) == cases
    assert sorted(x.key for x in lost_contact_findings(TODAY)) == sorted(x.key for x in found)


def test_the_source_reads_both_modules_through_the_hooks() -> None:
    assert {"orglife.attended", "dues.paid"} <= {c.key for c in hooks.last_contacts.all()}
    source = hooks.warnings.get(CODE)
    assert source.findings is lost_contact_findings and source.severity == "serious"


def test_the_count_is_the_open_lost_contact_warnings_in_the_scope(world, college_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.insights.lost_contact import lost_contact_count
    from dangjian.insights.models import Alert

    def alert(person: Person, org: Organization, status: str = "open", source: str = CODE) -> None:
        Alert.objects.create(
            source=source,
            key=f"person:{person.pk}",
            organization=org,
            person=person,
            rule="…",
            summary="…",
            status=status,
            raised_on=TODAY,
            last_seen_on=TODAY,
        )

    alert(world.member, world.cs_branch)
    alert(world.secretary, world.cs_branch, status="closed")
    alert(world.fl_member, world.fl_branch)
    alert(world.member, world.cs_branch, source="dues.unpaid")
    assert lost_contact_count(Scope.system()) == 2
    assert lost_contact_count(resolve_scope(college_organizer)) == 1
