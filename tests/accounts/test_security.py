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
    client.post(reverse("accounts:unlock"), {"username": "member"})
    assert AuditEvent.objects.filter(action="account.unlock", actor=security_admin).exists()
    response = Client().post(reverse("accounts:login"), {"username": "member", "password": "demo12345"})
    assert response.status_code == 302


def test_others_cannot_unlock(world, login, school_admin, auditor) -> None:
    for user in (school_admin, auditor):
        assert login(user).post(reverse("accounts:unlock"), {"username": "member"}).status_code == 404
    assert not AuditEvent.objects.filter(action="account.unlock").exists()
