"""Writes of the accounts module: role assignments, TOTP devices, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian import audit
from dangjian.accounts.models import ApiToken, RoleAssignment, User
from dangjian.accounts.scope import scope_changed
from dangjian.kit.errors import DomainError
from dangjian.kit.transitions import expect_state

TOKEN_DAYS = 90


def role_assign(*, actor: Any, user: User, role: str, organization: Any = None) -> RoleAssignment:
    with transaction.atomic():
        ra, created = RoleAssignment.objects.get_or_create(user=user, role=role, organization=organization)
        if created:
            scope_changed(user_ids=[user.pk])
            audit.record(
                actor=actor,
                action="role.assign",
                target=ra,
                org=organization,
                changes={"user": user.username, "role": role},
            )
    return ra


def totp_device_for(user: User) -> TOTPDevice:
    """The user's unconfirmed device for enrolment (created once), or their confirmed one."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def totp_confirm(*, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=user, action="account.totp_enrol", target=user, changes={"confirmed": True})


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str = "API", days: int = TOKEN_DAYS, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Create a personal access token; the raw value is returned once and stored only as a hash."""
    days = max(1, min(days, settings.API_TOKEN_MAX_DAYS))
    raw = "dj_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:60] or "API",
            prefix=raw[:10],
            token_hash=token_hash(raw),
            expires_at=timezone.now() + timedelta(days=days),
            read_only=read_only,
        )
        audit.record(
            actor=user,
            action="account.token_create",
            target=token,
            changes={"name": token.name, "days": days, "read_only": read_only},
        )
    return token, raw


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke the user's own token. Idempotent on purpose (no expected state): revoking twice — a
    double-click, a retry — leaves the same revoked token and one audit event, and the user asked
    for exactly that end state."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor=user, action="account.token_revoke", target=token, changes={"name": token.name}
            )
    return token


class TokenExpired(DomainError):
    code = "token_expired"
    status = 401


class ReadOnlyToken(DomainError):
    code = "read_only_token"
    status = 403


# Methods that only read: all a read-only token may use.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# "Last used" needs minutes, not milliseconds: at most one write per token a minute, not one per request.
LAST_USED_EVERY = timedelta(minutes=1)


def api_token_user(raw: str, *, method: str = "GET", ip: str | None = None) -> User | None:
    """The user a bearer token acts for, or None (unknown, revoked, inactive user). An expired token,
    or a read-only token asked to change something, raises with a message saying so."""
    token = ApiToken.objects.select_related("user__person").filter(token_hash=token_hash(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        message = _("访问令牌已于 %(d)s 过期，请在“我的”页面创建新令牌。")
        raise TokenExpired(message % {"d": _local(token.expires_at)})
    if token.read_only and method.upper() not in SAFE_METHODS:
        raise ReadOnlyToken(_("只读令牌不能修改数据。"))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip or None)
    return token.user


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def locked_attempts() -> QuerySet[AccessAttempt]:
    """Login lockouts in force (django-axes): enough failures within the cool-off."""
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def account_unlock(*, actor: Any, username: str, expected_status: str | None = None) -> int:
    """Lift a login lockout. ``expected_status`` is what the security page showed ("locked"): an
    account already unlocked (by a colleague, or the cool-off) is stale, not unlocked and audited again."""
    with transaction.atomic():
        rows = list(
            AccessAttempt.objects.select_for_update().filter(username=username).values_list("pk", flat=True)
        )
        state = "locked" if locked_attempts().filter(pk__in=rows).exists() else "unlocked"
        expect_state(state, expected_status)
        removed = reset(username=username)
        audit.record(actor=actor, action="account.unlock", changes={"username": username, "records": removed})
    return removed


def password_change(*, user: User, new_password: str, expired: bool = False) -> None:
    """Set the user's own password (already validated by the form); audited without the password."""
    with transaction.atomic():
        user.set_password(new_password)  # stamps password_changed_at
        user.save(update_fields=["password", "password_changed_at"])
        audit.record(
            actor=user,
            action="account.password_change",
            target=user,
            changes={"by": "expired" if expired else "self"},
        )


def guide_dismiss(*, user: User) -> None:
    """The first-visit guide on the 工作台 is closed for good; a second click changes nothing."""
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, guide_dismissed_at__isnull=True).update(
            guide_dismissed_at=timezone.now()
        )
        if updated:
            audit.record(
                actor=user, action="account.guide_dismiss", target=user, changes={"guide": "dismissed"}
            )
