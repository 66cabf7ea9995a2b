"""Statistics snapshots: every figure of the 党内统计 (``figures.FIGURES``) per organization as of a date.

One ``Snapshot`` per date; one ``OrgFigures`` row per organization holding its figures twice: ``direct``
(the people whose branch or organization it is) and ``subtree`` (itself and everything under it, summed
when the snapshot was computed). A root's statistics are therefore one row, like a branch's. Only
non-zero figures are stored; a missing key is 0."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization


class SnapshotKind(models.TextChoices):
    YEAR_END = "year_end", _("年终(12月31日)")
    DAILY = "daily", _("每日")


class SnapshotStatus(models.TextChoices):
    COMPUTING = "computing", _("计算中")
    READY = "ready", _("已完成")
    FAILED = "failed", _("失败")


class Snapshot(models.Model):
    on = models.DateField(_("统计时点"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=SnapshotKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.COMPUTING
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    people = models.IntegerField(_("计入人数"), default=0)
    organizations = models.IntegerField(_("组织数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        ordering = ["-on"]

    def __str__(self) -> str:
        return self.on.isoformat()


class OrgFigures(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    direct = models.JSONField(default=dict)
    subtree = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("组织统计数")
        verbose_name_plural = _("组织统计数")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "organization"], name="reporting_figures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.organization_id}"
