"""The 预警 centre's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="insights.warnings",
    label=_("预警"),
    order=60,
    actions={
        "insights.warnings_sync": _("预警每日更新"),
        "insights.alert_take": _("认领预警"),
        "insights.alert_close": _("关闭预警"),
        "insights.warnings_export": _("导出预警"),
    },
    fields={
        "source": _("来源"),
        "on": _("日期"),
        "found": _("发现"),
        "new": _("新增"),
        "refreshed": _("仍存在"),
        "cleared": _("已消除"),
        "dropped": _("无效"),
    },
)
