"""民主评议's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="appraisal",
    label=_("民主评议"),
    order=65,
    actions={
        "appraisal.round_open": _("启动民主评议"),
        "appraisal.round_advance": _("民主评议进入下一阶段"),
        "appraisal.self_review": _("填写自我评价"),
        "appraisal.ratings_submit": _("提交民主测评"),
        "appraisal.grades_propose": _("支委会提出评定意见"),
        "appraisal.grades_decide": _("录入支部党员大会决定"),
        "appraisal.handling_record": _("登记不合格党员处置方式"),
        "appraisal.unqualified_report": _("上报不合格党员处置情况"),
        "appraisal.round_close": _("结束民主评议"),
    },
)
