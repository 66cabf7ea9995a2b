"""Importing the membership records of members who joined before the platform (党员档案)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import Membership, MembershipType, Organization, OrgKind, Person
from dangjian.spreadsheets.spec import Column, ImportSpec, ScopedContext

# The service's field names → this file's columns.
COLUMN_OF = {"organization": "org_code"}


def _validate(values: dict[str, Any], ctx: ScopedContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    person = Person.objects.filter(staff_number=values["staff_number"]).select_related("organization").first()
    if person is None or not (
        person.organization and ctx.scope.covers(Permission.MANAGE_MEMBERSHIPS, person.organization.path)
    ):
        errors["staff_number"] = _("“%(s)s”不在您管理范围内的人员中(请先导入人员)") % {
            "s": values["staff_number"]
        }
    branch = Organization.objects.filter(code=values["org_code"], kind=OrgKind.BRANCH, is_active=True).first()
    if branch is None or not ctx.scope.covers(Permission.MANAGE_MEMBERSHIPS, branch.path):
        errors["org_code"] = _("“%(c)s”不存在、不是党支部或不在您的管理范围内") % {"c": values["org_code"]}
    values["person"], values["organization"] = person, branch
    if errors or person is None or branch is None or Membership.objects.filter(person=person).exists():
        return errors  # an existing membership is compared in ``_find``, not admitted again
    # The service's own rules (转正 after 入党, a 预备党员 without 转正日期, 18 at joining…), so a file
    # the dry run accepts is one the commit writes.
    problems = services.membership_admit_problems(
        person=person,
        organization=branch,
        membership_type=values["membership_type"],
        joined_on=values["joined_on"],
        full_on=values.get("full_on"),
    )
    return {COLUMN_OF.get(key, key): message for key, message in problems.items()}


def _find(values: dict[str, Any], ctx: ScopedContext) -> tuple[Membership | None, str]:
    membership = Membership.objects.filter(person=values["person"]).first()
    if membership is not None and not _unchanged(values, membership):
        return None, _("该人员已有党员档案且内容不同：修改请在人员页面操作")
    return membership, ""


def _unchanged(values: dict[str, Any], membership: Membership) -> bool:
    return (
        membership.organization_id == getattr(values.get("organization"), "pk", None)
        and membership.membership_type == values["membership_type"]
        and membership.joined_on == values["joined_on"]
        and membership.full_on == values.get("full_on")
    )


def _apply(values: dict[str, Any], membership: Membership | None, ctx: ScopedContext) -> Membership:
    return services.membership_admit_existing(
        actor=ctx.actor,
        person=values["person"],
        organization=values["organization"],
        membership_type=values["membership_type"],
        joined_on=values["joined_on"],
        full_on=values.get("full_on"),
        membership_number=values.get("membership_number") or None,
    )


MEMBERS = ImportSpec(
    name="党员档案",
    columns=(
        Column("staff_number", "工号/学号", required=True, example="20260001", help="须是已登记的人员"),
        Column("org_code", "组织关系所在党支部代码", required=True, example="CS-T1"),
        Column(
            "membership_type",
            "党员类别",
            required=True,
            kind="choice",
            choices={str(label): value for value, label in MembershipType.choices},
            example="正式党员",
        ),
        Column(
            "joined_on",
            "入党日期",
            required=True,
            kind="date",
            happened=True,
            example="2010-07-01",
            help="成为预备党员的日期",
        ),
        Column("full_on", "转正日期", kind="date", happened=True, example="2011-07-01", help="正式党员必填"),
        Column("membership_number", "党员编号", example=""),
    ),
    natural_key="staff_number",
    model=Membership,
    filled=(Person, Person.history.model, AuditEvent),  # analysed after a big commit
    validate=_validate,
    find=_find,
    unchanged=_unchanged,
    apply=_apply,
    instructions=(
        "用于平台启用前已入党的党员；新发展的党员由发展党员流程建立档案。",
        "人员须先通过“导入人员”登记；已有档案的人员再次导入时，内容相同则跳过，不同则报错。",
    ),
)
