"""党组织书记抓基层党建工作述职评议考核 (DOMAIN §10): a committee (the school, a college) assesses the
organizations right below it once a year — each one's secretary reports (述职), named reviewers score
it (评议), its indicator score is pre-filled from the year's indices, and the committee grades it
好/较好/一般/差 by the assessment's scheme (考核). The grades feed the 运行状态矩阵图 and the 体检报告.

Reviewers' scores are anonymous: pages show each organization's mean and how many have scored, never
who gave which score (the reviewer row exists so that each reviewer scores each organization once).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class Stage(models.TextChoices):
    REPORTING = "reporting", _("述职")
    REVIEWING = "reviewing", _("评议")
    GRADING = "grading", _("评定")
    PUBLISHED = "published", _("已公布")


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class Assessment(models.Model):
    """One committee's assessment of the organizations right below it for one year, with its scheme:
    the weight of the indicator score in the total (the reviewers' mean has the rest) and the lowest
    total of 好, 较好 and 一般."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("考核组织"), on_delete=models.PROTECT, related_name="assessments_run"
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.REPORTING)
    indicator_weight = models.FloatField(_("指标得分权重"))
    good_from = models.FloatField(_("“好”的最低分"))
    fairly_good_from = models.FloatField(_("“较好”的最低分"))
    average_from = models.FloatField(_("“一般”的最低分"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("启动时间"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("述职评议考核")
        verbose_name_plural = _("述职评议考核")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="assessment_one_a_year"),
            models.CheckConstraint(
                condition=Q(indicator_weight__gte=0, indicator_weight__lte=1), name="assessment_weight_0_1"
            ),
            models.CheckConstraint(
                condition=Q(good_from__gt=models.F("fairly_good_from"))
                & Q(fairly_good_from__gt=models.F("average_from"))
                & Q(average_from__gte=0)
                & Q(good_from__lte=100),
                name="assessment_bands_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class Target(models.Model):
    """An organization assessed: its secretary's 述职报告, the pre-filled indicator score (the mean of
    its year's index scores, with each index kept in ``indicator_detail``), the reviewers' mean, the
    total, the grade the scheme proposes and the grade the committee decided (a different grade needs
    a reason)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey(
        Organization, verbose_name=_("被考核组织"), on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        Person, verbose_name=_("书记"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report = models.TextField(_("述职报告"), blank=True)
    report_at = models.DateTimeField(_("述职报告提交时间"), null=True, blank=True)
    report_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicator_score = models.FloatField(_("指标得分"), null=True, blank=True)
    indicator_detail = models.JSONField(default=dict, blank=True)
    review_score = models.FloatField(_("评议得分"), null=True, blank=True)
    review_count = models.PositiveIntegerField(_("评议人数"), default=0)
    total = models.FloatField(_("综合得分"), null=True, blank=True)
    proposed_grade = models.CharField(_("按方案等次"), max_length=20, choices=Grade.choices, blank=True)
    grade = models.CharField(_("考核等次"), max_length=20, choices=Grade.choices, blank=True)
    grade_reason = models.CharField(_("调整理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("被考核组织")
        verbose_name_plural = _("被考核组织")
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "organization"], name="assessment_one_target"),
        ]
        indexes = [models.Index(fields=["organization", "grade"], name="assessment_target_org")]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.organization_id}"


class Reviewer(models.Model):
    """A person named to score the organizations of one assessment (a 评议人)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评议人"), on_delete=models.PROTECT)
    scored_at = models.DateTimeField(_("提交评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评议人")
        verbose_name_plural = _("评议人")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="assessment_one_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.user_id}"


class ReviewScore(models.Model):
    """One reviewer's score (0–100) of one organization. Never shown with its reviewer."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "reviewer"], name="assessment_one_score_each"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessment_score_0_100"),
        ]

    def __str__(self) -> str:
        return str(self.score)
