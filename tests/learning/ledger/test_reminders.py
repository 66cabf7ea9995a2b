"""The monthly reminder to members behind the year's pace: once a month from the policy's day, to
people with an account, never to those on pace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.learning.ledger.services import reminders_send
from dangjian.learning.models import StudyReminder, StudyYear
from dangjian.workbench.models import Notification

pytestmark = pytest.mark.django_db


def test_behind_members_are_reminded_once_a_month(world, member_user, branch_secretary, settings) -> None:
    StudyYear.objects.create(person=world.secretary, year=2026, hours=Decimal("56"))  # met
    assert reminders_send(today=date(2026, 7, 2)) == 5  # every member but the secretary
    assert Notification.objects.filter(recipient=member_user, title="学习学时落后于进度").count() == 1
    assert not Notification.objects.filter(recipient=branch_secretary).exists()
    assert reminders_send(today=date(2026, 7, 20)) == 0
    assert StudyReminder.objects.filter(person=world.member).count() == 1
    assert reminders_send(today=date(2026, 8, 1)) == 5


def test_not_before_the_policy_day(world, member_user, settings) -> None:
    settings.DANGJIAN_POLICY = {"study_reminder_day": 5}
    assert reminders_send(today=date(2026, 7, 4)) == 0
    assert reminders_send(today=date(2026, 7, 5)) == 6
