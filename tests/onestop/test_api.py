"""The API: a member submits (Chinese errors for bad input and a foreign organization) and lists their own
requests and those they handle."""

from __future__ import annotations

from dangjian.onestop.models import Request
from dangjian.onestop.rules import RequestKind as K
from tests import factories as f
from tests.onestop.conftest import LEAVE, submit

URL = "/api/v1/services/requests"


def test_a_member_submits_through_the_api(world, member_user, login):
    response = login(member_user).post(
        URL, {"kind": "long_leave", "details": LEAVE}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind_label"] == "长期请假（组织生活）"
    assert body["handling_org_id"] == world.cs_branch.pk
    assert body["status"] == "submitted" and body["due_on"] == "2026-12-07"


def test_bad_details_answer_a_chinese_error_naming_the_field(world, member_user, login):
    response = login(member_user).post(
        URL, {"kind": "proof_membership", "details": {}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"purpose": "请填写用途。"}
    assert not Request.objects.exists()


def test_an_organization_outside_ones_line_is_refused(world, member_user, login):
    response = login(member_user).post(
        URL,
        {"kind": "proof_membership", "details": {"purpose": "签证"}, "organization_id": world.fl.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "not_in_line"
    assert "隶属关系线" in response.json()["message"]
    assert not Request.objects.exists()


def test_an_account_without_a_person_cannot_submit(world, outsider_organizer, login):
    response = login(outsider_organizer).post(
        URL, {"kind": "long_leave", "details": LEAVE}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_list_holds_own_and_handled_requests_only(
    world, branch_secretary, member_user, outsider_organizer, login
):
    own = submit(world.secretary, K.PROOF_RELATION)
    handled = submit(world.member)
    elsewhere = submit(world.fl_member)
    ids = {r["id"] for r in login(branch_secretary).get(URL).json()["items"]}
    assert ids == {own.pk, handled.pk}
    member_ids = {r["id"] for r in login(member_user).get(URL).json()["items"]}
    assert member_ids == {handled.pk}
    outsider_ids = {r["id"] for r in login(outsider_organizer).get(URL).json()["items"]}
    assert outsider_ids == {elsewhere.pk}


def test_the_list_refuses_an_account_with_neither_person_nor_role(world, auditor, login):
    assert login(auditor).get(URL).status_code == 404


def test_the_list_is_paginated(world, branch_secretary, login):
    for i in range(3):
        submit(f.member(world.cs_branch, f"成员{i}"))
    body = login(branch_secretary).get(URL, {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2


def test_a_retried_post_with_the_same_key_makes_one_request(world, member_user, login):
    body = {"kind": "long_leave", "details": LEAVE, "idempotency_key": "k-20261130-1"}
    first = login(member_user).post(URL, body, content_type="application/json")
    again = login(member_user).post(URL, body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Request.objects.count() == 1
    # Another person's request cannot be fetched by guessing its key.
    other = login(f.user_for(world.fl_member, "fl_member")).post(URL, body, content_type="application/json")
    assert other.status_code == 422 and Request.objects.count() == 1
