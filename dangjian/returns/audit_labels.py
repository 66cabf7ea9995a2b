"""数据报送's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="returns",
    label=_("数据报送"),
    order=70,
    actions={
        "returns.create": _("创建报表"),
        "returns.update": _("修改报表"),
        "returns.field_add": _("添加报表字段"),
        "returns.field_remove": _("删除报表字段"),
        "returns.open": _("发布报表"),
        "returns.close": _("结束填报"),
        "returns.save": _("暂存填报"),
        "returns.submit": _("提交填报"),
        "returns.return": _("退回填报"),
        "returns.accept": _("通过填报"),
        "returns.remind": _("催报"),
        "returns.export": _("导出报表汇总"),
        "returns.annual_open": _("发起党内统计年报"),
        "returns.annual_save": _("暂存年报"),
        "returns.annual_submit": _("提交年报"),
        "returns.lock": _("锁定年报"),
        "returns.reopen": _("重新开放年报"),
    },
    fields={
        "title": _("标题"),
        "instructions": _("填报说明"),
        "rows_per": _("填报方式"),
        "deadline": _("截止日期"),
        "field": _("字段代码"),
        "label": _("字段名称"),
        "type": _("字段类型"),
        "required": _("必填"),
        "organizations": _("填报组织"),
        "cells": _("修改的单元格"),
        "late": _("逾期提交"),
        "reason": _("原因"),
        "reminded_on": _("催报日期"),
        "year": _("统计年度"),
        "snapshot": _("统计快照日期"),
        "adjustments": _("调整的统计数及原因"),
    },
)
