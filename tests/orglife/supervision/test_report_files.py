"""The 督查 report's files: downloaded (not shown inline) under the report's name, and each download is
audited with what left — the org and period, the format, how many lines it lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.audit.models import AuditEvent

QUERY = "?org={org}&period_from=2026-10-01&period_to=2026-12-31"


@pytest.mark.parametrize(
    ("name", "fmt"), [("orglife:sup_report_pdf", "pdf"), ("orglife:sup_report_xlsx", "xlsx")]
)
def test_the_report_file_is_an_attachment_named_after_the_org_and_period_and_is_audited(
    world, login, school_admin, name, fmt
) -> None:
    response = login(school_admin).get(reverse(name) + QUERY.format(org=world.cs.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="supervision-CS-20261001-20261231.{fmt}"'
    event = AuditEvent.objects.get(action="orglife.supervision_report_export")
    assert event.org_path == world.cs.path
    assert event.changes["filters"] == {
        "org": str(world.cs.pk),
        "period_from": "2026-10-01",
        "period_to": "2026-12-31",
        "format": fmt,
    }
    assert event.changes["rows"] == 0  # nothing drawn in the period: no org and no problem listed
