"""智慧服务: the requests of the catalogue (``rules.CATALOGUE``) and the proofs issued when a proof request
is done, with their serial counter. A proof keeps a snapshot of the facts printed on it, so what it says
does not change when the member's record does."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person
from dangjian.onestop.rules import RequestKind, RequestStatus


class Request(models.Model):
    kind = models.CharField(_("申请事项"), max_length=30, choices=RequestKind.choices)
    requester = models.ForeignKey(
        Person, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="service_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_org = models.ForeignKey(
        Organization, verbose_name=_("申请组织"), on_delete=models.PROTECT, related_name="+"
    )
    handling_org = models.ForeignKey(
        Organization, verbose_name=_("办理组织"), on_delete=models.PROTECT, related_name="+"
    )
    details = models.JSONField(_("申请内容"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    due_on = models.DateField(_("办理期限"))
    taken_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    result_note = models.CharField(_("办理意见"), max_length=500, blank=True)
    refusal_reason = models.CharField(_("不予办理的理由"), max_length=500, blank=True)
    # The form's one-time key: a double click or a retried POST finds the request it already made.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    satisfaction_comment = models.CharField(_("评价"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务申请")
        verbose_name_plural = _("服务申请")
        indexes = [
            models.Index(fields=["handling_org", "status"], name="onestop_request_org_status"),
            models.Index(fields=["requester", "submitted_at"], name="onestop_request_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Proof(models.Model):
    request = models.OneToOneField(
        Request, verbose_name=_("服务申请"), on_delete=models.PROTECT, related_name="proof"
    )
    kind = models.CharField(_("证明类型"), max_length=30, choices=RequestKind.choices)
    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    issuing_org = models.ForeignKey(
        Organization, verbose_name=_("出具组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    serial = models.CharField(_("编号"), max_length=20, unique=True)
    code = models.CharField(_("验证码"), max_length=32, unique=True)
    facts = models.JSONField(_("证明内容"), default=dict)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("证明")
        verbose_name_plural = _("证明")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="onestop_proof_year_number")]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_valid(self) -> bool:
        return self.withdrawn_at is None


class ProofCounter(models.Model):
    """The last proof number of a year: locked while issuing, so serials have no gaps and no twins."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
