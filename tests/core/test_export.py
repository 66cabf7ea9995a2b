"""People export: the current filters, masked ID numbers and phones unless the role may see them, audited."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import crypto
from tests import factories as f


def rows(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_organizer_exports_full_id_numbers_of_the_filtered_list(world, login, college_organizer) -> None:
    f.person("外来人", organization=world.cs_branch, phone="13912345678")
    data = rows(login(college_organizer).get(reverse("core:person_export"), {"q": "lxh"}))
    assert [r[0] for r in data[1:]] == ["李晓红"]
    assert data[1][4] == crypto.decrypt(world.member.id_number_encrypted)
    event = AuditEvent.objects.get(action="person.export")
    assert event.changes["filters"] == {"q": "lxh"} and event.changes["unmasked_id_numbers"] is True


def test_secretary_export_is_masked_and_limited_to_the_branch(world, login, branch_secretary) -> None:
    f.person("群众乙", organization=world.cs_branch, phone="13912345678")
    data = rows(login(branch_secretary).get(reverse("core:person_export")))
    names = {r[0] for r in data[1:]}
    assert "群众乙" in names and "赵敏" not in names
    assert all("*" in (r[4] or "*") for r in data[1:])
    phones = {r[0]: r[11] for r in data[1:]}
    assert phones["群众乙"] == "139****5678"


def test_member_cannot_export(world, login, member_user) -> None:
    assert login(member_user).get(reverse("core:person_export")).status_code == 404
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_org_export_is_scoped_and_audited(
    world, login, outsider_organizer, django_assert_max_num_queries
) -> None:
    client = login(outsider_organizer)
    with django_assert_max_num_queries(16):
        data = rows(client.get(reverse("core:org_export")))
    assert [r[0] for r in data[1:]] == ["FL", "FL-T1"]
    assert data[2][4] == "FL" and data[2][6] == 3  # parent code, members in the subtree
    assert AuditEvent.objects.filter(action="organization.export", actor=outsider_organizer).exists()


def test_member_cannot_export_orgs(world, login, member_user) -> None:
    assert login(member_user).get(reverse("core:org_export")).status_code == 404
