"""Term-expiry reminders: to the secretary and the upper organizer, once per threshold."""

from __future__ import annotations

from datetime import date

from dangjian.core.models import Organization
from dangjian.core.reminders import send_term_reminders, term_threshold
from dangjian.core.tasks import send_term_expiry_reminders
from dangjian.workbench.models import Notification


def _only_branch_term(world, started: date) -> None:
    # Keep every other org far from expiry so only the branch under test reminds.
    Organization.objects.exclude(pk=world.cs_branch.pk).update(term_started_on=date(2026, 6, 1))
    Organization.objects.filter(pk=world.cs_branch.pk).update(term_started_on=started)


def test_thresholds() -> None:
    expires = date(2027, 1, 1)
    assert term_threshold(expires, date(2026, 6, 30), (6, 3)) is None
    assert term_threshold(expires, date(2026, 7, 1), (6, 3)) == "6m"
    assert term_threshold(expires, date(2026, 10, 1), (6, 3)) == "3m"
    assert term_threshold(expires, date(2027, 1, 1), (6, 3)) == "overdue"


def test_reminders_go_to_secretary_and_college_organizer_once_per_threshold(
    world, branch_secretary, college_organizer, member_user
) -> None:
    _only_branch_term(world, date(2024, 1, 1))  # expires 2027-01-01
    assert send_term_reminders(today=date(2026, 8, 1)) == 1
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"branch_secretary", "college_organizer"}
    assert send_term_reminders(today=date(2026, 8, 2)) == 0  # same threshold: nothing new
    assert send_term_reminders(today=date(2026, 10, 15)) == 1  # crossed into 3 months
    assert send_term_reminders(today=date(2027, 1, 2)) == 1  # overdue
    assert send_term_reminders(today=date(2027, 1, 3)) == 0
    assert Notification.objects.filter(recipient=branch_secretary).count() == 3
    assert not Notification.objects.filter(recipient=member_user).exists()


def test_school_admin_is_reminded_when_no_college_organizer(world, school_admin) -> None:
    _only_branch_term(world, date(2024, 1, 1))
    send_term_reminders(today=date(2026, 8, 1))
    assert Notification.objects.filter(recipient=school_admin).count() == 1


def test_periodic_task_runs_eagerly(world, branch_secretary) -> None:
    _only_branch_term(world, date(2024, 1, 1))
    result = send_term_expiry_reminders.delay(today="2026-08-01")
    assert result.get() == 1
    assert Notification.objects.filter(recipient=branch_secretary, kind="term_expiry").exists()
