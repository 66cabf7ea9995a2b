"""Exports are the screen: the people and org exports hold the rows the list shows, masked as on screen,
whatever the role; full personal data is a separate choice of a PII role, with a reason that is audited."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import crypto, services
from dangjian.core.exports import mask_phone
from tests import factories as f


def rows(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def two_dt(world):
    """Two people whose initials are "dt" among the school's others."""
    return [
        f.person("丁涛", organization=world.cs_branch, phone="13912345678"),
        f.person("邓婷", organization=world.fl_branch, phone="13800001111", female=True),
    ]


def test_search_dt_export_has_exactly_the_rows_on_screen(world, login, school_admin, two_dt) -> None:
    client = login(school_admin)
    screen = client.get(reverse("core:person_list"), {"q": "dt"})
    shown = [p.name for p in screen.context["page"]]
    data = rows(client.get(reverse("core:person_export"), {"q": "dt"}))
    assert sorted(shown) == ["丁涛", "邓婷"]
    assert [r[0] for r in data[1:]] == shown


def test_export_link_carries_the_live_search_and_is_inside_the_htmx_part(
    world, login, school_admin, two_dt
) -> None:
    client = login(school_admin)
    partial = client.get(
        reverse("core:person_list"), {"q": "dt", "page": "1"}, headers={"HX-Request": "true"}
    )
    html = partial.content.decode()
    assert 'id="results"' in html
    assert f'href="{reverse("core:person_export")}?q=dt"' in html
    assert f'href="{reverse("core:person_export_unmasked")}?q=dt"' in html


def test_export_masks_id_number_and_phone_even_for_a_pii_role(world, login, school_admin, two_dt) -> None:
    data = rows(login(school_admin).get(reverse("core:person_export"), {"q": "dt"}))
    by_name = {r[0]: r for r in data[1:]}
    assert by_name["丁涛"][4] == two_dt[0].id_number_masked and "*" in by_name["丁涛"][4]
    assert by_name["丁涛"][11] == "139****5678"
    event = AuditEvent.objects.get(action="person.export")
    assert event.changes == {"filters": {"q": "dt"}, "rows": 2}


def test_unmasked_export_asks_for_a_reason_first(world, login, school_admin, two_dt) -> None:
    client = login(school_admin)
    url = reverse("core:person_export_unmasked") + "?q=dt"
    form = client.get(url)
    assert form.status_code == 200 and form.context["count"] == 2
    refused = client.post(url, {"reason": "  核对 "})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert not AuditEvent.objects.filter(action="person.export_unmasked").exists()


def test_unmasked_export_with_a_reason_is_full_and_audited_with_it(
    world, login, school_admin, two_dt
) -> None:
    response = login(school_admin).post(
        reverse("core:person_export_unmasked") + "?q=dt", {"reason": "报上级组织部核对党员信息"}
    )
    by_name = {r[0]: r for r in rows(response)[1:]}
    assert set(by_name) == {"丁涛", "邓婷"}
    assert by_name["丁涛"][4] == crypto.decrypt(two_dt[0].id_number_encrypted)
    assert by_name["丁涛"][11] == "13912345678"
    event = AuditEvent.objects.get(action="person.export_unmasked")
    assert event.actor == school_admin
    assert event.changes == {"filters": {"q": "dt"}, "rows": 2, "reason": "报上级组织部核对党员信息"}


@pytest.fixture
def forty(world):
    """Forty people with ID numbers and phones across two colleges."""
    return [
        f.person(f"导出{n}", organization=world.cs_branch if n % 2 else world.fl_branch, phone="13912345678")
        for n in range(40)
    ]


def test_masked_export_never_decrypts_and_reads_rows_in_a_fixed_number_of_queries(
    world, login, school_admin, forty, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    with (
        mock.patch("cryptography.fernet.MultiFernet.decrypt") as decrypt,
        django_assert_max_num_queries(12),
    ):
        data = rows(client.get(reverse("core:person_export")))
    decrypt.assert_not_called()
    assert len(data) - 1 >= 40 and all("*" in (r[4] or "*") for r in data[1:])
    assert data[0][0] == "姓名" and {r[1] for r in data[1:]} <= {"男", "女"}


def test_unmasked_export_decrypts_each_full_row_once_in_a_fixed_number_of_queries(
    world, login, school_admin, forty, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    with django_assert_max_num_queries(12):
        response = client.post(reverse("core:person_export_unmasked"), {"reason": "报上级组织部核对"})
    by_name = {r[0]: r for r in rows(response)[1:]}
    person = forty[7]
    assert by_name[person.name][4] == crypto.decrypt(person.id_number_encrypted)
    assert by_name[person.name][11] == "13912345678"
    assert by_name[person.name][7] == person.get_political_status_display()


def test_role_without_pii_permission_cannot_export_unmasked(world, login, branch_secretary) -> None:
    """A branch secretary may export (masked) but not unmasked: 404, like any page they may not open,
    and the list does not draw the link."""
    client = login(branch_secretary)
    url = reverse("core:person_export_unmasked")
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "报上级组织部核对"}).status_code == 404
    assert (
        reverse("core:person_export_unmasked") not in client.get(reverse("core:person_list")).content.decode()
    )
    assert not AuditEvent.objects.filter(action="person.export_unmasked").exists()


def test_secretary_export_is_masked_and_limited_to_the_branch(world, login, branch_secretary) -> None:
    f.person("群众乙", organization=world.cs_branch, phone="13912345678")
    data = rows(login(branch_secretary).get(reverse("core:person_export")))
    names = {r[0] for r in data[1:]}
    assert "群众乙" in names and "赵敏" not in names
    assert all("*" in (r[4] or "*") for r in data[1:])
    phones = {r[0]: r[11] for r in data[1:]}
    assert phones["群众乙"] == "139****5678"


def test_unmasked_export_keeps_rows_outside_the_pii_scope_masked(world, login) -> None:
    """A secretary of one branch who is also organizer of another college sees full data only there."""
    from dangjian.accounts.roles import Role

    user = f.user_for(world.secretary, "two_hats", (Role.COLLEGE_ORGANIZER, world.fl))
    f.person("群众甲", organization=world.cs_branch, phone="13912345678")
    response = login(user).post(reverse("core:person_export_unmasked"), {"reason": "报上级组织部核对"})
    by_name = {r[0]: r for r in rows(response)[1:]}
    assert "*" in by_name["群众甲"][4] and by_name["群众甲"][11] == "139****5678"
    assert "*" not in by_name["赵敏"][4]


def test_member_cannot_export(world, login, member_user) -> None:
    assert login(member_user).get(reverse("core:person_export")).status_code == 404
    assert not AuditEvent.objects.filter(action="person.export").exists()


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13912345678", "139****5678"), ("010-12345678", "010****5678"), ("1234", "****"), ("", "")],
)
def test_phone_mask(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_org_export_is_scoped_and_audited(
    world, login, outsider_organizer, django_assert_max_num_queries
) -> None:
    client = login(outsider_organizer)
    with django_assert_max_num_queries(18):  # +2 for the audit chain (lock its head, move it on)
        data = rows(client.get(reverse("core:org_export")))
    assert [r[0] for r in data[1:]] == ["FL", "FL-T1"]
    assert data[2][4] == "FL" and data[2][6] == 3  # parent code, members in the subtree
    event = AuditEvent.objects.get(action="organization.export", actor=outsider_organizer)
    assert event.changes["rows"] == 2


def test_org_export_holds_the_dissolved_orgs_the_tree_shows(world, login, college_organizer) -> None:
    services.organization_dissolve(actor=None, org=world.cs_branch2, on=date(2026, 1, 1), reason="合并")
    client = login(college_organizer)
    data = rows(client.get(reverse("core:org_export")))
    by_code = {r[0]: r for r in data[1:]}
    assert by_code["CS-S1"][12].startswith("已撤销")
    assert by_code["CS-T1"][12] == "有效"
    tree = client.get(reverse("core:org_tree")).content.decode()
    assert f'href="{reverse("core:org_export")}"' in tree


def test_member_cannot_export_orgs(world, login, member_user) -> None:
    assert login(member_user).get(reverse("core:org_export")).status_code == 404
