"""The reminder before a study plan's deadline: to the people who have not finished its courses, once per
plan, only within the policy's days before the deadline."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.audit.models import AuditEvent
from dangjian.learning.library import services
from dangjian.learning.library.models import PlanReminder
from dangjian.workbench.models import Notification
from tests.learning.library.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world, lib):
    return services.plan_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        title="学院网上学习计划",
        deadline=date(2026, 12, 31),
        courses=[lib.course],
        today=date(2026, 11, 1),
    )


def test_the_unfinished_are_reminded_once_before_the_deadline(
    world, lib, plan, member_user, branch_secretary
):
    for lesson in (lib.first, lib.second):  # the secretary finished the course
        services.progress_report(actor=None, person_id=world.secretary.pk, lesson=lesson, percent=100)
    assert services.plan_reminders_send(today=date(2026, 12, 23)) == 0  # eight days before: not yet
    assert services.plan_reminders_send(today=date(2026, 12, 24)) == 2  # the member and 张伟
    assert (
        Notification.objects.filter(recipient=member_user, title="学习计划即将到期：学院网上学习计划").count()
        == 1
    )
    assert not Notification.objects.filter(recipient=branch_secretary).exists()
    assert services.plan_reminders_send(today=date(2026, 12, 25)) == 0
    assert PlanReminder.objects.filter(plan=plan).count() == 2
    assert AuditEvent.objects.filter(action="learning.plan_reminders").count() == 1


def test_a_plan_past_its_deadline_reminds_nobody(world, plan) -> None:
    assert services.plan_reminders_send(today=date(2027, 1, 1)) == 0


def test_the_reminder_days_come_from_the_policy(world, plan, settings) -> None:
    settings.DANGJIAN_POLICY = {"study_plan_reminder_days": 30}
    assert services.plan_reminders_send(today=date(2026, 12, 1)) == 3
