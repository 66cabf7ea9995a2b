"""志愿服务's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="volunteer",
    label=_("志愿服务"),
    order=77,
    actions={
        "volunteer.activity_create": _("新建志愿服务活动"),
        "volunteer.activity_update": _("修改志愿服务活动"),
        "volunteer.activity_publish": _("发布志愿服务活动"),
        "volunteer.activity_cancel": _("取消志愿服务活动"),
        "volunteer.activity_finish": _("结束志愿服务活动并确认时长"),
        "volunteer.signup_create": _("报名志愿服务"),
        "volunteer.signup_cancel": _("取消志愿服务报名"),
        "volunteer.checkin": _("志愿服务签到"),
        "volunteer.hours_correct": _("补录或更正志愿时长"),
        "volunteer.signup_add": _("补录未报名的志愿服务参加者"),
        "volunteer.signups_export": _("导出志愿服务报名名单"),
    },
    fields={
        "activity": _("活动"),
        "person": _("党员"),
        "hours": _("时长"),
        "reason": _("理由"),
        "walk_in": _("未报名现场签到"),
        "credited": _("认定人数"),
        "places": _("名额"),
        "starts_at": _("开始时间"),
        "ends_at": _("结束时间"),
        "audience": _("面向"),
    },
)
