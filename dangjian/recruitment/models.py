"""发展党员: the steps (data, loaded by a migration, editable by a 校级管理员), a case per person, and
each recorded step with its date, actor, resolution and data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class Actor(models.TextChoices):
    PERSON = "person", _("本人")
    BRANCH = "branch", _("党支部")
    UPPER = "upper", _("上级党委")


class StepDefinition(models.Model):
    """One of the 25 steps (细则), in order. ``rule`` names the check in ``recruitment.rules.CHECKS`` run
    when the step is recorded; whether a failing check blocks the step or only warns is decided there (in
    code, overridable per school by a setting), not on this row."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("名称"), max_length=60)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    actor = models.CharField(_("办理方"), max_length=10, choices=Actor.choices)
    rule = models.CharField(_("时限规则"), max_length=40, blank=True)
    documents = models.CharField(_("所需材料"), max_length=300, blank=True)
    repeatable = models.BooleanField(_("可多次记录"), default=False)  # e.g. half-yearly evaluations
    enters_stage = models.CharField(_("进入阶段"), max_length=20, choices=Stage.choices, blank=True)

    class Meta:
        verbose_name = _("发展党员步骤")
        verbose_name_plural = _("发展党员步骤")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    ADMITTED = "admitted", _("已转为正式党员")
    STOPPED = "stopped", _("已终止")


class Case(models.Model):
    """A person's way from application to full membership; it follows the person across branches."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="recruitment_cases"
    )
    branch = models.ForeignKey(
        Organization, verbose_name=_("所在党支部"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    applied_on = models.DateField(_("申请入党日期"))
    closed_on = models.DateField(_("终止日期"), null=True, blank=True)
    close_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    # The highest step number recorded, kept by the services that record steps: the to-dos, the queues and
    # the overdue list filter on it instead of aggregating every case's records.
    last_step = models.PositiveSmallIntegerField(_("已完成的最后一步"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("发展党员档案")
        verbose_name_plural = _("发展党员档案")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="recruitment_one_open_case"
            )
        ]
        indexes = [
            models.Index(fields=["status", "last_step"], name="recruitment_case_last_step"),
            # The board's open cases in their order, a page off the index (at province size the planner
            # otherwise joined every person to sort 65,000 open cases: 694 → 12 ms).
            models.Index(fields=["status", "applied_on", "id"], name="recruitment_case_board"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_stage_display()}"


class StepRecord(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(StepDefinition, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("日期"))
    resolution = models.CharField(_("结论"), max_length=300, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)  # e.g. votes, contacts, training hours
    warnings = models.JSONField(_("提醒"), default=list, blank=True)  # failing "warn" checks, kept
    notes = models.JSONField(_("说明"), default=list, blank=True)  # e.g. the Monday–Friday fallback
    # 退回: the committee above sends the branch's latest record back for correction; until it is
    # resubmitted the case waits on the branch. Every earlier version stays in ``revisions``.
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revisions = models.JSONField(_("修改记录"), default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发展党员步骤记录")
        verbose_name_plural = _("发展党员步骤记录")
        ordering = ["step__number", "done_on", "id"]
        indexes = [  # the few records waiting on a correction (to-dos, queues)
            models.Index(
                fields=["case"], condition=Q(returned_at__isnull=False), name="recruitment_step_returned"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step_id} {self.done_on}"


class HolidayYear(models.Model):
    """A year of State Council holidays entered by a 校级管理员, for years ``chinesecalendar`` does not
    cover yet: with the year entered, its working days no longer fall back to Monday–Friday."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """One day of an entered year that differs from Monday–Friday: a holiday or a make-up workday."""

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


def document_path(instance: StepDocument, filename: str) -> str:
    from django.utils import timezone

    return (
        f"recruitment/{instance.record.case_id}/{instance.record_id}/{timezone.now():%Y%m%d%H%M%S}_{filename}"
    )


class StepDocument(models.Model):
    """A document on a step record (入党申请书, 谈话记录, 政审结论…): PDF, image or Word."""

    record = models.ForeignKey(StepRecord, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("文件"), upload_to=document_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发展党员材料")
        verbose_name_plural = _("发展党员材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
