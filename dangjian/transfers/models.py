"""组织关系转接: transfers (校内 / 转出 / 转入), their event log, 介绍信 with gap-free serials."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class TransferKind(models.TextChoices):
    IN_SCHOOL = "in_school", _("校内转接")
    OUT_PROVINCE = "out_province", _("转出(省内)")
    OUT_NATIONAL = "out_national", _("转出(全国)")
    IN = "in", _("转入")


OUT_KINDS = (TransferKind.OUT_PROVINCE, TransferKind.OUT_NATIONAL)


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待支部审核")
    BRANCH_APPROVED = "branch_approved", _("待院系审核")
    COLLEGE_APPROVED = "college_approved", _("待接收/回执")
    COMPLETED = "completed", _("已完成")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (TransferStatus.REQUESTED, TransferStatus.BRANCH_APPROVED, TransferStatus.COLLEGE_APPROVED)


class Transfer(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=TransferKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    # The sending branch (none for 转入); the receiving college chosen at the start (校内); the receiving
    # branch set when the receiving side accepts (校内) or the placement branch (转入).
    from_org = models.ForeignKey(
        Organization,
        verbose_name=_("转出支部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_college = models.ForeignKey(
        Organization,
        verbose_name=_("接收党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_org = models.ForeignKey(
        Organization,
        verbose_name=_("转入支部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Outside the school: where it goes (转出) or where it came from (转入).
    external_org = models.CharField(_("校外党组织"), max_length=200, blank=True)
    external_serial = models.CharField(_("来函介绍信编号"), max_length=60, blank=True)
    reason = models.CharField(_("转接原因"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    receipt_returned_on = models.DateField(_("回执返回日期"), null=True, blank=True)
    receipt_scan = models.FileField(_("回执扫描件"), upload_to="transfers/receipts/%Y/", blank=True)

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        constraints = [
            # One open transfer per member at a time (also under concurrency).
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=OPEN_STATUSES), name="transfers_one_open_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="transfers_status_kind"),
            # The list, newest first, takes its page off this index (at province size the planner
            # otherwise joined every person to sort 20,000 transfers: 537 → 3.5 ms).
            models.Index(fields=["created_at", "id"], name="transfers_created"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


ACTION_LABELS = {
    "start": _("提出申请"),
    "approve": _("审核同意"),
    "reject": _("退回"),
    "withdraw": _("撤回"),
    "accept": _("接收"),
    "complete": _("回执返回，完成"),
    "record_in": _("登记转入"),
}


class TransferEvent(models.Model):
    """Every step of a transfer: who, when, from which status to which, and why."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=TransferStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class SerialCounter(models.Model):
    """The last serial number an org issued in a year: locked while issuing, so numbers have no gaps."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="transfers_counter_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class Letter(models.Model):
    """组织关系介绍信 (存根, 介绍信, 回执). A voided serial stays voided; a reissue takes a new one."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="letters")
    issuing_org = models.ForeignKey(
        Organization, verbose_name=_("开具党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    serial = models.CharField(_("编号"), max_length=60, unique=True)
    issued_on = models.DateField(_("开具日期"))
    valid_days = models.PositiveSmallIntegerField(_("有效期(天)"))
    dues_paid_to = models.DateField(_("党费交至"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("组织关系介绍信")
        verbose_name_plural = _("组织关系介绍信")
        constraints = [
            models.UniqueConstraint(fields=["issuing_org", "year", "number"], name="transfers_letter_number")
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def status(self) -> str:
        """``valid`` or ``voided``: the state a page showed for this letter (core.transitions)."""
        return "voided" if self.voided_at is not None else "valid"


class GraduateKeep(models.Model):
    """A graduate without a destination keeps the membership at the school for a limited time [local
    practice: 2 years], with a reminder before it ends; ended when the membership is transferred."""

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="graduate_keeps"
    )
    branch = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+"
    )
    kept_from = models.DateField(_("保留开始"))
    keep_until = models.DateField(_("保留截止"))
    reason = models.CharField(_("原因"), max_length=300)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("毕业生保留组织关系")
        verbose_name_plural = _("毕业生保留组织关系")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="transfers_one_active_keep"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.keep_until}"
