"""组织与人员's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="core",
    label=_("组织与人员"),
    order=10,
    actions={
        "organization.create": _("新建党组织"),
        "organization.update": _("修改党组织"),
        "organization.move": _("调整党组织隶属"),
        "organization.dissolve": _("撤销党组织"),
        "organization.new_term": _("党组织换届"),
        "organization.export": _("导出党组织"),
        "person.create": _("新建人员"),
        "person.update": _("修改人员信息"),
        "person.political_status": _("变更政治面貌"),
        "person.export_unmasked": _("导出人员(含完整证件号)"),
        "person.leave": _("办理离校"),
        "person.anonymise": _("匿名化离校人员"),
        "membership.admit_existing": _("登记党籍"),
        "membership.change_standing": _("变更党籍状态"),
        "membership.extend_probation": _("延长预备期"),
        "membership.make_full": _("预备党员转正"),
        "membership.move": _("调整所在党组织"),
        "membership.transfer_out": _("党组织关系转出"),
        "position.assign": _("任命职务"),
        "position.end": _("免去职务"),
        "cadre.set": _("设置干部信息"),
        "democratic_party.set": _("登记民主党派"),
        "democratic_party.remove": _("移除民主党派"),
        "field_keys.rotate": _("轮换加密密钥(重新加密)"),
        "counters.repair": _("修复组织计数表"),
    },
    fields={
        "title": _("职务"),
        "started_on": _("任职日期"),
        "ended_on": _("免职日期"),
        "party": _("党派"),
        "column": _("加密字段"),
        "rows": _("行数"),
        "first_id": _("起始编号"),
        "last_id": _("结束编号"),
        "left_on": _("离校日期"),
        "is_active": _("在册"),
        "fields": _("已清除的字段"),
        "organizations": _("组织编号"),
        "count": _("数量"),
    },
)
