"""Password rules: the stricter rule and the expiry for administrative roles, and no reuse of the
current password. Pure checks on values plus the two Django password validators that apply them."""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import ADMIN_ROLES
from dangjian.accounts.scope import resolve_scope

# At least three of the four classes [等保 2.0 practice: 口令应有复杂度要求].
MIN_CHARACTER_CLASSES = 3


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or c.isspace() for c in password),
        )
    )


def password_expired(changed_at: datetime, *, now: datetime, max_age_days: int) -> bool:
    return max_age_days > 0 and now - changed_at > timedelta(days=max_age_days)


def admin_rules_apply() -> bool:
    return bool(settings.ADMIN_PASSWORD_RULES)


def holds_admin_role(user: Any) -> bool:
    return bool(user is not None and user.pk and resolve_scope(user).roles & ADMIN_ROLES)


def admin_password_expired(user: Any) -> bool:
    """An administrator's password older than ADMIN_PASSWORD_MAX_AGE_DAYS must be changed."""
    if not admin_rules_apply() or not user.has_usable_password():
        return False  # an SSO-only account has no password to age
    changed_at = user.password_changed_at or user.date_joined
    max_age = settings.ADMIN_PASSWORD_MAX_AGE_DAYS
    if not password_expired(changed_at, now=timezone.now(), max_age_days=max_age):
        return False
    return holds_admin_role(user)


class AdminPasswordValidator:
    """For a user holding an administrative role: ADMIN_PASSWORD_MIN_LENGTH characters of three classes."""

    def validate(self, password: str, user: Any = None) -> None:
        if not admin_rules_apply() or not holds_admin_role(user):
            return
        length = settings.ADMIN_PASSWORD_MIN_LENGTH
        if len(password) < length or character_classes(password) < MIN_CHARACTER_CLASSES:
            raise ValidationError(self._message(length), code="admin_password_weak")

    def get_help_text(self) -> str:
        return self._message(settings.ADMIN_PASSWORD_MIN_LENGTH)

    @staticmethod
    def _message(length: int) -> str:
        return _("管理员账号的密码至少 %(n)d 位，并包含大写字母、小写字母、数字、符号中的至少三类。") % {
            "n": length
        }


class NotCurrentPasswordValidator:
    """A new password must differ from the one it replaces."""

    def validate(self, password: str, user: Any = None) -> None:
        current = getattr(user, "password", "")
        if current and user.has_usable_password() and check_password(password, current):
            raise ValidationError(_("新密码不能与当前密码相同。"), code="password_reused")

    def get_help_text(self) -> str:
        return _("新密码不能与当前密码相同。")
