"""Bulk dues standards from an HR sheet: staff number + pay items (or the base); dry run, row errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.core.models import ON_ROLL_STANDINGS, Membership
from dangjian.dues import rules, services
from dangjian.dues.models import Assessment, DuesCategory
from dangjian.kit.errors import DomainError
from dangjian.spreadsheets.spec import Column, ImportSpec, ScopedContext

ITEM_COLUMNS = (
    ("post_wage", "岗位工资"),
    ("scale_wage", "薪级工资"),
    ("basic_performance", "基础性绩效工资"),
    ("fixed_allowances", "固定津贴补贴"),
    ("income_tax", "个人所得税"),
    ("social_insurance", "社会保险(个人)"),
    ("housing_fund", "住房公积金(个人)"),
    ("annuity", "职业年金(个人)"),
)


def _money(values: dict[str, Any], key: str, errors: dict[str, str]) -> Decimal | None:
    raw = values.get(key)
    if raw in ("", None):
        return None
    try:
        return rules.parse_money(raw, field=key)
    except DomainError as exc:
        errors[key] = exc.message
        return None


def _validate(values: dict[str, Any], ctx: ScopedContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    membership = (
        Membership.objects.filter(person__staff_number=values["staff_number"], standing__in=ON_ROLL_STANDINGS)
        .select_related("person", "organization")
        .first()
    )
    if membership is None or not ctx.scope.covers(Permission.MANAGE_DUES, membership.organization.path):
        errors["staff_number"] = _("“%(s)s”不是您管理范围内的在册党员") % {"s": values["staff_number"]}
    values["person"] = membership.person if membership else None
    values["from_month"] = values["from_month"].replace(day=1) if values.get("from_month") else None
    base = _money(values, "base", errors)
    items = {key: _money(values, key, errors) for key, _header in ITEM_COLUMNS}
    values["base_value"], values["pay_items"] = base, None
    category = values.get("category") or DuesCategory.EMPLOYEE
    values["category"] = category
    if category in rules.BASE_CATEGORIES and not errors:
        if any(v is not None for v in items.values()):
            if base is not None:
                errors["base"] = _("填写了工资项目时请不要再填交纳基数")
            else:
                pay_items = rules.PayItems(**{k: v or Decimal("0") for k, v in items.items()})
                try:
                    values["base_value"] = rules.base_from_items(pay_items)
                    values["pay_items"] = pay_items
                except DomainError as exc:
                    errors["post_wage"] = exc.message
        elif base is None:
            errors["base"] = _("请填写交纳基数或工资项目")
    if not errors:
        try:
            quote = rules.monthly_dues(category, values["base_value"], values["from_month"])
            values["amount"] = quote.amount
        except DomainError as exc:
            errors["category"] = exc.message
    return errors


def _find(values: dict[str, Any], ctx: ScopedContext) -> tuple[Assessment | None, str]:
    return Assessment.objects.filter(person=values["person"], from_month=values["from_month"]).first(), ""


def _unchanged(values: dict[str, Any], existing: Assessment) -> bool:
    base = values["base_value"] if values["category"] in rules.BASE_CATEGORIES else None
    return (existing.category, existing.base, existing.amount) == (
        values["category"],
        base,
        values.get("amount"),
    )


def _apply(values: dict[str, Any], existing: Assessment | None, ctx: ScopedContext) -> Assessment:
    return services.assessment_set(
        actor=ctx.actor,
        scope=ctx.scope,
        person=values["person"],
        from_month=values["from_month"],
        category=values["category"],
        base=values["base_value"] if values["pay_items"] is None else None,
        pay_items=values["pay_items"],
        note=_("工资表导入"),
    )


DUES_BASES = ImportSpec(
    name="党费基数",
    columns=(
        Column("staff_number", "工号", required=True, example="20260001"),
        Column(
            "from_month",
            "起始月份",
            required=True,
            kind="date",
            example="2027-01-01",
            help="新工资首次发放的月份；填该月任一日期均可",
        ),
        Column(
            "category",
            "党费类别",
            kind="choice",
            choices={str(label): value for value, label in DuesCategory.choices},
            example="在职职工",
            help="不填视为在职职工",
        ),
        Column("base", "交纳基数", example="", help="直接填写基数时不填工资项目"),
        *(
            Column(key, header, example=ex)
            for (key, header), ex in zip(
                ITEM_COLUMNS, ("4200", "1800", "2100", "600", "180", "620", "900", "300"), strict=True
            )
        ),
    ),
    natural_key=("staff_number", "from_month"),
    model=Assessment,
    fields={"base_value": "base", "amount": "amount"},
    validate=_validate,
    find=_find,
    unchanged=_unchanged,
    apply=_apply,
    instructions=(
        "每行一名党员的党费基数：直接填写“交纳基数”，或填写各工资项目由系统计算。",
        "基数 = 岗位工资 + 薪级工资 + 基础性绩效工资 + 固定津贴补贴"
        " − 个人所得税 − 社会保险 − 住房公积金 − 职业年金。",
        "奖励性绩效不计入基数。学生、下岗失业等固定金额类别只需填写工号、起始月份和类别。",
    ),
)
