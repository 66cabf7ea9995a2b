"""The JSON API: token auth, scoped lists and 404 for out-of-scope ids, Chinese error bodies."""

from __future__ import annotations

import pytest
from django.test import Client

from dangjian.accounts.services import api_token_create, api_token_revoke


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def _bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_endpoint_exchanges_password_for_token(member_user) -> None:
    response = Client().post(
        "/api/v1/auth/token", {"username": "member", "password": "demo12345"}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["username"] == "member"


def test_token_endpoint_refuses_bad_password_in_chinese(member_user) -> None:
    response = Client().post(
        "/api/v1/auth/token", {"username": "member", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert "密码" in response.json()["message"]


def test_no_credentials_is_401_with_code(db) -> None:
    response = Client().get("/api/v1/orgs")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_org_list_is_scoped_and_paginated(world, college_organizer) -> None:
    response = Client().get("/api/v1/orgs", **_bearer(college_organizer))
    body = response.json()
    codes = {o["code"] for o in body["items"]}
    assert "CS-T1" in codes and "FL-T1" not in codes and "SCHOOL" not in codes
    assert body["count"] == len(codes)


def test_out_of_scope_org_and_person_are_404(world, outsider_organizer) -> None:
    headers = _bearer(outsider_organizer)
    assert Client().get(f"/api/v1/orgs/{world.cs_branch.pk}", **headers).status_code == 404
    assert Client().get(f"/api/v1/people/{world.member.pk}", **headers).status_code == 404
    assert Client().get(f"/api/v1/orgs/{world.fl_branch.pk}", **headers).status_code == 200


def test_people_search_by_pinyin_initials(world, school_admin) -> None:
    body = Client().get("/api/v1/people?q=lxh", **_bearer(school_admin)).json()
    assert [p["name"] for p in body["items"]] == ["李晓红"]
    assert "*" in body["items"][0]["id_number_masked"]


def test_rule_checks_endpoint(world, school_admin) -> None:
    body = Client().get(f"/api/v1/orgs/{world.cs_branch2.pk}/rule-checks", **_bearer(school_admin)).json()
    assert "branch_too_few_full_members" in {c["code"] for c in body}


def test_revoked_token_is_refused(member_user) -> None:
    token, raw = api_token_create(user=member_user)
    api_token_revoke(user=member_user, token=token)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_openapi_schema_is_served(db) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/orgs" in response.json()["paths"]


def test_session_user_can_read_the_api(login, member_user) -> None:
    assert login(member_user).get("/api/v1/me").json()["username"] == "member"


@pytest.mark.otp
def test_admin_token_needs_totp_when_enforced(settings, college_organizer) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED_FOR_ADMIN_ROLES = True
    url = "/api/v1/auth/token"
    body = {"username": "college_organizer", "password": "demo12345"}
    assert Client().post(url, body, content_type="application/json").status_code == 401
    device = TOTPDevice.objects.create(user=college_organizer, name="default", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = Client().post(url, {**body, "otp": code}, content_type="application/json")
    assert response.status_code == 200


@pytest.mark.otp
def test_admin_session_without_totp_cannot_use_the_api(
    settings, login, college_organizer, member_user
) -> None:
    settings.OTP_REQUIRED_FOR_ADMIN_ROLES = True
    assert login(college_organizer).get("/api/v1/orgs").status_code == 401
    assert login(member_user).get("/api/v1/me").status_code == 200
