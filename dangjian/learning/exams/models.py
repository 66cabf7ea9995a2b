"""The question bank of an organization, quizzes drawing random papers from it, and the attempts of
members with each drawn question kept as it was shown (a question edited or retired later does not
change a paper already drawn)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.models import Organization, Person

__all__ = [
    "Attempt",
    "AttemptItem",
    "AttemptStatus",
    "Question",
    "QuestionKind",
    "QuestionTopic",
    "Quiz",
    "QuizStatus",
]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")
    FILL = "fill", _("填空题")


class QuestionTopic(models.TextChoices):
    CHARTER = "charter", _("党章党规")
    THEORY = "theory", _("理论学习")
    HISTORY = "history", _("党史")
    CURRENT = "current", _("时政")
    BUSINESS = "business", _("业务知识")


class Question(models.Model):
    """A question of ``organization``'s bank. ``options`` are the choices' texts (判断题: 正确, 错误);
    ``answer`` holds the indexes of the right options, or for a 填空题 the accepted answers' texts."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属党组织"), on_delete=models.PROTECT, related_name="questions"
    )
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices)
    topic = models.CharField(_("专题"), max_length=12, choices=QuestionTopic.choices)
    difficulty = models.PositiveSmallIntegerField(_("难度"), default=1)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"), default=list)
    explanation = models.TextField(_("解析"), blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed what, when: the 修改记录 on its page (``selectors.question_history``).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organization", "is_active", "kind", "topic"], name="learning_question_draw")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1) & Q(difficulty__lte=3), name="learning_question_difficulty"
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def version(self) -> str:
        return f"{int(self.is_active)}@{self.updated_at.isoformat()}"


class QuizStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Quiz(models.Model):
    """A 随堂测试 or exam for the members of ``organization``'s subtree. ``rules`` is the paper:
    ``[{"kind", "topic" ("" for any), "count", "points"}]``, drawn from the banks of the organization
    and the organizations above it."""

    title = models.CharField(_("测试名称"), max_length=120)
    organization = models.ForeignKey(
        Organization, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="quizzes"
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    time_limit = models.PositiveSmallIntegerField(_("答题时限（分钟）"))
    attempt_limit = models.PositiveSmallIntegerField(_("可答次数"), default=1)
    pass_mark = models.PositiveSmallIntegerField(_("及格线（%）"), default=60)
    rules = models.JSONField(_("组卷规则"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=QuizStatus.choices, default=QuizStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("测试")
        verbose_name_plural = _("测试")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"], name="learning_quiz_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="learning_quiz_window"
            ),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="learning_quiz_pass_mark"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == QuizStatus.PUBLISHED

    @property
    def version(self) -> str:
        return f"{self.status}@{self.updated_at.isoformat()}"


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("答题中")
    GRADED = "graded", _("已评分")


class Attempt(models.Model):
    """One sitting of a quiz by a person: the paper drawn from ``seed`` is kept in its items; the
    server's ``deadline`` (start + time limit, not after the quiz closes) ends it."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField(_("第几次"))
    seed = models.BigIntegerField()
    status = models.CharField(
        _("状态"), max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("交卷期限"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    total = models.DecimalField(_("满分"), max_digits=6, decimal_places=1)
    passed = models.BooleanField(_("及格"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "person", "number"], name="learning_attempt_number_once"),
            # a double click on “开始答题” cannot open two papers
            models.UniqueConstraint(
                fields=["quiz", "person"], condition=Q(status="open"), name="learning_one_open_attempt"
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="learning_attempt_due")]

    def __str__(self) -> str:
        return f"{self.quiz_id} {self.person_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN


class AttemptItem(models.Model):
    """A question of an attempt's paper as shown: its text, the options in this attempt's order and the
    right answer in that order (never sent before the attempt is graded), the member's response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    text = models.TextField()
    options = models.JSONField(default=list)
    answer = models.JSONField(default=list)
    explanation = models.TextField(blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=1)
    response = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)
    awarded = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="learning_attempt_item_once"),
            models.UniqueConstraint(fields=["attempt", "question"], name="learning_attempt_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}.{self.position}"
