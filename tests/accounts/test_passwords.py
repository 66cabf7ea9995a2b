"""Password rules for administrative roles (length, character classes, expiry), no reuse, 修改密码."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.password_rules import character_classes, password_expired
from dangjian.audit.models import AuditEvent

STRONG = "Dangjian-2026x"


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", 1),
        ("abcdEFGH", 2),
        ("abcdEF12", 3),
        ("abcdEF12!", 4),
        ("12345678 ab", 3),
        ("党建党建党建", 0),
    ],
)
def test_character_classes_count_upper_lower_digit_symbol(password: str, classes: int) -> None:
    assert character_classes(password) == classes


@pytest.mark.parametrize(("age_days", "expired"), [(89, False), (90, False), (91, True)])
def test_a_password_expires_after_its_maximum_age(age_days: int, expired: bool) -> None:
    now = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.get_current_timezone())
    assert password_expired(now - timedelta(days=age_days), now=now, max_age_days=90) is expired


def test_no_maximum_age_means_no_expiry() -> None:
    now = timezone.now()
    assert not password_expired(now - timedelta(days=5000), now=now, max_age_days=0)


@pytest.mark.parametrize("weak", ["Short-1a", "alllowercaseletters", "ALLUPPER12345"])
def test_an_administrator_needs_a_long_password_of_three_classes(school_admin, weak: str) -> None:
    with pytest.raises(ValidationError, match="至少 12 位"):
        validate_password(weak, school_admin)
    validate_password(STRONG, school_admin)


def test_a_member_keeps_the_ordinary_rule(member_user) -> None:
    validate_password("lotus-pond", member_user)


def test_the_admin_rule_follows_its_settings(school_admin, settings) -> None:
    settings.ADMIN_PASSWORD_MIN_LENGTH = 16
    with pytest.raises(ValidationError, match="至少 16 位"):
        validate_password(STRONG, school_admin)
    settings.ADMIN_PASSWORD_RULES = False
    validate_password("lotus-pond", school_admin)


def test_the_current_password_cannot_be_reused(member_user) -> None:
    with pytest.raises(ValidationError, match="不能与当前密码相同"):
        validate_password("demo12345", member_user)


def _change(client: Client, old: str, new: str):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_changing_the_password_is_stamped_audited_and_keeps_the_session(login, school_admin) -> None:
    client = login(school_admin)
    before = timezone.now()
    response = _change(client, "demo12345", STRONG)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:me")
    school_admin.refresh_from_db()
    assert school_admin.check_password(STRONG)
    assert school_admin.password_changed_at >= before
    assert client.get(reverse("accounts:me")).status_code == 200
    assert AuditEvent.objects.filter(
        action="account.password_change", target_id=str(school_admin.pk)
    ).exists()


def test_the_change_page_refuses_a_weak_admin_password_in_chinese(login, college_organizer) -> None:
    response = _change(login(college_organizer), "demo12345", "demo54321")
    assert response.status_code == 200
    assert "大写字母、小写字母、数字、符号中的至少三类" in response.content.decode()


def test_an_expired_admin_password_must_be_changed_before_anything_else(login, school_admin) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        client = login(school_admin)
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
        page = client.get(reverse("accounts:password_change")).content.decode()
        assert "已超过规定的使用期限" in page
        _change(client, "demo12345", STRONG)
        assert client.get(reverse("web:home")).status_code == 200
        assert AuditEvent.objects.filter(action="account.password_change", changes__by="expired").exists()


def test_members_are_not_forced_to_change_an_old_password(login, member_user) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        assert login(member_user).get(reverse("web:home")).status_code == 200


def test_expiry_is_off_with_the_admin_rules_off(login, school_admin, settings) -> None:
    settings.ADMIN_PASSWORD_RULES = False
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        assert login(school_admin).get(reverse("web:home")).status_code == 200
