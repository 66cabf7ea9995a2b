"""The audit log page: scoped reading, filters, export (itself audited)."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import services


def test_filters_by_org_actor_and_action(world, login, school_admin) -> None:
    services.organization_update(actor=None, org=world.cs_branch, short_name="计教一")
    services.organization_update(actor=None, org=world.fl_branch, short_name="外教")
    client = login(school_admin)
    page = client.get(reverse("audit:log"), {"org": world.cs.pk, "action": "organization.update"})
    events = list(page.context["page"])
    assert [e.org_name for e in events] == [world.cs_branch.name]
    by_actor = client.get(reverse("audit:log"), {"actor": "不存在的人"})
    assert list(by_actor.context["page"]) == []


def test_filter_with_out_of_scope_org_is_a_form_error(world, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("audit:log"), {"org": world.fl.pk})
    assert "org" in response.context["form"].errors


def test_export_is_xlsx_and_itself_audited(world, login, college_organizer, school_admin) -> None:
    services.organization_update(actor=school_admin, org=world.cs_branch, short_name="计教一")
    response = login(college_organizer).get(reverse("audit:export"))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    assert any(r[2] == "修改党组织" and r[7] == "organization.update" for r in rows[1:])
    assert AuditEvent.objects.filter(action="audit.export", actor=college_organizer).exists()


def test_member_and_system_admin_cannot_read_the_audit_log(world, login, member_user) -> None:
    from dangjian.accounts.roles import Role
    from tests.factories import user_for

    sysadmin = user_for(None, "sysadmin", (Role.SYSTEM_ADMIN, None))
    assert login(member_user).get(reverse("audit:log")).status_code == 404
    assert login(sysadmin).get(reverse("audit:log")).status_code == 404


def test_export_holds_the_rows_the_filtered_log_shows(world, login, school_admin) -> None:
    services.organization_update(actor=None, org=world.cs_branch, short_name="计教一")
    services.organization_update(actor=None, org=world.fl_branch, short_name="外教")
    client = login(school_admin)
    filters = {"org": world.cs.pk, "action": "organization.update"}
    screen = [e.target_repr for e in client.get(reverse("audit:log"), filters).context["page"]]
    response = client.get(reverse("audit:export"), filters)
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
    assert [r[3] for r in rows[1:]] == screen == [str(world.cs_branch)]
    event = AuditEvent.objects.get(action="audit.export")
    assert event.changes == {"filters": {"org": str(world.cs.pk), "action": "organization.update"}, "rows": 1}


def test_export_link_carries_the_live_filters_without_the_page(world, login, school_admin) -> None:
    page = login(school_admin).get(reverse("audit:log"), {"action": "@core", "page": "2"})
    assert f'href="{reverse("audit:export")}?action=%40core"' in page.content.decode()


def test_nobody_reads_their_own_actions_in_the_log(world, login, school_admin, college_organizer) -> None:
    """三权分立: a reader's own events are for someone else to review."""
    services.organization_update(actor=college_organizer, org=world.cs_branch, short_name="计教一")
    services.organization_update(actor=school_admin, org=world.cs_branch, short_name="计教壹")

    def actors(user) -> set[str]:
        page = login(user).get(reverse("audit:log"), {"action": "organization.update"})
        return {e.actor_name for e in page.context["page"]}

    assert actors(college_organizer) == {"school_admin"}
    assert actors(school_admin) == {"college_organizer"}
