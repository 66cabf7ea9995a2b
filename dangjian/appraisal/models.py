"""民主评议党员 (DOMAIN §10): one round per branch and year, its participants with their self review and
the grade the branch gave them, and the anonymous ratings of 民主测评.

The steps of the round are its ``stage``: 自我评价 → 民主测评 → 组织评定 (the committee proposes) → the
支部党员大会 decides (表彰和处置: a 不合格 member's handling, reported to the organization above) → closed.
The platform records and reports; it never changes anyone's membership.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class Stage(models.TextChoices):
    SELF_REVIEW = "self_review", _("自我评价")
    RATING = "rating", _("民主测评")
    PROPOSING = "proposing", _("组织评定")
    DECIDED = "decided", _("已决定")
    CLOSED = "closed", _("已结束")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class Handling(models.TextChoices):
    """How the branch handles a 不合格 member (党章 第九条); decided by people, never by the platform."""

    CORRECT = "correct", _("限期改正")
    PERSUADE = "persuade", _("劝退")
    REMOVE = "remove", _("除名")


class Round(models.Model):
    """A branch's 民主评议党员 of one year."""

    branch = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="appraisal_rounds"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.SELF_REVIEW)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("启动时间"))
    rating_closes_on = models.DateField(_("测评截止日期"), null=True, blank=True)
    decided_on = models.DateField(_("支部党员大会日期"), null=True, blank=True)
    reported_at = models.DateTimeField(_("不合格情况上报时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "branch__path"]
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="appraisal_one_round_a_year")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}"


class Participant(models.Model):
    """A member of the branch when the round opened, and the result of their year: the committee's
    proposal and the meeting's decision (and, for 不合格, the branch's handling and when it was reported
    up). ``votes``: a full member rates the others; a probationary member writes a self review and is
    rated but does not rate (预备党员 have no vote — 党章 第七条)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    votes = models.BooleanField(_("参加测评"), default=True)
    rated_at = models.DateTimeField(_("提交测评时间"), null=True, blank=True)
    proposed_grade = models.CharField(_("支委会意见"), max_length=20, choices=Grade.choices, blank=True)
    proposal_reason = models.CharField(_("理由"), max_length=300, blank=True)
    decided_grade = models.CharField(_("评定等次"), max_length=20, choices=Grade.choices, blank=True)
    handling = models.CharField(_("处置方式"), max_length=20, choices=Handling.choices, blank=True)
    handling_note = models.CharField(_("处置说明"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("参评党员")
        verbose_name_plural = _("参评党员")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="appraisal_one_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.person_id}"


class SelfReview(models.Model):
    """A participant's 自我评价 (written on the phone; may be rewritten until the rating stage ends)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="self_review")
    text = models.TextField(_("自我评价"))
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(_("修改时间"))

    def __str__(self) -> str:
        return f"{self.participant_id}"


class Rating(models.Model):
    """One grade a member gave a colleague in 民主测评.

    Anonymous to peers: the rater is stored only so that a second rating is refused and the count is
    exact. No page, export, API or audit event ever shows who rated whom — only the counts per ratee and
    grade, and how many raters have submitted."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    ratee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ratings_received")
    grade = models.CharField(max_length=20, choices=Grade.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rater", "ratee"], name="appraisal_one_rating_each"),
            models.CheckConstraint(condition=~Q(rater=F("ratee")), name="appraisal_no_self_rating"),
            models.CheckConstraint(
                condition=Q(grade__in=["excellent", "qualified", "basic", "unqualified"]),
                name="appraisal_rating_grade_known",
            ),
        ]
        indexes = [models.Index(fields=["ratee", "grade"], name="appraisal_rating_ratee")]

    def __str__(self) -> str:
        # Never who rated whom: the grade of a rating, nothing more.
        return str(self.grade)
