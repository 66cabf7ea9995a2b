"""连续未参加组织生活预警 (党章 第九条, 6 months): raised for a member absent without leave at the branch's
held meetings in each of the last 6 full months; idempotent; a warning only — the membership never
changes; the branch records how it handled it."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership, Standing
from dangjian.orglife import tasks
from dangjian.orglife.compliance.warnings import raise_absence_warnings, window_for
from dangjian.orglife.models import (
    AbsenceWarning,
    Attendance,
    Attendee,
    Meeting,
    MeetingStatus,
    WarningStatus,
)
from dangjian.workbench.models import Notification
from dangjian.workbench.todos import todos_for

TODAY = date(2026, 7, 3)  # window: 2026-01 … 2026-06


def _meeting(org, day: date, marks: dict, kind: str = "theme_day", status: str = MeetingStatus.MINUTED):
    meeting = Meeting.objects.create(organization=org, kind=kind, topic="主题党日", date=day, status=status)
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, person=person, attendance=attendance)
        for person, attendance in marks.items()
    )
    return meeting


@pytest.fixture
def half_year(world):
    """Jan–Jun 2026: a held meeting each month; 李晓红 (member) always absent, 王建国 present, 张伟 absent
    but on leave once."""
    zhang = Membership.objects.get(organization=world.cs_branch, person__name="张伟").person

    def build(months=range(1, 7), skip_leave: bool = False) -> None:
        for m in months:
            _meeting(
                world.cs_branch,
                date(2026, m, 10),
                {
                    world.member: Attendance.ABSENT,
                    world.secretary: Attendance.PRESENT,
                    zhang: Attendance.LEAVE if m == 3 and not skip_leave else Attendance.ABSENT,
                },
            )

    return build


def test_the_window_is_the_six_full_months_before_this_one() -> None:
    assert window_for(date(2026, 7, 3), 6) == (date(2026, 1, 1), date(2026, 6, 30))
    assert window_for(date(2026, 7, 31), 6) == (date(2026, 1, 1), date(2026, 6, 30))
    assert window_for(date(2026, 1, 1), 6) == (date(2025, 7, 1), date(2025, 12, 31))


def test_six_months_absent_without_leave_raises_one_warning_and_notifies_the_secretary(
    world, half_year, branch_secretary
) -> None:
    half_year()
    membership_before = Membership.objects.values().get(person=world.member)
    assert raise_absence_warnings(TODAY) == 1
    warning = AbsenceWarning.objects.get()
    assert (warning.person, warning.branch, warning.status) == (world.member, world.cs_branch, "open")
    assert (warning.window_start, warning.window_end, warning.missed) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        6,
    )
    event = AuditEvent.objects.get(action="orglife.absence_warning.raise")
    assert event.actor is None
    note = Notification.objects.get(recipient=branch_secretary)
    assert "1 名党员连续 6 个月未参加组织生活" in note.title
    # Running again (the same day, or later in the month) changes nothing.
    assert raise_absence_warnings(TODAY) == 0
    assert raise_absence_warnings(date(2026, 7, 28)) == 0
    assert AbsenceWarning.objects.count() == 1
    assert AuditEvent.objects.filter(action="orglife.absence_warning.raise").count() == 1
    assert Notification.objects.count() == 1
    # Never an automatic action on the membership.
    assert Membership.objects.values().get(person=world.member) == membership_before


def test_a_leave_breaks_the_run(world, half_year) -> None:
    half_year()
    raise_absence_warnings(TODAY)
    zhang = Membership.objects.get(organization=world.cs_branch, person__name="张伟").person
    assert not AbsenceWarning.objects.filter(person=zhang).exists()


def test_a_month_without_a_held_meeting_breaks_the_run(world, half_year) -> None:
    half_year(months=[1, 2, 3, 5, 6])  # no meeting in April
    _meeting(world.cs_branch, date(2026, 4, 10), {world.member: Attendance.EXPECTED}, status="cancelled")
    assert raise_absence_warnings(TODAY) == 0


def test_meetings_outside_the_window_do_not_count(world, half_year) -> None:
    half_year(months=[2, 3, 4, 5, 6, 7])  # July is still running on 2026-07-03
    assert raise_absence_warnings(TODAY) == 0
    assert raise_absence_warnings(date(2026, 8, 1)) == 1  # window Feb–Jul


@pytest.mark.parametrize(
    ("standing", "joined_on", "raised"),
    [
        (Standing.NORMAL, date(2026, 1, 1), 1),  # joined on the window's first day
        (Standing.NORMAL, date(2026, 1, 2), 0),  # joined during the window
        (Standing.FLOWING, date(2015, 6, 1), 0),  # 流动党员: their own procedure
        (Standing.ABROAD, date(2015, 6, 1), 0),
    ],
)
def test_who_is_considered(world, half_year, standing, joined_on, raised) -> None:
    Membership.objects.filter(person=world.member).update(standing=standing, joined_on=joined_on)
    half_year(skip_leave=False)
    assert AbsenceWarning.objects.count() == 0
    assert raise_absence_warnings(TODAY) == raised


def test_an_open_warning_is_not_raised_again_next_month_but_a_handled_one_is(world, half_year) -> None:
    half_year(months=range(1, 8))
    assert raise_absence_warnings(TODAY) == 1
    assert raise_absence_warnings(date(2026, 8, 2)) == 0  # still open
    AbsenceWarning.objects.update(status=WarningStatus.HANDLED)
    assert raise_absence_warnings(date(2026, 8, 2)) == 1  # a new window, still absent
    assert AbsenceWarning.objects.filter(person=world.member).count() == 2


def test_the_celery_task_runs_the_service(world, half_year) -> None:
    half_year()
    assert tasks.raise_absence_warnings.apply(args=["2026-07-03"]).get() == 1
    assert tasks.raise_absence_warnings.apply(args=["2026-07-03"]).get() == 0


@time_machine.travel("2026-07-05 10:00 +0800", tick=False)
def test_the_branch_sees_the_warning_in_todos_and_records_how_it_handled_it(
    world, half_year, branch_secretary, login
) -> None:
    half_year()
    raise_absence_warnings(TODAY)
    warning = AbsenceWarning.objects.get()
    client = login(branch_secretary)
    from dangjian.accounts.scope import resolve_scope

    todos = todos_for(branch_secretary, resolve_scope(branch_secretary))
    assert any("连续 6 个月未参加组织生活" in t.title for t in todos)
    page = client.get(reverse("orglife:stats_warnings") + "?status=open").content.decode()
    assert "李晓红" in page
    assert reverse("orglife:stats_warning_handle", args=[warning.pk]) in page
    url = reverse("orglife:stats_warning_handle", args=[warning.pk])
    assert client.post(url, {"note": " "}).status_code == 200  # a note is required
    response = client.post(
        url, {"note": "已谈心谈话，本人因长期外出，已提醒请假手续", "expected_status": "open"}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.handled_by) == (WarningStatus.HANDLED, branch_secretary)
    event = AuditEvent.objects.get(action="orglife.absence_warning.handle")
    assert event.actor == branch_secretary
    assert Membership.objects.get(person=world.member).standing == Standing.NORMAL
    assert not any(
        "未参加组织生活" in t.title for t in todos_for(branch_secretary, resolve_scope(branch_secretary))
    )
    # Handled once: a second post is refused with a message, nothing changes.
    client.post(url, {"note": "再次处理"})
    warning.refresh_from_db()
    assert warning.note.startswith("已谈心谈话")


def test_outsiders_and_members_get_404_on_handling(
    world, half_year, outsider_organizer, member_user, college_organizer, login
) -> None:
    half_year()
    raise_absence_warnings(TODAY)
    warning = AbsenceWarning.objects.get()
    url = reverse("orglife:stats_warning_handle", args=[warning.pk])
    for user in (outsider_organizer, member_user):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"note": "x"}).status_code == 404
    assert (
        login(outsider_organizer).get(reverse("orglife:stats_warnings")).content.decode().count("李晓红") == 0
    )
    # The college's organizer (MANAGE_ORGLIFE over the college) may record it too.
    assert login(college_organizer).post(url, {"note": "学院已督促支部处理"}).status_code == 302
    assert not AuditEvent.objects.filter(
        action="orglife.absence_warning.handle", actor__in=[outsider_organizer, member_user]
    ).exists()


def test_the_todo_provider_is_one_query(
    world, half_year, branch_secretary, django_assert_num_queries
) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.orglife.compliance.todos import absence_warning_todos

    half_year()
    raise_absence_warnings(TODAY)
    scope = resolve_scope(branch_secretary)
    with django_assert_num_queries(1):
        items = absence_warning_todos(branch_secretary, scope)
    assert items[0].count == 1
