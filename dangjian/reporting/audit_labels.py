"""党内统计's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="reporting",
    label=_("党内统计"),
    order=70,
    actions={
        "reporting.snapshot_compute": _("计算统计快照"),
        "reporting.export": _("导出党内统计"),
        "reporting.explain_export": _("导出统计明细"),
    },
    fields={
        "status": _("状态"),
        "people": _("计入人数"),
        "organizations": _("组织数"),
    },
)
