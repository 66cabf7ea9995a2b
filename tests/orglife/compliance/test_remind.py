"""A matrix cell says why it is red; its drill-down names what is missing and offers 提醒支部: a notice to
the branch's secretaries, audited, once per branch, month and day, refused to outsiders."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.compliance import services, stats
from dangjian.workbench.models import Notification

SYSTEM = Scope.system()
NOW = datetime(2026, 11, 29, 6, 0)
TODAY = date(2026, 11, 29)
OCTOBER = date(2026, 10, 1)


def test_a_red_cell_names_what_it_lacks(world) -> None:
    cell = stats.branch_month(world.cs_branch, OCTOBER, TODAY)
    assert cell.state == stats.RED and cell.short == "缺党小组会、主题党日"
    assert "党小组会" in cell.title
    running = stats.branch_month(world.cs_branch, date(2026, 11, 1), TODAY)
    assert running.state == stats.YELLOW and running.short.startswith("待")


def test_the_matrix_shows_the_reason_and_opens_the_drill_down(world, login, college_organizer) -> None:
    with time_machine.travel(NOW, tick=False):
        page = (
            login(college_organizer)
            .get(reverse("orglife:stats_matrix") + f"?org={world.cs.pk}&year=2026")
            .content.decode()
        )
    assert "缺党小组会、主题党日" in page
    assert reverse("orglife:stats_cell") + f"?org={world.cs_branch.pk}&month=2026-10" in page


def test_the_drill_down_heads_with_what_is_missing(world, login, college_organizer) -> None:
    url = reverse("orglife:stats_cell") + f"?org={world.cs_branch.pk}&month=2026-10"
    with time_machine.travel(NOW, tick=False):
        page = login(college_organizer).get(url).content.decode()
    assert "未达标，缺少：党小组会、主题党日" in page and "提醒支部" in page


def test_remind_tells_the_secretary_once_a_day(world, login, college_organizer, branch_secretary) -> None:
    client = login(college_organizer)
    data = {"org": world.cs_branch.pk, "month": "2026-10"}
    with time_machine.travel(NOW, tick=False):
        first = client.post(reverse("orglife:stats_remind"), data)
        client.post(reverse("orglife:stats_remind"), data)
    assert first.status_code == 302
    notices = Notification.objects.filter(recipient=branch_secretary)
    assert notices.count() == 1 and "党小组会、主题党日" in notices.get().title
    event = AuditEvent.objects.get(action="orglife.compliance_remind")
    assert event.changes["month"] == "2026-10" and event.changes["sent"] == 1
    with time_machine.travel(datetime(2026, 11, 30, 6, 0), tick=False):
        login(college_organizer).post(reverse("orglife:stats_remind"), data)  # a new session: a day later
    assert notices.count() == 2  # the next day is a new reminder


def test_a_month_met_or_not_begun_needs_no_reminder(world, branch_secretary) -> None:
    with pytest.raises(RuleViolation):
        services.branch_remind(
            actor=None, scope=SYSTEM, branch=world.cs_branch, month=date(2026, 12, 1), today=TODAY
        )


def test_outsiders_and_the_branch_itself_cannot_remind(
    world, login, outsider_organizer, branch_secretary
) -> None:
    data = {"org": world.cs_branch.pk, "month": "2026-10"}
    for user in (outsider_organizer, branch_secretary):
        assert login(user).post(reverse("orglife:stats_remind"), data).status_code == 404
    url = reverse("orglife:stats_cell") + f"?org={world.cs_branch.pk}&month=2026-10"
    assert login(outsider_organizer).get(url).status_code == 404
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="orglife.compliance_remind").exists()
