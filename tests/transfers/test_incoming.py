"""转入: a new person is created with the membership's original dates; a known ID number is found, never
duplicated; a member already on the roll is refused; the 回执 PDF names both organizations."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dangjian.core.idnumbers import make_id_number
from dangjian.core.models import Membership, Person
from dangjian.transfers.models import Transfer

NUMBER = make_id_number("110105", date(1998, 5, 4), 31, female=False)


def post_in(client, world, **over):
    data = {
        "from_org_name": "中共某市某公司委员会",
        "letter_serial": "MS-2026-0088",
        "branch": world.cs_branch.pk,
        "name": "周转入",
        "id_number": NUMBER,
        "gender": "male",
        "ethnicity": "汉族",
        "person_type": "staff",
        "membership_type": "full",
        "joined_on": "2019-06-20",
        "full_on": "2020-06-20",
        "reason": "调入工作",
    }
    data.update(over)
    return client.post(reverse("transfers:record_in"), data)


def test_a_new_member_comes_in_with_original_dates(world, login, branch_secretary) -> None:
    response = post_in(login(branch_secretary), world)
    transfer = Transfer.objects.get(kind="in")
    assert response.url == reverse("transfers:detail", args=[transfer.pk])
    membership = Membership.objects.get(person__name="周转入")
    assert (membership.organization, membership.joined_on, membership.full_on) == (
        world.cs_branch,
        date(2019, 6, 20),
        date(2020, 6, 20),
    )
    receipt = login(branch_secretary).get(reverse("transfers:receipt_pdf", args=[transfer.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.content)).pages)
    assert "周转入" in text and "中共某市某公司委员会" in text and "计算机学院教工第一党支部" in text


def test_a_known_person_is_found_by_id_number_and_a_member_on_the_roll_is_refused(
    world, login, branch_secretary
) -> None:
    post_in(login(branch_secretary), world)
    page = post_in(login(branch_secretary), world, name="别名", letter_serial="MS-2026-0099")
    assert page.status_code == 200 and "已是本校在册党员" in page.content.decode()
    assert Person.objects.filter(name__in=["周转入", "别名"]).count() == 1


def test_only_branches_in_scope(world, login, outsider_organizer) -> None:
    page = post_in(login(outsider_organizer), world)
    assert page.status_code == 200 and not Transfer.objects.exists()


@pytest.mark.parametrize("user", ["member_user", "auditor"])
def test_people_without_transfer_rights_cannot_open_the_form(world, login, request, user) -> None:
    assert login(request.getfixturevalue(user)).get(reverse("transfers:record_in")).status_code == 404


def test_the_detail_page_offers_the_receipt(world, login, branch_secretary) -> None:
    post_in(login(branch_secretary), world)
    page = (
        login(branch_secretary)
        .get(reverse("transfers:detail", args=[Transfer.objects.get().pk]))
        .content.decode()
    )
    assert "打印回执" in page


def test_sending_side_steps_on_an_incoming_transfer_are_refused_not_errors(
    world, login, branch_secretary, school_admin
) -> None:
    from dangjian.accounts.services import api_token_create

    post_in(login(branch_secretary), world)
    transfer = Transfer.objects.get()
    _t, raw = api_token_create(user=school_admin)
    from django.test import Client

    api = Client(headers={"Authorization": f"Bearer {raw}"})
    for action, body in (
        ("approve", {}),
        ("complete", {"receipt_on": "2026-11-20"}),
        ("reject", {"reason": "x"}),
    ):
        response = api.post(
            f"/api/v1/transfers/{transfer.pk}/{action}",
            {"expected_status": "completed", **body},
            content_type="application/json",
        )
        assert response.status_code == 422, (action, response.status_code)


def test_the_receipt_opens_in_the_browser_under_its_file_name(world, login, branch_secretary) -> None:
    post_in(login(branch_secretary), world)
    transfer = Transfer.objects.get()
    receipt = login(branch_secretary).get(reverse("transfers:receipt_pdf", args=[transfer.pk]))
    assert receipt["Content-Type"] == "application/pdf" and receipt.content[:4] == b"%PDF"
    assert receipt["Content-Disposition"] == f'inline; filename="receipt-{transfer.pk}.pdf"'
