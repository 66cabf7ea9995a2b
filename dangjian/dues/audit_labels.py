"""党费's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="dues",
    label=_("党费"),
    order=45,
    actions={
        "dues.assessment_set": _("设定党费标准"),
        "dues.year_confirm": _("确认年度党费标准"),
        "dues.bills_generate": _("生成月度党费账单"),
        "dues.payment_record": _("登记党费缴纳"),
        "dues.large_payment": _("登记大额党费"),
        "dues.entry_reverse": _("冲销党费记录"),
        "dues.relief_request": _("申请减免党费"),
        "dues.relief_decide": _("审批党费减免"),
        "dues.declaration_submit": _("提交收入申报"),
        "dues.declaration_decide": _("审核收入申报"),
        "dues.online_order": _("发起在线缴费"),
        "dues.online_notice": _("在线缴费结果通知"),
        "dues.report_submit": _("提交党费上缴报表"),
        "dues.report_confirm": _("确认党费上缴报表"),
        "dues.report_return": _("退回党费上缴报表"),
        "dues.export": _("导出党费名单"),
    },
    fields={
        "from_month": _("起始月份"),
        "members": _("人数"),
        "monthly_total": _("月合计"),
        "reverses": _("冲销的记录编号"),
        "period": _("所属月份"),
        "months": _("月数"),
        "provider": _("支付渠道"),
        "reference": _("交易编号"),
        "handed_up": _("上缴金额"),
        "lines": _("明细行数"),
    },
)
