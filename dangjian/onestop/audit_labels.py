"""智慧服务's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="onestop",
    label=_("智慧服务"),
    order=75,
    actions={
        "onestop.request_submit": _("提交服务申请"),
        "onestop.request_take": _("受理服务申请"),
        "onestop.request_complete": _("办结服务申请"),
        "onestop.request_refuse": _("不予办理服务申请"),
        "onestop.request_rate": _("评价服务申请"),
        "onestop.proof_issue": _("出具证明"),
        "onestop.proof_withdraw": _("撤回证明"),
    },
    fields={
        "kind": _("事项"),
        "from_org": _("申请组织"),
        "due_on": _("办理期限"),
        "serial": _("证明编号"),
        "satisfaction": _("满意度"),
    },
)
