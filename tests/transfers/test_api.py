"""/api/v1/transfers: start, the steps by each side, 404 outside the scope, 422 in Chinese, the PDF."""

from __future__ import annotations

import pytest
from django.test import Client

from dangjian.accounts.services import api_token_create
from dangjian.transfers.models import Transfer


def client_for(user) -> Client:
    _token, raw = api_token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def step(client: Client, tid: int, action: str, seen: str, **body):
    """A step as an app sends it: with the status it last read."""
    return client.post(
        f"/api/v1/transfers/{tid}/{action}",
        {"expected_status": seen, **body},
        content_type="application/json",
    )


def test_in_school_transfer_through_the_api(
    world, member_user, branch_secretary, college_organizer, fl_organizer
) -> None:
    started = client_for(member_user).post(
        "/api/v1/transfers",
        {"person_id": world.member.pk, "kind": "in_school", "reason": "调动", "to_college_id": world.fl.pk},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    tid = started.json()["id"]
    assert (
        step(client_for(branch_secretary), tid, "approve", "requested").json()["status"] == "branch_approved"
    )
    assert (
        step(client_for(college_organizer), tid, "approve", "branch_approved").json()["status"]
        == "college_approved"
    )
    wrong_side = step(
        client_for(college_organizer), tid, "accept", "college_approved", branch_id=world.fl_branch.pk
    )
    assert wrong_side.status_code == 422 and "接收方" in wrong_side.json()["message"]
    done = step(client_for(fl_organizer), tid, "accept", "college_approved", branch_id=world.fl_branch.pk)
    assert done.json()["status"] == "completed" and done.json()["to_org_id"] == world.fl_branch.pk


def test_outsiders_get_404_and_bad_input_422(world, member_user, outsider_organizer) -> None:
    started = client_for(member_user).post(
        "/api/v1/transfers",
        {"person_id": world.member.pk, "kind": "out_national", "reason": "x", "external_org": "某单位"},
        content_type="application/json",
    )
    tid = started.json()["id"]
    outsider = client_for(outsider_organizer)
    assert outsider.get(f"/api/v1/transfers/{tid}").status_code == 404
    assert step(outsider, tid, "approve", "requested").status_code == 404
    assert (
        outsider.post(
            "/api/v1/transfers",
            {"person_id": world.member.pk, "kind": "out_national", "reason": "x", "external_org": "y"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider.get("/api/v1/transfers").json()["count"] == 0
    bad = client_for(member_user).post(
        "/api/v1/transfers",
        {"person_id": world.member.pk, "kind": "moon", "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["fields"]
    assert Transfer.objects.count() == 1


@pytest.mark.django_db
def test_letter_pdf_through_the_api(world, branch_secretary, college_organizer) -> None:
    c = client_for(branch_secretary)
    tid = c.post(
        "/api/v1/transfers",
        {
            "person_id": world.member.pk,
            "kind": "out_province",
            "reason": "x",
            "external_org": "省内某单位党支部",
        },
        content_type="application/json",
    ).json()["id"]
    assert (
        c.get(f"/api/v1/transfers/{tid}/letter.pdf").status_code == 404
    )  # no letter before the college approves
    step(c, tid, "approve", "requested")
    step(client_for(college_organizer), tid, "approve", "branch_approved")
    response = client_for(college_organizer).get(f"/api/v1/transfers/{tid}/letter.pdf")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def test_receipt_scan_upload_through_the_api(
    world, branch_secretary, college_organizer, outsider_organizer
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(branch_secretary)
    tid = c.post(
        "/api/v1/transfers",
        {"person_id": world.member.pk, "kind": "out_national", "reason": "x", "external_org": "某单位党委"},
        content_type="application/json",
    ).json()["id"]
    step(c, tid, "approve", "requested")
    college = client_for(college_organizer)
    step(college, tid, "approve", "branch_approved")
    url = f"/api/v1/transfers/{tid}/receipt-scan"
    seen = {"expected_status": "college_approved"}
    assert (
        client_for(outsider_organizer)
        .post(url, {"scan": SimpleUploadedFile("r.pdf", b"%PDF-1.4"), **seen})
        .status_code
        == 404
    )
    bad = college.post(url, {"scan": SimpleUploadedFile("r.exe", b"MZ"), **seen})
    assert bad.status_code == 422 and "PDF" in bad.json()["message"]
    assert college.post(url, {"scan": SimpleUploadedFile("r.pdf", b"%PDF-1.4"), **seen}).status_code == 200
    assert Transfer.objects.get(pk=tid).receipt_scan.name.endswith(".pdf")


def test_withdraw_through_the_api_is_404_for_an_outsider_and_audited_for_the_requester(
    world, member_user, outsider_organizer
) -> None:
    from dangjian.audit.models import AuditEvent

    tid = (
        client_for(member_user)
        .post(
            "/api/v1/transfers",
            {
                "person_id": world.member.pk,
                "kind": "out_national",
                "reason": "x",
                "external_org": "某单位党委",
            },
            content_type="application/json",
        )
        .json()["id"]
    )
    assert step(client_for(outsider_organizer), tid, "withdraw", "requested").status_code == 404
    assert Transfer.objects.get(pk=tid).status == "requested"
    assert not AuditEvent.objects.filter(action="transfer.withdraw").exists()
    done = step(client_for(member_user), tid, "withdraw", "requested")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    event = AuditEvent.objects.get(action="transfer.withdraw")
    assert event.actor == member_user and event.target_id == str(tid)
    assert event.changes["status"] == {"before": "requested", "after": "withdrawn"}
