"""述职评议考核's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="assessment",
    label=_("述职评议考核"),
    order=81,
    actions={
        "assessment.open": _("启动述职评议考核"),
        "assessment.indicators_refresh": _("刷新考核指标得分"),
        "assessment.secretaries_refresh": _("按现任书记更新述职人"),
        "assessment.reviewers_set": _("指定考核评议人"),
        "assessment.report_submit": _("提交述职报告"),
        "assessment.scores_submit": _("提交述职评议评分"),
        "assessment.advance": _("述职评议考核进入下一阶段"),
        "assessment.grades_decide": _("评定考核等次"),
        "assessment.publish": _("公布考核结果"),
    },
    fields={
        "target_count": _("被考核组织数"),
        "indicator_weight": _("指标得分权重"),
        "bands": _("等次分数线"),
        "changed": _("更新数"),
        "added": _("新增人数"),
        "removed": _("移除人数"),
        "scored": _("评分组织数"),
        "adjusted": _("调整等次数"),
        "graded": _("已算出等次数"),
    },
)
