"""The 我的 page: own profile; personal API tokens (created once, listed, revocable by the owner only)."""

from __future__ import annotations

from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.accounts.services import api_token_create
from dangjian.audit.models import AuditEvent


def test_member_sees_own_profile_and_membership(login, member_user, world) -> None:
    page = login(member_user).get(reverse("accounts:me")).content.decode()
    assert "李晓红" in page
    assert world.cs_branch.name in page


def test_member_reads_own_record_but_not_a_colleagues(login, member_user, world) -> None:
    client = login(member_user)
    assert client.get(reverse("core:person_detail", args=[world.member.pk])).status_code == 200
    assert client.get(reverse("core:person_detail", args=[world.secretary.pk])).status_code == 404
    assert client.get(reverse("core:person_list")).status_code == 404
    assert client.get(reverse("core:org_tree")).status_code == 404


def test_token_is_shown_once_and_stored_hashed(login, college_organizer) -> None:
    response = login(college_organizer).post(reverse("accounts:me"), {"name": "对接系统"})
    raw = response.context["new_token"]
    token = ApiToken.objects.get(user=college_organizer)
    assert raw.startswith("dj_") and raw not in token.token_hash
    assert AuditEvent.objects.filter(action="account.token_create").exists()


def test_members_and_secretaries_are_not_offered_api_tokens(login, member_user, branch_secretary) -> None:
    for user in (member_user, branch_secretary):
        client = login(user)
        assert "API 访问令牌" not in client.get(reverse("accounts:me")).content.decode()
        assert client.post(reverse("accounts:me"), {"name": "手机"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_member_who_holds_a_token_still_sees_and_revokes_it(login, member_user) -> None:
    api_token_create(user=member_user)
    assert "API 访问令牌" in login(member_user).get(reverse("accounts:me")).content.decode()


def test_owner_revokes_token_but_others_get_404(login, member_user, branch_secretary) -> None:
    token, _raw = api_token_create(user=member_user)
    assert login(branch_secretary).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    login(member_user).post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_twice_is_idempotent_with_one_audit_event(login, member_user) -> None:
    """A double-click on 吊销 ends in the state asked for; no stale refusal, no second event."""
    token, _raw = api_token_create(user=member_user)
    client = login(member_user)
    for _ in range(2):
        assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert AuditEvent.objects.filter(action="account.token_revoke").count() == 1
