"""组织关系转接's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="transfers",
    label=_("组织关系转接"),
    order=60,
    actions={
        # ``transfer.<step>`` (services.record_step): the steps of a transfer
        "transfer.start": _("提出转接申请"),
        "transfer.approve": _("审核同意转接"),
        "transfer.reject": _("退回转接申请"),
        "transfer.withdraw": _("撤回转接申请"),
        "transfer.accept": _("接收转入"),
        "transfer.complete": _("回执返回，转接完成"),
        "transfer.record_in": _("登记转入"),
        "transfer.letter_issue": _("开具介绍信"),
        "transfer.letter_void": _("作废介绍信"),
        "transfer.receipt_scan": _("上传回执扫描件"),
        "transfer.graduate_keep": _("毕业生暂留党组织关系"),
        "transfer.export": _("导出转接名单"),
    },
    fields={
        "serial": _("介绍信编号"),
        "valid_days": _("有效天数"),
        "transfer": _("转接编号"),
        "until": _("保留至"),
        "file": _("文件"),
    },
)
