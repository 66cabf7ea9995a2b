"""The 安全管理员 sees lockouts and unlocks an account; nobody else may."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.roles import Role
from dangjian.audit.models import AuditEvent
from tests.factories import user_for


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def test_security_admin_unlocks_a_locked_member(world, login, member_user, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": "member", "password": "wrong"})
    security_admin = user_for(None, "secadmin", (Role.SECURITY_ADMIN, None))
    client = login(security_admin)
    page = client.get(reverse("accounts:security"))
    assert "member" in [a.username for a in page.context["attempts"]]
    assert 'name="expected_status" value="locked"' in page.content.decode()
    client.post(reverse("accounts:unlock"), {"username": "member", "expected_status": "locked"})
    assert AuditEvent.objects.filter(action="account.unlock", actor=security_admin).exists()
    response = Client().post(reverse("accounts:login"), {"username": "member", "password": "demo12345"})
    assert response.status_code == 302


def test_second_unlock_of_the_same_lockout_is_stale_and_not_audited_again(
    world, login, member_user, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": "member", "password": "wrong"})
    client = login(user_for(None, "secadmin", (Role.SECURITY_ADMIN, None)))
    data = {"username": "member", "expected_status": "locked"}
    client.post(reverse("accounts:unlock"), data)
    again = client.post(reverse("accounts:unlock"), data, follow=True)
    assert "已由他人处理" in again.content.decode()
    assert AuditEvent.objects.filter(action="account.unlock").count() == 1


def test_unlock_without_the_state_the_page_showed_is_refused(world, login, member_user, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": "member", "password": "wrong"})
    client = login(user_for(None, "secadmin", (Role.SECURITY_ADMIN, None)))
    client.post(reverse("accounts:unlock"), {"username": "member"})
    assert not AuditEvent.objects.filter(action="account.unlock").exists()


def test_others_cannot_unlock(world, login, school_admin, auditor) -> None:
    for user in (school_admin, auditor):
        assert login(user).post(reverse("accounts:unlock"), {"username": "member"}).status_code == 404
    assert not AuditEvent.objects.filter(action="account.unlock").exists()
