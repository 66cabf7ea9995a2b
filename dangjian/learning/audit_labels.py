"""党员学习's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="learning",
    label=_("党员学习"),
    order=55,
    actions={
        "learning.class_create": _("开设培训班"),
        "learning.class_update": _("修改培训班"),
        "learning.class_close": _("结业培训班"),
        "learning.enrol": _("报名培训班"),
        "learning.unenrol": _("取消报名"),
        "learning.result": _("登记培训成绩"),
        "learning.complete": _("培训结业"),
        "learning.step_retry": _("重试记录发展步骤"),
        "learning.export": _("导出学员名单"),
    },
    fields={
        "class": _("培训班编号"),
        "enrolment": _("报名编号"),
        "enrolled": _("报名人数"),
        "passed": _("合格人数"),
        "steps": _("记录的发展步骤"),
        "step": _("发展步骤"),
    },
)
