"""Ten identical requests at once on PostgreSQL: a table is submitted once, an organization reminded
once a day, a year's annual return opened once; the other requests are refused as stale (409, the
message on the page) or answer the same, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.reporting.models import OrgFigures, Snapshot
from dangjian.returns.models import Assignment, AssignmentStatus, Return, Row
from dangjian.workbench.models import Notification
from tests.race import parallel_posts
from tests.returns.conftest import good_values

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_ten_submits_at_once_are_one_submission(world, opened, branch_secretary) -> None:
    assignment = Assignment.objects.get(ret=opened, organization=world.cs_branch)
    row = Row.objects.get(assignment=assignment)
    data = {f"r{row.pk}_{k}": v for k, v in good_values(row.pk)[row.pk].items()}
    data.update({"submit": "1", "expected_status": "not_started"})
    responses = parallel_posts(branch_secretary, reverse("returns:fill", args=[assignment.pk]), data)
    assert sorted(r.status_code for r in responses) == [302] + [409] * 9
    assert AuditEvent.objects.filter(action="returns.submit").count() == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED


def test_ten_reminders_at_once_remind_once(
    world, opened, college_organizer, branch_secretary, django_capture_on_commit_callbacks
) -> None:
    assignment = Assignment.objects.get(ret=opened, organization=world.cs_branch)
    responses = parallel_posts(college_organizer, reverse("returns:remind_one", args=[assignment.pk]))
    assert [r.status_code for r in responses] == [302] * 10
    assert AuditEvent.objects.filter(action="returns.remind").count() == 1
    assert Notification.objects.filter(recipient=branch_secretary, title__startswith="请尽快").count() == 1


def test_ten_annual_opens_at_once_open_one_return(world, school_admin) -> None:
    snap = Snapshot.objects.create(
        on=date(2025, 12, 31), kind="year_end", status="ready", started_at=timezone.now()
    )
    OrgFigures.objects.create(snapshot=snap, organization=world.cs, subtree={})
    responses = parallel_posts(school_admin, reverse("returns:annual_new"), {"year": "2025"})
    assert sorted(r.status_code for r in responses) == [200] * 9 + [302]
    assert Return.objects.filter(kind="annual", year=2025).count() == 1
    assert AuditEvent.objects.filter(action="returns.annual_open").count() == 1
