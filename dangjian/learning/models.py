"""党校 training: classes (班次) run by a Party committee, the people enrolled with their attendance, exam
result and 结业证书, and the study-hour ledger every completed class (and later every course) writes to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class ClassKind(models.TextChoices):
    ACTIVIST = "activist", _("入党积极分子培训班")
    CANDIDATE = "candidate", _("发展对象培训班")
    MEMBER = "member", _("党员培训")


class ClassStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结班")


class TrainingClass(models.Model):
    """A 班次 of the 党校, organized by a 党委 (the school's or a college's); visible to whoever's scope
    covers the organizer. ``days`` and ``hours`` are the teaching days and class hours, not the calendar
    span."""

    name = models.CharField(_("班次名称"), max_length=120)
    kind = models.CharField(_("培训类别"), max_length=20, choices=ClassKind.choices)
    organizer = models.ForeignKey(
        Organization, verbose_name=_("主办党组织"), on_delete=models.PROTECT, related_name="training_classes"
    )
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结束日期"))
    days = models.DecimalField(_("培训天数"), max_digits=4, decimal_places=1)
    hours = models.DecimalField(_("培训学时"), max_digits=5, decimal_places=1)
    place = models.CharField(_("培训地点"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ClassStatus.choices, default=ClassStatus.OPEN)
    closed_on = models.DateField(_("结班日期"), null=True, blank=True)
    # The creation form's one-time key: the same form submitted twice returns this class, not a twin.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党校培训班次")
        verbose_name_plural = _("党校培训班次")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["organizer", "-starts_on"], name="learning_class_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="learning_class_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == ClassStatus.OPEN

    @property
    def version(self) -> str:
        """The class as a page showed it (sent back as ``expected_status``): every edit and the close
        change it, so a form posted twice, or after someone else's change, is refused as stale."""
        return f"{self.status}@{self.updated_at.isoformat()}"


class ExamResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class StepStatus(models.TextChoices):
    """What completing a 发展对象培训班 did to the person's 发展党员 case (step 11 “开展集中培训”); an
    activist class has no step of its own (its hours still count toward step 11 through the ledger)."""

    NONE = "", _("无")
    RECORDED = "recorded", _("已记录")
    ALREADY = "already", _("此前已记录")
    NOT_RECORDED = "not_recorded", _("未记录")


class Enrolment(models.Model):
    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("学员"), on_delete=models.PROTECT, related_name="training_enrolments"
    )
    # The school (root org path segment) the certificate number is unique in; copied from the organizer.
    school_path = models.CharField(max_length=32, editable=False)
    attended_hours = models.DecimalField(_("出勤学时"), max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(_("考试成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("考试结果"), max_length=10, choices=ExamResult.choices, blank=True)
    completed = models.BooleanField(_("已结业"), default=False)
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    certificate_number = models.CharField(_("结业证书编号"), max_length=40, null=True, blank=True)
    step_status = models.CharField(
        _("发展党员步骤"), max_length=20, choices=StepStatus.choices, blank=True, default=StepStatus.NONE
    )
    step_note = models.CharField(_("步骤说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        # No join in the default ordering (every count would pay for it); selectors order by name.
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], name="learning_one_enrolment_per_class"
            ),
            models.UniqueConstraint(
                fields=["school_path", "certificate_number"],
                condition=Q(certificate_number__isnull=False),
                name="learning_certificate_unique_per_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.person_id}"

    @property
    def version(self) -> str:
        """The enrolment as a page showed it (``expected_status``): a result saved or a step recorded
        changes it."""
        return f"{self.step_status or '-'}@{self.updated_at.isoformat()}"


class CertificateSerial(models.Model):
    """The last 结业证书 serial issued per school and year (locked with select_for_update when issuing)."""

    school_path = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_path", "year"], name="learning_one_serial_per_school_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_path} {self.year}: {self.last}"


class SourceKind(models.TextChoices):
    TRAINING_CLASS = "training_class", _("党校培训")
    ORGLIFE = "orglife", _("组织生活（党课、集中学习）")
    TOPIC = "topic", _("专题培训")
    COURSE = "course", _("网上课程")
    CORRECTION = "correction", _("更正")


class TopicTraining(models.Model):
    """A 专题培训 (a lecture series, a study session of a college, a training outside the 党校) recorded by
    an organization with its hours; the people who took part get ledger rows (``StudyHours.topic``)."""

    title = models.CharField(_("培训名称"), max_length=120)
    organizer = models.ForeignKey(
        Organization, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="topic_trainings"
    )
    on = models.DateField(_("培训日期"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The creation form's one-time key: the same form submitted twice returns this training, not a twin.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专题培训")
        verbose_name_plural = _("专题培训")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["organizer", "-on"], name="learning_topic_org_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=200), name="learning_topic_hours_range"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def batch(self) -> str:
        return f"topic:{self.pk}"


class StudyHours(models.Model):
    """The study-hour ledger: append-only rows written by the services (never updated or deleted); a
    correction would be a new row. ``source_kind`` + ``source_ref`` make each source count once.
    ``days`` are the teaching days of a centralized training (§3.9 counts days or hours)."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="study_hours"
    )
    on = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    days = models.DecimalField(_("天数"), max_digits=4, decimal_places=1, default=0)
    source_kind = models.CharField(_("来源"), max_length=30, choices=SourceKind.choices)
    source_ref = models.CharField(_("来源编号"), max_length=60)
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_row"
    )
    topic = models.ForeignKey(
        TopicTraining, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_rows"
    )
    # The event the row belongs to (``meeting:12``, ``topic:5``): a source's rows are found and kept in
    # step with it (its attendance corrected, a person removed) by this key.
    batch = models.CharField(_("批次"), max_length=40, blank=True, db_index=True)
    # A correction row: the negative of the row it reverses (once: one-to-one), on that row's date.
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学时记录")
        verbose_name_plural = _("学时记录")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_ref"], name="learning_hours_source_once")
        ]
        indexes = [models.Index(fields=["person", "on"], name="learning_hours_person_on")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.on} {self.hours}"


class StudyReminder(models.Model):
    """A person was reminded of being behind the year's study pace in ``month`` (its first day): one
    reminder a month, however often the task runs."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    expected = models.DecimalField(max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="learning_one_reminder_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month}"


class StudyYear(models.Model):
    """A person's ledger total for a calendar year, recomputed from the rows whenever they change
    (``ledger.totals.refresh``): the pages compare thousands of people with their target by a join."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="study_years")
    year = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=7, decimal_places=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="learning_one_total_a_year")]
        indexes = [models.Index(fields=["year", "person"], include=["hours"], name="learning_year_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.hours}"


# The 学习库 (materials, courses, plans) and 随堂测试 (question bank, quizzes, attempts) live in their
# sub-packages; Django finds their models, the tables of this app, through this module.
from dangjian.learning.exams.models import *  # noqa: E402, F403
from dangjian.learning.library.models import *  # noqa: E402, F403
