"""Ten identical closes (or takes) at once make one transition: the others are refused as stale (409),
never a 500, never a second audit event. PostgreSQL only: SQLite has no row locks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.insights.models import AlertStatus
from tests.insights.warnings.conftest import make_alert
from tests.race import parallel_posts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize(
    ("name", "posted", "action", "after"),
    [
        ("insights:warning_take", {"expected_status": "open"}, "insights.alert_take", AlertStatus.HANDLING),
        (
            "insights:warning_close",
            {"expected_status": "open", "note": "已谈话"},
            "insights.alert_close",
            AlertStatus.CLOSED,
        ),
    ],
)
def test_ten_identical_steps_make_one(world, branch_secretary, name, posted, action, after) -> None:
    alert = make_alert(world.cs_branch)
    responses = parallel_posts(branch_secretary, reverse(name, args=[alert.pk]), posted)
    codes = sorted(r.status_code for r in responses)
    assert codes == [302] + [409] * 9, codes
    alert.refresh_from_db()
    assert alert.status == after
    assert AuditEvent.objects.filter(action=action).count() == 1
