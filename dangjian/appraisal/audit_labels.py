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
    # Counts only: 民主测评 is anonymous, so its events say how many, never who gave whom what.
    fields={
        "participant_count": _("参评党员人数"),
        "rating_count": _("评价人数"),
        "grade_counts": _("各等次人数"),
        "reported_count": _("上报人数"),
        "notified": _("通知人数"),
        "rewritten": _("修改"),
        "length": _("字数"),
        "year": _("年度"),
    },
)
