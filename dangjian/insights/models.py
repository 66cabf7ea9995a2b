"""评价与预警: indicator values and index scores per organization and period, the index schemes
(versioned by the date they take effect), and the one model of warnings every module contributes to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class IndexCode(models.TextChoices):
    # The seed's three indices (杨乾龙, 魏群义 2023); their definitions are the school's settings.
    BASIC = "basic", _("基本状况指数")
    COHESION = "cohesion", _("凝聚力指数")
    ATTRACTION = "attraction", _("吸引力指数")


class ScoreLevel(models.TextChoices):
    GOOD = "good", _("良好")
    FAIR = "fair", _("关注")
    POOR = "poor", _("薄弱")


class IndexVersion(models.Model):
    """One version of an index's definition, in force from ``effective_from`` until the next version of
    the same index: its indicators with weights (summing to 1) and each indicator's scale (the value
    scored 0 and the value scored 100), and the score bands (良好 from ``good_from``, 关注 from
    ``fair_from``). A past period is scored with the version in force at its end."""

    index = models.CharField(_("指数"), max_length=20, choices=IndexCode.choices)
    effective_from = models.DateField(_("生效日期"))
    # [{"indicator": code, "weight": 0.4, "zero": 0.5, "full": 0.95}, …]
    components = models.JSONField(_("指标与权重"), default=list)
    good_from = models.FloatField(_("良好线"), default=80)
    fair_from = models.FloatField(_("关注线"), default=60)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指数方案")
        verbose_name_plural = _("指数方案")
        ordering = ["index", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["index", "effective_from"], name="insights_one_version_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.effective_from:%Y-%m-%d}"


class IndicatorValue(models.Model):
    """An organization's value of one indicator for a period (a branch's measured, a college's rolled up)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField()
    code = models.CharField(max_length=60)
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_kind", "period_start", "code"], name="insights_one_value"
            )
        ]
        indexes = [
            models.Index(fields=["period_kind", "period_start", "code"], name="insights_value_period"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period_kind} {self.period_start} {self.code}"


class IndexScore(models.Model):
    """An organization's score (0–100) on one index for a period, with the version it was scored by."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField()
    index = models.CharField(max_length=20, choices=IndexCode.choices)
    score = models.FloatField(null=True)
    level = models.CharField(max_length=10, choices=ScoreLevel.choices, blank=True)
    version = models.ForeignKey(IndexVersion, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_kind", "period_start", "index"], name="insights_one_score"
            )
        ]
        indexes = [
            models.Index(fields=["period_kind", "period_start", "index"], name="insights_score_period"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period_kind} {self.period_start} {self.index}"


class AlertLevel(models.TextChoices):
    NOTICE = "notice", _("提示")
    WARNING = "warning", _("预警")
    SERIOUS = "serious", _("严重")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLING = "handling", _("处理中")
    CLOSED = "closed", _("已关闭")


class Alert(models.Model):
    """One warning: a case a module's warning source found (``source`` its code, ``key`` the case), for
    the organization that must act. People move it open → being handled → closed with a note; a nightly
    run refreshes what it says while the case lasts and records the day it stopped being found
    (``cleared_on``). A warning never changes anyone's membership or status."""

    source = models.CharField(_("来源"), max_length=60)
    key = models.CharField(max_length=120)
    organization = models.ForeignKey(
        Organization, verbose_name=_("责任组织"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.CharField(_("级别"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.WARNING)
    rule = models.CharField(_("依据"), max_length=300)
    summary = models.CharField(_("情况"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_on = models.DateField(_("预警日期"))
    last_seen_on = models.DateField(_("最近发现"))
    cleared_on = models.DateField(_("消除日期"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.TextField(_("处理情况"), blank=True)
    # 严重 0, 预警 1, 提示 2: the order the centre lists them in (the level's code does not sort that way),
    # kept by the database itself so that every write — the nightly sync, a test, a data fix — has it.
    severity = models.GeneratedField(
        expression=models.Case(
            models.When(level="serious", then=models.Value(0)),
            models.When(level="warning", then=models.Value(1)),
            default=models.Value(2),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key"], condition=~Q(status="closed"), name="insights_one_open_alert"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="insights_alert_org"),
            models.Index(fields=["status", "source"], name="insights_alert_status"),
            # The centre's default list (open and being handled, most serious first, then newest) reads
            # its first page off this index instead of sorting a province's 200,000 open alerts.
            models.Index(
                fields=["severity", "-raised_on", "-id"],
                condition=Q(status__in=["open", "handling"]),
                name="insights_alert_queue",
            ),
            # The 领导驾驶舱 counts the open alerts of each child by an index-only scan of this index
            # (grouped by organization first): 40 ms for a province's 200,000, against 100–300 ms.
            models.Index(
                fields=["organization"],
                condition=Q(status__in=["open", "handling"]),
                name="insights_alert_active_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"


# 述职评议考核 lives in its own package; Django finds the models through this module.
from dangjian.insights.assessment.models import (  # noqa: E402, F401
    Assessment,
    Reviewer,
    ReviewScore,
    Target,
)
