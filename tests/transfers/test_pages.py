"""Transfer pages: start, act, print; outsiders get 404 on every mutating endpoint; the PDF's text."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.transfers import services
from dangjian.transfers.models import Letter, Transfer, TransferStatus


@pytest.fixture
def out_transfer(world, branch_secretary, college_organizer):
    t = services.transfer_start(
        scope=Scope.system(),
        actor=branch_secretary,
        person=world.member,
        kind="out_national",
        reason="毕业就业",
        external_org="中共某市某公司委员会",
    )
    services.transfer_approve(actor=branch_secretary, scope=resolve_scope(branch_secretary), transfer=t)
    return services.transfer_approve(
        actor=college_organizer, scope=resolve_scope(college_organizer), transfer=t
    )


def test_member_starts_own_transfer_in_the_browser(world, login, member_user) -> None:
    client = login(member_user)
    response = client.post(
        reverse("transfers:start", args=[world.member.pk]),
        {"kind": "in_school", "to_college": world.fl.pk, "reason": "调入外国语学院"},
    )
    transfer = Transfer.objects.get()
    assert response.url == reverse("transfers:detail", args=[transfer.pk])
    assert "待支部审核" in client.get(response.url).content.decode()
    assert (
        "转接办理中"
        in login(member_user).get(reverse("core:person_detail", args=[world.member.pk])).content.decode()
    )


def test_secretary_approves_from_the_page(world, login, member_user, branch_secretary) -> None:
    t = services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="in_school",
        reason="x",
        to_college=world.fl,
    )
    page = login(branch_secretary).get(reverse("transfers:detail", args=[t.pk])).content.decode()
    assert "审核同意" in page
    login(branch_secretary).post(reverse("transfers:approve", args=[t.pk]), {"expected_status": "requested"})
    t.refresh_from_db()
    assert t.status == TransferStatus.BRANCH_APPROVED


def test_the_letter_pdf_carries_name_serial_and_organizations(
    world, out_transfer, login, college_organizer
) -> None:
    letter = Letter.objects.get(transfer=out_transfer)
    response = login(college_organizer).get(reverse("transfers:letter_pdf", args=[letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "李晓红",
        letter.serial,
        "计算机学院教工第一党支部",
        "中共某市某公司委员会",
        "存根",
        "回执",
    ):
        assert expected in text, expected


def test_the_register_lists_what_the_user_may_see(
    world, out_transfer, login, college_organizer, outsider_organizer
) -> None:
    assert "李晓红" in login(college_organizer).get(reverse("transfers:list")).content.decode()
    assert "李晓红" not in login(outsider_organizer).get(reverse("transfers:list")).content.decode()


MUTATIONS = [
    ("transfers:approve", "transfer", {}),
    ("transfers:reject", "transfer", {"reason": "x"}),
    ("transfers:withdraw", "transfer", {}),
    ("transfers:accept", "transfer", {"branch": 0}),
    ("transfers:complete", "transfer", {"receipt_on": "2026-11-20"}),
    ("transfers:letter_reissue", "letter", {"reason": "x"}),
    ("transfers:start", "person", {"kind": "out_national", "external_org": "x", "reason": "x"}),
]


@pytest.mark.parametrize(("name", "target", "data"), MUTATIONS)
def test_outsiders_are_refused(name, target, data, world, out_transfer, login, outsider_organizer) -> None:
    ids = {"transfer": out_transfer.pk, "letter": Letter.objects.get().pk, "person": world.member.pk}
    before = (
        Transfer.objects.filter(status=out_transfer.status).count(),
        Letter.objects.count(),
        AuditEvent.objects.count(),
    )
    assert login(outsider_organizer).post(reverse(name, args=[ids[target]]), data).status_code == 404
    assert (
        login(outsider_organizer).get(reverse("transfers:letter_pdf", args=[ids["letter"]])).status_code
        == 404
    )
    after = (
        Transfer.objects.filter(status=out_transfer.status).count(),
        Letter.objects.count(),
        AuditEvent.objects.count(),
    )
    assert before == after


def test_the_register_exports_with_filters_and_is_audited(
    world, out_transfer, login, college_organizer
) -> None:
    from openpyxl import load_workbook

    response = login(college_organizer).get(reverse("transfers:export") + "?kind=out_national")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.max_row == 2 and sheet.cell(2, 1).value == "李晓红"
    assert AuditEvent.objects.filter(action="transfer.export").count() == 1


def test_the_people_list_marks_members_with_a_transfer_in_progress(
    world, out_transfer, login, school_admin
) -> None:
    page = login(school_admin).get(reverse("core:person_list") + "?q=李晓红").content.decode()
    assert "转接办理中" in page


def test_the_register_filters_by_period(world, out_transfer, login, college_organizer) -> None:
    client = login(college_organizer)
    assert (
        "李晓红"
        in client.get(reverse("transfers:list") + "?since=2000-01-01&until=2999-12-31").content.decode()
    )
    assert "李晓红" not in client.get(reverse("transfers:list") + "?until=2000-01-01").content.decode()
    assert client.get(reverse("transfers:list") + "?since=not-a-date").status_code == 200


def test_the_register_filters_by_org(world, out_transfer, login, school_admin) -> None:
    client = login(school_admin)
    assert "李晓红" in client.get(reverse("transfers:list") + f"?org={world.cs.pk}").content.decode()
    assert "李晓红" not in client.get(reverse("transfers:list") + f"?org={world.fl.pk}").content.decode()
    assert client.get(reverse("transfers:list") + "?org=999999").status_code == 404
