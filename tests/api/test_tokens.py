"""Personal API tokens: expiry, read-only scope, last use, revocation; the token page."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.accounts.services import api_token_create, api_token_revoke
from dangjian.audit.models import AuditEvent


def _get(raw: str, path: str = "/api/v1/me"):
    return Client().get(path, headers={"Authorization": f"Bearer {raw}"}, REMOTE_ADDR="10.1.2.3")


def test_an_expired_token_answers_401_saying_so(college_organizer) -> None:
    _token, raw = api_token_create(user=college_organizer, days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        response = _get(raw)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired" and "已于" in response.json()["message"]


def test_a_revoked_token_answers_401(college_organizer) -> None:
    token, raw = api_token_create(user=college_organizer)
    api_token_revoke(user=college_organizer, token=token)
    assert _get(raw).status_code == 401


def test_a_read_only_token_reads_but_may_not_write(college_organizer, world) -> None:
    _token, raw = api_token_create(user=college_organizer, read_only=True)
    assert _get(raw).status_code == 200
    response = Client().post(
        "/api/v1/members", {}, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert response.json()["message"] == "只读令牌不能修改数据。"


def test_a_full_token_may_write(college_organizer, world) -> None:
    _token, raw = api_token_create(user=college_organizer)
    response = Client().post(
        "/api/v1/members", {}, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 422  # past the token, to the validation of the empty body


def test_last_use_is_recorded_at_most_once_a_minute(college_organizer) -> None:
    token, raw = api_token_create(user=college_organizer)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _get(raw)
        token.refresh_from_db()
        assert token.last_used_at == start and token.last_used_ip == "10.1.2.3"
        clock.shift(timedelta(seconds=30))
        _get(raw)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.shift(timedelta(seconds=31))
        _get(raw)
        token.refresh_from_db()
        assert token.last_used_at == start + timedelta(seconds=61)


def test_no_token_lives_longer_than_the_maximum(college_organizer, settings) -> None:
    settings.API_TOKEN_MAX_DAYS = 180
    token, _raw = api_token_create(user=college_organizer, days=365)
    assert token.expires_at - token.created_at < timedelta(days=181)


def test_the_token_page_creates_read_only_tokens_with_a_chosen_lifetime(login, college_organizer) -> None:
    client = login(college_organizer)
    response = client.post(reverse("accounts:me"), {"name": "报表", "days": "30", "read_only": "on"})
    token = ApiToken.objects.get(user=college_organizer)
    assert token.read_only and timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    event = AuditEvent.objects.get(action="account.token_create")
    assert event.changes["days"] == 30 and event.changes["read_only"] is True
    _get(response.context["new_token"])
    page = client.get(reverse("accounts:me")).content.decode()
    assert (
        "只读" in page
        and timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page
        and "10.1.2.3" in page
    )


def test_the_token_page_offers_no_lifetime_beyond_the_maximum(login, college_organizer, settings) -> None:
    settings.API_TOKEN_MAX_DAYS = 90
    client = login(college_organizer)
    page = client.get(reverse("accounts:me")).content.decode()
    assert '<option value="90"' in page and '<option value="365"' not in page
    assert client.post(reverse("accounts:me"), {"name": "x", "days": "365"}).status_code == 200
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_from_the_page(login, college_organizer) -> None:
    token, raw = api_token_create(user=college_organizer)
    login(college_organizer).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert _get(raw).status_code == 401
    assert AuditEvent.objects.filter(action="account.token_revoke").exists()
