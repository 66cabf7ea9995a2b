"""Importing organizations from Excel: new orgs under parents in scope (or earlier rows), updates by code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import Organization, OrgCategory, OrgKind
from dangjian.core.rules import kind_may_hold
from dangjian.spreadsheets.spec import Column, ImportSpec

FIELDS = (
    "name",
    "short_name",
    "kind",
    "category",
    "unit",
    "contact_phone",
    "established_on",
    "term_started_on",
    "term_years",
)


@dataclass
class OrgImportContext:
    actor: Any
    scope: Scope
    pending: dict[str, str] = field(default_factory=dict)  # code → kind of orgs created by earlier rows

    def org(self, code: str) -> Organization | None:
        return Organization.objects.filter(code=code).first()


def _labels(choices: Any) -> dict[str, str]:
    return {str(label): value for value, label in choices}


def _validate(values: dict[str, Any], ctx: OrgImportContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", values["code"]):
        errors["code"] = _("只能包含字母、数字、下划线和连字符")
    years = values.get("term_years") or ""
    if years and not (years.isdigit() and 1 <= int(years) <= 10):
        errors["term_years"] = _("应为 1 到 10 的整数")
    values["term_years"] = int(years) if years.isdigit() else None
    parent_code = values["parent_code"]
    parent = ctx.org(parent_code)
    if parent is not None:
        if not ctx.scope.covers(Permission.MANAGE_ORGS, parent.path) or not parent.is_active:
            errors["parent_code"] = _("“%(c)s”不在您的管理范围内或已撤销") % {"c": parent_code}
        parent_kind: str | None = parent.kind
    elif parent_code in ctx.pending:
        parent_kind = ctx.pending[parent_code]
    else:
        errors["parent_code"] = _("“%(c)s”不存在(上级组织须已存在，或在本文件中更靠前的行)") % {
            "c": parent_code
        }
        parent_kind = None
    if parent_kind is not None and not kind_may_hold(parent_kind, values["kind"]):
        errors["kind"] = _("%(p)s之下不能设立%(k)s") % {
            "p": OrgKind(parent_kind).label,
            "k": OrgKind(values["kind"]).label,
        }
    values["parent"] = parent
    return errors


def _find(values: dict[str, Any], ctx: OrgImportContext) -> tuple[Organization | None, str]:
    org = ctx.org(values["code"])
    if org is None:
        ctx.pending[values["code"]] = values["kind"]
        return None, ""
    if not ctx.scope.covers(Permission.MANAGE_ORGS, org.path):
        return None, _("组织代码“%(c)s”已被您管理范围以外的组织使用") % {"c": values["code"]}
    parent = Organization.objects.get_parent(org)
    if parent is None or parent.code != values["parent_code"]:
        return None, _("“%(c)s”的上级组织与现有记录不同：调整隶属请在组织页面操作") % {"c": values["code"]}
    # organization_update's rule: the new kind must fit under the parent and over the children.
    return org, services.organization_kind_problem(org=org, kind=values["kind"])


def _data(values: dict[str, Any]) -> dict[str, Any]:
    return {key: values.get(key) for key in FIELDS}


def _unchanged(values: dict[str, Any], org: Organization) -> bool:
    return all(getattr(org, key) == value for key, value in _data(values).items())


def _apply(values: dict[str, Any], org: Organization | None, ctx: OrgImportContext) -> Organization:
    if org is None:
        parent = values["parent"] or Organization.objects.get(code=values["parent_code"])
        return services.organization_create(
            actor=ctx.actor, parent=parent, code=values["code"], **_data(values)
        )
    return services.organization_update(actor=ctx.actor, org=org, **_data(values))


ORGS = ImportSpec(
    name="党组织",
    columns=(
        Column("code", "组织代码", required=True, example="CS-T9", help="唯一；再次导入时据此更新"),
        Column("name", "组织全称", required=True, example="计算机学院教工第九党支部"),
        Column("short_name", "简称", example="教工九支部"),
        Column(
            "kind",
            "组织类型",
            required=True,
            kind="choice",
            choices=_labels(OrgKind.choices),
            example="党支部",
        ),
        Column("category", "组织类别", kind="choice", choices=_labels(OrgCategory.choices), example="教工"),
        Column(
            "parent_code",
            "上级组织代码",
            required=True,
            example="CS",
            help="已存在的组织，或本文件中更靠前的行",
        ),
        Column("unit", "所在单位", example="计算机学院"),
        Column("contact_phone", "联系电话", example="023-65100000"),
        Column("established_on", "成立日期", kind="date", happened=True, example="2026-01-05"),
        Column("term_started_on", "本届开始日期", kind="date", happened=True, example="2026-01-05"),
        Column("term_years", "任期(年)", example="3", help="留空则按规定"),
    ),
    natural_key="code",
    model=Organization,
    filled=(AuditEvent,),  # analysed after a big commit
    validate=_validate,
    find=_find,
    unchanged=_unchanged,
    apply=_apply,
    instructions=(
        "第一行是表头，请勿修改；每行一个党组织，上级组织要写在下级之前。",
        "党小组只能设在党支部之下；党支部之下不能再设党支部。",
        "已存在的组织按组织代码更新；调整隶属和撤销请在组织页面操作。",
    ),
)


def context(user: Any, params: dict[str, Any]) -> OrgImportContext:
    return OrgImportContext(actor=user, scope=resolve_scope(user))
