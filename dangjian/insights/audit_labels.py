"""评价与预警's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="insights",
    label=_("评价与预警"),
    order=80,
    actions={
        "insights.version_create": _("修订评价指数方案"),
        "insights.compute": _("计算评价指数"),
    },
    fields={
        "components": _("指标与权重"),
        "good_from": _("良好线"),
        "fair_from": _("关注线"),
        "effective_from": _("生效日期"),
        "period": _("统计周期"),
        "values": _("指标值数"),
        "scores": _("指数得分数"),
    },
)
