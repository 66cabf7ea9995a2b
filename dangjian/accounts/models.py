"""Accounts: the custom User, role assignments and personal API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Role


class User(AbstractUser):
    """username is the staff or student number; linked to a Person (system accounts may have none)."""

    person = models.OneToOneField(
        "core.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
    )
    guide_dismissed_at = models.DateTimeField(_("关闭新手指引时间"), null=True, blank=True)
    # When the password was last set; empty for accounts made before (their date_joined counts).
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Versions of what the pages cache per user (ADR 0004), read with this row on every request so a
    # change made by any process is seen by all at once: ``scope_version`` is bumped by every write
    # the resolved scope depends on (``accounts.scope.scope_changed``), ``notice_version`` by every
    # notification created or read (``workbench.services``).
    scope_version = models.PositiveIntegerField(default=0, editable=False)
    notice_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.name  # type: ignore[union-attr]
        return self.get_full_name() or self.username

    def set_password(self, raw_password: str | None) -> None:
        # Every way a password is set (the change page, a reset link, the admin, create_user) passes
        # here, so the age of the password for the expiry rule is stamped once, in one place.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("管理范围"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("该角色管理的党组织(含下级)；系统类角色可为空。"),
    )
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="accounts_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.organization or ''}"


class ApiToken(models.Model):
    """A personal access token; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60, default="API")
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用 IP"), null=True, blank=True)
    # A read-only token may only read (GET, HEAD, OPTIONS): for reporting tools and dashboards.
    read_only = models.BooleanField(_("只读"), default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
