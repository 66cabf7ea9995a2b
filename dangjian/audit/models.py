"""AuditEvent: an append-only record of every change of state (who, what, when, before/after).

Each event is a link of a hash chain (``dangjian/audit/chain.py``): one chain per day and per college
(``chain_key``), so writers in different colleges never wait for each other. ``AuditChainHead`` holds the
last link of each chain (the row a writer locks); ``AuditPurge`` records the days the retention purge
removed, so verification does not mistake them for deleted events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # Set in Python before hashing (the hash covers it), never by the database.
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    org_path = models.CharField(max_length=255, blank=True)
    org_name = models.CharField(_("党组织"), max_length=120, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.CharField(max_length=40, blank=True)
    # The hash chain: (chain_day, chain_key) names the chain, seq the position in it (from 1).
    chain_day = models.DateField(null=True, editable=False)
    chain_key = models.CharField(max_length=40, blank=True, editable=False)
    seq = models.PositiveBigIntegerField(null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["org_path"], name="audit_org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain_day", "chain_key", "seq"], name="audit_chain_position")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class AuditChainHead(models.Model):
    """The last link of one chain: a writer locks this row (and only this one) to append."""

    day = models.DateField()
    key = models.CharField(max_length=40, blank=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="audit_chain_head_unique")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}/{self.key or '-'} #{self.last_seq}"


class AuditPurge(models.Model):
    """The retention purge's watermark: every chain of a day before ``before`` was removed on purpose."""

    before = models.DateField(_("清理截止日期"))
    events = models.PositiveIntegerField(_("清理事件数"))
    purged_at = models.DateTimeField(_("清理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审计日志清理记录")
        verbose_name_plural = _("审计日志清理记录")
        ordering = ["-before"]

    def __str__(self) -> str:
        return f"< {self.before:%Y-%m-%d} ({self.events})"
