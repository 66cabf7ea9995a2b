"""志愿服务: an activity an organization publishes (a branch or a committee above), and the members'
sign-ups. A sign-up's ``hours_granted`` is the one record of the hours it earned — set at check-in,
corrected by the organizer (audited) — so a member's yearly hours are the sum over their sign-ups,
never a second ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person
from dangjian.volunteer.rules import ActivityStatus, Audience, CheckinMethod


class Activity(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    place = models.CharField(_("活动地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    places = models.PositiveIntegerField(_("名额"))
    hours = models.DecimalField(_("志愿时长(小时)"), max_digits=4, decimal_places=1)
    audience = models.CharField(_("面向"), max_length=10, choices=Audience.choices, default=Audience.SUBTREE)
    status = models.CharField(
        _("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消理由"), max_length=500, blank=True)
    # The new-activity form's one-time key: a double click or a retried POST finds the draft it made.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        indexes = [
            models.Index(fields=["status", "starts_at"], name="volunteer_activity_status"),
            models.Index(fields=["organization", "starts_at"], name="volunteer_activity_org"),
        ]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="signups"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="volunteer_signups"
    )
    signed_at = models.DateTimeField(_("报名时间"))
    cancelled_at = models.DateTimeField(_("取消报名时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(_("签到方式"), max_length=10, choices=CheckinMethod.choices, blank=True)
    hours_granted = models.DecimalField(
        _("认定时长(小时)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hours_note = models.CharField(_("补录或更正理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("志愿服务报名")
        verbose_name_plural = _("志愿服务报名")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(cancelled_at__isnull=True),
                name="volunteer_signup_one_active",
            )
        ]
        indexes = [models.Index(fields=["person", "activity"], name="volunteer_signup_person")]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.person_id}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None
