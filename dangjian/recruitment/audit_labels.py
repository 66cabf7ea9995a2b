"""发展党员's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions


def _step_names() -> dict[Any, Any]:
    from dangjian.recruitment.models import StepDefinition

    return dict(StepDefinition.objects.values_list("code", "name"))


ACTIONS = AuditActions(
    key="recruitment",
    label=_("发展党员"),
    order=50,
    actions={
        "recruitment.case_open": _("建立发展档案"),
        "recruitment.case_import": _("导入发展档案"),
        "recruitment.case_follow": _("发展档案随组织关系转移"),
        "recruitment.step": _("记录发展步骤"),
        "recruitment.step_return": _("退回发展步骤"),
        "recruitment.step_resubmit": _("重新提交发展步骤"),
        "recruitment.extend_probation": _("延长预备期"),
        "recruitment.cancel_probation": _("取消预备党员资格"),
        "recruitment.document_add": _("上传步骤材料"),
        "recruitment.document_download": _("下载步骤材料"),
        "recruitment.holiday_year": _("保存法定节假日"),
        "recruitment.export": _("导出发展党员名单"),
    },
    fields={
        "step": _("步骤"),
        "record": _("步骤记录编号"),
        "done_on": _("日期"),
        "warnings": _("提醒"),
        "data": _("填报数据"),
        "months": _("延长月数"),
        "on": _("日期"),
        "resolved_on": _("支部大会决议日期"),
        "approved_on": _("上级批准日期"),
        "last_step": _("已完成的最后一步"),
        "size": _("大小(字节)"),
        "document": _("材料编号"),
        "resolution": _("结论"),
    },
    values={"step": _step_names, "last_step": _step_names},
)
