"""书记信箱: a letter to an organization (a branch, a college's committee or the school's, i.e. the 组织部),
the handlers' replies and the transfers along the line.

A member's letter keeps its author (their 我的来信, the daily cap) even when it is anonymous: whether the
handlers may learn who wrote is the page's, the API's and the notices' business (``presenting.writer``),
never this row's. A public writer has no account: a name if they give one, the contact a reply reaches
them by (encrypted at rest, ``core.crypto``), and a tracking code only they hold.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person
from dangjian.mailbox.rules import Category, ClosedBy, LetterStatus

MAX_SUBJECT = 100
MAX_BODY = 2000


class Letter(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("收信组织"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        Person,
        verbose_name=_("来信人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailbox_letters",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(_("匿名"), default=False)
    public_name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact_encrypted = models.TextField(_("联系方式(加密)"), blank=True)
    subject = models.CharField(_("标题"), max_length=MAX_SUBJECT)
    body = models.CharField(_("内容"), max_length=MAX_BODY)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("来信时间"))
    due_on = models.DateField(_("答复期限"))
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_how = models.CharField(_("办结方式"), max_length=20, choices=ClosedBy.choices, blank=True)
    # The public writer's key to the tracking page: random, never shown to the handlers.
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True, null=True, blank=True)
    # The form's one-time key: a double click or a retried POST finds the letter it already made.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        indexes = [
            models.Index(fields=["organization", "status"], name="mailbox_letter_org_status"),
            models.Index(fields=["author", "submitted_at"], name="mailbox_letter_author"),
        ]

    def __str__(self) -> str:
        return f"来信 #{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.author_id is None


class Reply(models.Model):
    letter = models.ForeignKey(
        Letter, verbose_name=_("来信"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("回复组织"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.CharField(_("回复内容"), max_length=MAX_BODY)
    at = models.DateTimeField(_("回复时间"))

    class Meta:
        verbose_name = _("回复")
        verbose_name_plural = _("回复")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"回复 #{self.pk}"


class Transfer(models.Model):
    """The letter passed from one organization of the line to another (up or down), with the reason."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("来信"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_org = models.ForeignKey(
        Organization, verbose_name=_("转出组织"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        Organization, verbose_name=_("转至组织"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("转办理由"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("转办时间"))

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"转办 #{self.pk}"
