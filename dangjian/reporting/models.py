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


class PersonFact(models.Model):
    """What one person counts for in a snapshot: their state at its date (``*_close``) and at the end
    of the year before (``*_open``), classified once. Every people figure is a filter over these rows
    (``definitions``), so a cell's explanation lists exactly the people it counted. Kept for year-end
    snapshots and the latest daily one."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "core.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    org_close = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    org_open = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    member_close = models.BooleanField(default=False)  # a member on the roll at the snapshot's date
    member_open = models.BooleanField(default=False)  # … at the end of the year before
    status_close = models.CharField(max_length=20, blank=True)  # political status at the date
    gender = models.CharField(max_length=10, blank=True)
    minority = models.BooleanField(default=False)
    education = models.CharField(max_length=20, blank=True)  # "unknown" when not recorded
    age = models.SmallIntegerField(null=True)
    age_band = models.CharField(max_length=12, blank=True)
    party_age = models.CharField(
        max_length=24, blank=True
    )  # a party-age band key, or "partyage_probationary"
    occupation = models.CharField(max_length=20, blank=True)
    new = models.BooleanField(default=False)  # admitted (入党) in the year
    in_kind = models.CharField(max_length=20, blank=True)  # why they are on org_close's roll and were not
    out_kind = models.CharField(max_length=20, blank=True)  # why they left org_open's roll
    probation = models.CharField(max_length=20, blank=True)  # full / extended / cancelled in the year
    joined_under_age = models.BooleanField(default=False)
    full_before_joined = models.BooleanField(default=False)
    probation_overdue = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "org_close"], name="reporting_fact_close"),
            models.Index(fields=["snapshot", "org_open"], name="reporting_fact_open"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.person_id}"


class OrgFact(models.Model):
    """One organization existing at the snapshot's date, with its term facts: the organization figures
    are filters over these rows."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=20)
    category = models.CharField(max_length=20, blank=True)
    term_due = models.BooleanField(default=False)  # its term ended within the year (renewed or not)
    term_on_time = models.BooleanField(default=False)  # a new term started in the year, by the old one's end
    term_overdue = models.BooleanField(default=False)  # at the date its term has ended and not been renewed

    class Meta:
        indexes = [models.Index(fields=["snapshot", "organization"], name="reporting_orgfact_snap_org")]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.organization_id}"
