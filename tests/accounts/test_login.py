"""Login, lockout (django-axes), TOTP for administrative roles, logout, session security."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_member_logs_in_with_staff_number_and_password(member_user) -> None:
    client = Client()
    response = _login(client, "member", "demo12345")
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_wrong_password_shows_chinese_error(member_user) -> None:
    response = _login(Client(), "member", "wrong-password")
    assert response.status_code == 200
    assert "工号/学号或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(member_user, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(5):
        _login(client, "member", "wrong-password")
    response = _login(client, "member", "demo12345")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_anonymous_is_sent_to_login(db) -> None:
    response = Client().get(reverse("core:org_tree"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_logout_needs_post_and_ends_session(login, member_user) -> None:
    client = login(member_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.otp
def test_admin_role_must_enrol_totp_before_using_the_site(settings, college_organizer) -> None:
    settings.OTP_REQUIRED_FOR_ADMIN_ROLES = True
    client = Client()
    _login(client, "college_organizer", "demo12345")
    response = client.get(reverse("core:org_tree"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp")
    page = client.get(reverse("accounts:otp"))
    assert "<svg" in page.content.decode()  # enrolment QR code
    device = TOTPDevice.objects.get(user=college_organizer)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:otp"), {"code": code}).status_code == 302
    assert client.get(reverse("core:org_tree")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="account.totp_enrol").exists()


@pytest.mark.otp
def test_plain_member_is_not_asked_for_totp(settings, member_user) -> None:
    settings.OTP_REQUIRED_FOR_ADMIN_ROLES = True
    client = Client()
    _login(client, "member", "demo12345")
    assert client.get(reverse("web:home")).status_code == 200


def test_login_redirect_ignores_foreign_next(member_user) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "member", "password": "demo12345", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


@pytest.mark.otp
def test_wrong_totp_code_is_refused_with_a_chinese_message(settings, college_organizer) -> None:
    settings.OTP_REQUIRED_FOR_ADMIN_ROLES = True
    client = Client()
    _login(client, "college_organizer", "demo12345")
    client.get(reverse("accounts:otp"))
    device = TOTPDevice.objects.get(user=college_organizer)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(reverse("accounts:otp"), {"code": wrong})
    assert "验证码不正确" in response.content.decode()
    assert client.get(reverse("core:org_tree")).status_code == 302
