"""Importing people from Excel: the spec for the engine and the context of its rules (the pages and the job
are the one import flow of ``spreadsheets``; the kind is declared in ``contributions.py``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core import crypto, services
from dangjian.core.idnumbers import parse_id_number
from dangjian.core.models import Education, Gender, Organization, OrgKind, Person, PersonType
from dangjian.core.selectors import organizations_within
from dangjian.spreadsheets.spec import Column, ImportSpec

PHONE_RE = services.PHONE_RE
COMPARED = ("name", "gender", "birth_date", "ethnicity", "person_type", "unit", "phone", "education")


@dataclass
class ImportContext:
    actor: Any
    scope: Scope
    _orgs: dict[str, Organization | None] = field(default_factory=dict)
    # Filled by _prefetch for a whole file: people by staff number and by ID-number blind index.
    by_staff: dict[str, Person] | None = None
    by_index: dict[str, Person] = field(default_factory=dict)
    # ID number → blind index: computed once a row, though the dry run and the commit both look it up.
    _indexes: dict[str, str] = field(default_factory=dict)

    def index_of(self, number: str) -> str:
        index = self._indexes.get(number)
        if index is None:
            index = self._indexes[number] = crypto.blind_index(number)
        return index

    @cached_property
    def branch_queryset(self) -> Any:
        return organizations_within(self.scope, Permission.MANAGE_PEOPLE).filter(
            kind=OrgKind.BRANCH, is_active=True
        )

    def branch(self, code: str) -> Organization | None:
        if code not in self._orgs:
            self._orgs[code] = self.branch_queryset.filter(code=code).first()
        return self._orgs[code]


def _labels(choices: Any) -> dict[str, str]:
    return {str(label): value for value, label in choices}


def _validate(values: dict[str, Any], ctx: ImportContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    number = values.get("id_number", "").upper()
    if number:
        try:
            info = parse_id_number(number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            values["id_number"] = info.number
            if values.get("birth_date") and values["birth_date"] != info.birth_date:
                errors["birth_date"] = _("与身份证号码不一致(号码中为 %(d)s)") % {
                    "d": info.birth_date.isoformat()
                }
            if values.get("gender") and values["gender"] != info.gender:
                errors["gender"] = _("与身份证号码不一致")
            values["birth_date"] = info.birth_date
    elif not values.get("birth_date"):
        errors["id_number"] = _("请填写身份证号码或出生日期")
    if values.get("phone") and not PHONE_RE.match(values["phone"]):
        errors["phone"] = _("格式不正确")
    org = ctx.branch(values.get("org_code", ""))
    if org is None:
        errors["org_code"] = _("“%(c)s”不存在、不是党支部或不在您的管理范围内") % {
            "c": values.get("org_code")
        }
    values["organization"] = org
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,30}", values.get("staff_number", "")):
        errors["staff_number"] = _("只能包含字母、数字、下划线和连字符")
    return errors


def _prefetch(rows: list[dict[str, Any]], ctx: ImportContext, chunk: int = 1000) -> None:
    staff = [r["staff_number"] for r in rows if r.get("staff_number")]
    indexes = [ctx.index_of(r["id_number"].upper()) for r in rows if r.get("id_number")]
    ctx.by_staff = {}
    for start in range(0, len(staff), chunk):
        found = Person.objects.filter(staff_number__in=staff[start : start + chunk]).select_related(
            "organization"
        )
        ctx.by_staff.update({p.staff_number: p for p in found if p.staff_number})
    for start in range(0, len(indexes), chunk):
        found = Person.objects.filter(id_number_index__in=indexes[start : start + chunk])
        ctx.by_index.update({p.id_number_index: p for p in found if p.id_number_index})


def _find(values: dict[str, Any], ctx: ImportContext) -> tuple[Person | None, str]:
    if ctx.by_staff is not None:
        person = ctx.by_staff.get(values["staff_number"])
    else:
        person = (
            Person.objects.filter(staff_number=values["staff_number"]).select_related("organization").first()
        )
    if person is not None and not (
        person.organization and ctx.scope.covers(Permission.MANAGE_PEOPLE, person.organization.path)
    ):
        return None, _("工号/学号“%(s)s”已登记在您管理范围以外的人员名下") % {"s": values["staff_number"]}
    if person is not None:  # a member's branch changes by a transfer, which person_update enforces
        problem = services.person_org_change_problem(person=person, organization=values.get("organization"))
        if problem:
            return None, problem
    if values.get("id_number"):
        index = ctx.index_of(values["id_number"])
        if ctx.by_staff is not None:
            holder = ctx.by_index.get(index)
        else:
            holder = Person.objects.filter(id_number_index=index).first()
        if holder is not None and holder != person:
            return None, _("身份证号码已登记在人员“%(n)s”(工号/学号 %(s)s)名下") % {
                "n": holder.name,
                "s": holder.staff_number or "—",
            }
    return person, ""


def _unchanged(values: dict[str, Any], person: Person) -> bool:
    if any(getattr(person, key) != values.get(key) for key in COMPARED):
        return False
    if values.get("organization") != person.organization:
        return False
    number = values.get("id_number")
    return not number or crypto.blind_index(number) == person.id_number_index


def _apply(values: dict[str, Any], person: Person | None, ctx: ImportContext) -> Person:
    data = {key: values.get(key) for key in COMPARED}
    data["organization"] = values["organization"]
    data["staff_number"] = values["staff_number"]
    number = values.get("id_number") or None
    if person is None:
        return services.person_create(actor=ctx.actor, id_number=number, **data)
    if number and crypto.blind_index(number) == person.id_number_index:
        number = None
    return services.person_update(actor=ctx.actor, person=person, id_number=number, **data)


def _bulk_update(pairs: list[tuple[dict[str, Any], Person]], ctx: ImportContext) -> list[Person]:
    rows = []
    for values, person in pairs:
        data: dict[str, Any] = {key: values.get(key) for key in COMPARED}
        data.update(organization=values["organization"], staff_number=values["staff_number"])
        number = values.get("id_number") or None
        if number and ctx.index_of(number) == person.id_number_index:
            number = None
        rows.append((person, {**data, "id_number": number}))
    return services.people_update_bulk(actor=ctx.actor, rows=rows)


def _bulk_create(rows: list[dict[str, Any]], ctx: ImportContext) -> list[Person]:
    data = []
    for values in rows:
        item = {key: values.get(key) for key in COMPARED}
        item.update(
            organization=values["organization"],
            staff_number=values["staff_number"],
            id_number=values.get("id_number") or None,
        )
        data.append(item)
    return services.people_create_bulk(actor=ctx.actor, rows=data)


PEOPLE = ImportSpec(
    name="人员",
    columns=(
        Column("name", "姓名", required=True, example="张三"),
        Column(
            "staff_number", "工号/学号", required=True, example="20260001", help="唯一；再次导入时据此更新"
        ),
        Column(
            "id_number", "身份证号码", example="11010519491231002X", help="18位；与出生日期、性别自动核对"
        ),
        Column("gender", "性别", required=True, kind="choice", choices=_labels(Gender.choices), example="女"),
        Column(
            "birth_date",
            "出生日期",
            kind="date",
            happened=True,
            example="1949-12-31",
            help="可留空，由身份证号码得出",
        ),
        Column("ethnicity", "民族", example="汉族"),
        Column(
            "person_type",
            "人员类别",
            required=True,
            kind="choice",
            choices=_labels(PersonType.choices),
            example="教职工",
        ),
        Column("org_code", "所在党支部代码", required=True, example="CS-T1", help="党支部的组织代码"),
        Column("unit", "所在单位", example="计算机学院"),
        Column("phone", "手机号码", example="13800000000"),
        Column("education", "学历", kind="choice", choices=_labels(Education.choices), example="研究生"),
    ),
    natural_key="staff_number",
    model=Person,
    filled=(AuditEvent,),  # analysed after a big commit
    unique_columns=("id_number",),
    prefetch=_prefetch,
    validate=_validate,
    find=_find,
    unchanged=_unchanged,
    apply=_apply,
    bulk_create=_bulk_create,
    bulk_update=_bulk_update,
    instructions=(
        "第一行是表头，请勿修改；从第二行起每行一人，示例行请删除或改写。",
        "日期可写成 2026-01-05、2026/1/5 或 2026年1月5日。",
        "同一文件中工号/学号不能重复；导入同一文件两次不会重复登记。",
        "党员的组织关系变动请走组织关系转接，导入不能修改党员所在支部。",
    ),
)


def context(user: Any, params: dict[str, Any]) -> ImportContext:
    return ImportContext(actor=user, scope=resolve_scope(user))
