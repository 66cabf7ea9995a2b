"""The 学习库's tables: a material (a PDF, an article's text, an audio or video file, or a link) published
by an organization to the people of its subtree and to some audiences; a course of ordered lessons (each a
material); a person's progress per lesson and one completion per course; a study plan assigning courses
to the members of an organization's subtree by a deadline.

A course's hours are its own ``hours`` field, set by the organizer, not the sum of its lessons': schools
publish the hours a course counts for (DOMAIN.md §6 “the course's set hours”), and a lesson's ``hours``
only tells the learner how long it takes. Imported into ``learning.models`` (one line at its end), so the
tables belong to the ``learning`` app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.groups import PersonGroup
from dangjian.core.models import Organization, Person

__all__ = [
    "Audience",
    "Course",
    "CourseCompletion",
    "Lesson",
    "LessonProgress",
    "Material",
    "MaterialKind",
    "PlanReminder",
    "StudyPlan",
    "Topic",
]


class Topic(models.TextChoices):
    CHARTER = "charter", _("党章党规")
    THEORY = "theory", _("理论学习")
    HISTORY = "history", _("党史")
    CURRENT = "current", _("时政")
    PRACTICE = "practice", _("业务知识")


# A material's 适用对象 are the platform's named groups of people (shared with 宣传's 指定人群).
Audience = PersonGroup


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("文档（PDF）")
    ARTICLE = "article", _("文章")
    AUDIO = "audio", _("音频")
    VIDEO = "video", _("视频")
    LINK = "link", _("外部链接")


MEDIA_KINDS = (MaterialKind.AUDIO, MaterialKind.VIDEO)
FILE_KINDS = (MaterialKind.DOCUMENT, MaterialKind.AUDIO, MaterialKind.VIDEO)


def material_path(instance: Material, filename: str) -> str:
    # The stored name is not the uploader's (kept in ``file_name``): no path or odd characters reach disk.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"learning/materials/{instance.organization_id}/{instance.kind}-{instance.uid}.{extension}"


class Material(models.Model):
    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=MaterialKind.choices)
    topic = models.CharField(_("专题"), max_length=10, choices=Topic.choices)
    # The audiences (``Audience`` codes) as a JSON list; at least one. Filtered as text (the quoted code:
    # no code is part of another), which SQLite and PostgreSQL both do — SQLite has no JSON ``contains``.
    audiences = models.JSONField(_("适用对象"), default=list)
    organization = models.ForeignKey(
        Organization, verbose_name=_("发布党组织"), on_delete=models.PROTECT, related_name="materials"
    )
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)  # an article: plain paragraphs
    url = models.URLField(_("链接地址"), max_length=500, blank=True)  # a link
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    uid = models.CharField(max_length=32, editable=False)
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed what, when: the 修改记录 on its page (``selectors.material_history``).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["organization", "published"], name="learning_material_org")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_media(self) -> bool:
        return self.kind in MEDIA_KINDS

    @property
    def has_file(self) -> bool:
        return self.kind in FILE_KINDS and bool(self.file)

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[a]) for a in self.audiences if a in labels]


class Course(models.Model):
    title = models.CharField(_("课程名称"), max_length=120)
    topic = models.CharField(_("专题"), max_length=10, choices=Topic.choices)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("发布党组织"), on_delete=models.PROTECT, related_name="courses"
    )
    # The hours a finished course counts in the ledger (see the module's docstring).
    hours = models.DecimalField(_("课程学时"), max_digits=4, decimal_places=1)
    # A quiz to pass before the course counts as finished (``services.course_quiz_passed``).
    quiz = models.ForeignKey(
        "learning.Quiz",
        verbose_name=_("结课测试"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("网上课程")
        verbose_name_plural = _("网上课程")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["organization", "published"], name="learning_course_org")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=100), name="learning_course_hours_range"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="lessons"
    )
    material = models.ForeignKey(
        Material, verbose_name=_("学习资料"), on_delete=models.PROTECT, related_name="lessons"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("课时")
        verbose_name_plural = _("课时")
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="learning_lesson_position_once"),
            models.UniqueConstraint(fields=["course", "material"], name="learning_lesson_material_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} #{self.position}"


class LessonProgress(models.Model):
    """How far a person got in a lesson (0–100, never lower than before); ``done`` from 90 % on."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    percent = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "lesson"], name="learning_one_progress_per_lesson"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="learning_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.lesson_id}: {self.percent}"


class CourseCompletion(models.Model):
    """A person finished a course (every lesson, and its quiz where it has one): its hours were credited
    once, in the batch ``course:<course>:<person>``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="course_completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="learning_one_completion_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.course_id}"


class StudyPlan(models.Model):
    """Courses an organization asks the members of its subtree (or those of one political status) to
    finish by ``deadline``."""

    title = models.CharField(_("计划名称"), max_length=120)
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="study_plans"
    )
    # Empty: the members (预备党员 and 正式党员); else only people of this political status.
    political_status = models.CharField(_("对象"), max_length=20, blank=True)
    deadline = models.DateField(_("完成期限"))
    courses = models.ManyToManyField(Course, verbose_name=_("课程"), related_name="plans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")
        ordering = ["-deadline", "-id"]

    def __str__(self) -> str:
        return self.title


class PlanReminder(models.Model):
    """A person was reminded of a plan's unfinished courses before its deadline: once per plan."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="learning_one_plan_reminder")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.person_id}"
