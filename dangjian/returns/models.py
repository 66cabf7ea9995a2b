"""数据报送: tables an upper organization asks lower ones to fill (报表), and the annual 党内统计 return.

A ``Return`` is designed at one organization (``designer``) and, once opened, has one ``Assignment`` per
organization that must fill it. An ad-hoc table's cells are ``Row.values`` keyed by its ``ReturnField``
keys (one row per organization, or one per member on the organization's roll); the annual return keeps
the snapshot's figures (``Assignment.computed``) and the lower organization's adjustments with a reason
per cell (``Assignment.adjustments``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class ReturnKind(models.TextChoices):
    ADHOC = "adhoc", _("报表")
    ANNUAL = "annual", _("党内统计年报")


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已结束")
    LOCKED = "locked", _("已锁定")


class RowsPer(models.TextChoices):
    ORG = "org", _("每个组织一行")
    MEMBER = "member", _("每名党员一行")


class FieldType(models.TextChoices):
    NUMBER = "number", _("数字")
    TEXT = "text", _("文本")
    CHOICE = "choice", _("选项")
    DATE = "date", _("日期")
    FILE = "file", _("文件")


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未填报")
    DRAFT = "draft", _("已暂存")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


# An assignment in these states may still be written by its organization.
FILLABLE = (AssignmentStatus.NOT_STARTED, AssignmentStatus.DRAFT, AssignmentStatus.RETURNED)


class Return(models.Model):
    kind = models.CharField(_("类型"), max_length=20, choices=ReturnKind.choices, default=ReturnKind.ADHOC)
    title = models.CharField(_("标题"), max_length=100)
    instructions = models.TextField(_("填报说明"), blank=True)
    designer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="designed_returns", verbose_name=_("发起组织")
    )
    rows_per = models.CharField(_("填报方式"), max_length=20, choices=RowsPer.choices, default=RowsPer.ORG)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    year = models.IntegerField(_("统计年度"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据报送")
        verbose_name_plural = _("数据报送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(kind="annual"), name="returns_one_annual_return_a_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_annual(self) -> bool:
        return self.kind == ReturnKind.ANNUAL


class ReturnField(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    key = models.CharField(_("代码"), max_length=20)
    label = models.CharField(_("名称"), max_length=60)
    type = models.CharField(_("类型"), max_length=20, choices=FieldType.choices)
    required = models.BooleanField(_("必填"), default=False)
    min_value = models.DecimalField(_("最小值"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=14, decimal_places=2, null=True, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    # A number field declared equal to the sum of these number fields (their keys).
    sum_of = models.JSONField(_("等于以下各项之和"), default=list, blank=True)
    # A number field pre-filled from this statistics figure (reporting.figures key).
    figure = models.CharField(_("预填统计数"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("报表字段")
        verbose_name_plural = _("报表字段")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["ret", "key"], name="returns_field_key_unique")]

    def __str__(self) -> str:
        return self.label


class Assignment(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="return_assignments", verbose_name=_("填报组织")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.NOT_STARTED
    )
    saved_at = models.DateTimeField(_("暂存时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    late = models.BooleanField(_("逾期提交"), default=False)
    returned_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催报日期"), null=True, blank=True)
    # The annual return: the snapshot's figures, and the adjustments {key: {"value": n, "reason": "…"}}.
    computed = models.JSONField(default=dict, blank=True)
    adjustments = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("填报任务")
        verbose_name_plural = _("填报任务")
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "organization"], name="returns_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ret_id}:{self.organization_id}"

    @property
    def is_fillable(self) -> bool:
        return self.status in FILLABLE


class Row(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    values = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("填报行")
        verbose_name_plural = _("填报行")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id}#{self.position}"


class RowFile(models.Model):
    row = models.ForeignKey(Row, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(max_length=20)
    file = models.FileField(upload_to="returns/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("填报附件")
        verbose_name_plural = _("填报附件")
        constraints = [models.UniqueConstraint(fields=["row", "key"], name="returns_row_file_unique")]

    def __str__(self) -> str:
        return self.name
