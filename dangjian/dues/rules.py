"""The dues engine: pure functions from category, base and month to the monthly amount (DOMAIN.md §4).

No database here. The numbers come from ``dangjian.policy`` (one place, per school).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dangjian.kit.errors import RuleViolation
from dangjian.policy import DuesRuleSet, Policy, get_policy

EMPLOYEE = "employee"
RETIREE = "retiree"
STUDENT = "student"
UNEMPLOYED = "unemployed"
RELIEF = "relief"
FARMER = "farmer"
CATEGORIES = (EMPLOYEE, RETIREE, STUDENT, UNEMPLOYED, RELIEF, FARMER)
BASE_CATEGORIES = (EMPLOYEE, RETIREE)  # the amount is a rate on a base

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Quote:
    category: str
    base: Decimal | None
    rate: Decimal | None  # None for fixed amounts
    amount: Decimal
    rule_code: str  # e.g. "2008/E2": rule set 2008, employee bracket 2


@dataclass(frozen=True)
class PayItems:
    """事业单位 pay items (yuan per month); the base is the included items minus the deductions."""

    post_wage: Decimal = Decimal("0")  # 岗位工资
    scale_wage: Decimal = Decimal("0")  # 薪级工资
    basic_performance: Decimal = Decimal("0")  # 基础性绩效工资 (not 奖励性)
    fixed_allowances: Decimal = Decimal("0")  # 固定津贴补贴
    income_tax: Decimal = Decimal("0")  # 个人所得税
    social_insurance: Decimal = Decimal("0")  # 个人缴纳的社会保险费
    housing_fund: Decimal = Decimal("0")  # 住房公积金
    annuity: Decimal = Decimal("0")  # 职业年金

    INCLUDED = ("post_wage", "scale_wage", "basic_performance", "fixed_allowances")
    DEDUCTED = ("income_tax", "social_insurance", "housing_fund", "annuity")


def base_from_items(items: PayItems) -> Decimal:
    """交纳基数 = 岗位工资 + 薪级工资 + 基础性绩效 + 固定津贴 − 个税 − 社保 − 公积金 − 年金 (≥ 0)."""
    for name in PayItems.INCLUDED + PayItems.DEDUCTED:
        if getattr(items, name) < 0:
            raise RuleViolation(_("工资项目不能为负数"), field=name)
    included = sum((getattr(items, n) for n in PayItems.INCLUDED), Decimal("0"))
    deducted = sum((getattr(items, n) for n in PayItems.DEDUCTED), Decimal("0"))
    if deducted > included:
        raise RuleViolation(_("扣除项合计(%(d)s)大于计入项合计(%(i)s)") % {"d": deducted, "i": included})
    return (included - deducted).quantize(CENT)


def rule_set_on(on: date, policy: Policy | None = None) -> DuesRuleSet:
    """The rule set in force on a day: the latest whose effective date is not after it."""
    policy = policy or get_policy()
    candidates = [r for r in policy.dues_rule_sets if r.effective_from <= on]
    if not candidates:
        raise RuleViolation(_("%(d)s 时没有适用的党费标准") % {"d": on.isoformat()})
    return max(candidates, key=lambda r: r.effective_from)


def round_amount(amount: Decimal, policy: Policy | None = None) -> Decimal:
    """Round by the school's rule (to the fen by default, or to the jiao), half up; shown with two places."""
    step = Decimal((policy or get_policy()).dues_rounding)
    return amount.quantize(step, rounding=ROUND_HALF_UP).quantize(CENT)


def parse_money(raw: object, *, field: str = "base", policy: Policy | None = None) -> Decimal:
    """A yuan amount from user input: non-negative, at most 2 decimals, not absurdly large."""
    policy = policy or get_policy()
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise RuleViolation(_("“%(v)s”不是有效的金额") % {"v": raw}, field=field) from None
    if not value.is_finite():
        raise RuleViolation(_("“%(v)s”不是有效的金额") % {"v": raw}, field=field)
    if value < 0:
        raise RuleViolation(_("金额不能为负数"), field=field)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise RuleViolation(_("金额最多保留两位小数"), field=field)
    if value > policy.dues_max_base:
        raise RuleViolation(
            _("金额 %(v)s 超过上限 %(m)s，请检查是否输入有误") % {"v": value, "m": policy.dues_max_base},
            field=field,
        )
    return value.quantize(CENT)


def _bracket(table: tuple[tuple[Decimal | None, Decimal], ...], base: Decimal) -> tuple[int, Decimal]:
    for index, (upper, rate) in enumerate(table, start=1):
        if upper is None or base <= upper:
            return index, rate
    raise RuleViolation(_("党费标准表不完整"))  # the last row must be open-ended


def monthly_dues(
    category: str,
    base: Decimal | None = None,
    on: date | None = None,
    *,
    fixed_amount: Decimal | None = None,
    policy: Policy | None = None,
) -> Quote:
    """The monthly dues for a category and base under the rule set in force on ``on`` (default today).

    Employees and retirees: a rate on the whole base by bracket (not progressive). Fixed categories: the
    set amount. Farmers: the amount the branch sets (``fixed_amount``), within the allowed range.
    """
    policy = policy or get_policy()
    rules = rule_set_on(on or date.today(), policy)
    if category in BASE_CATEGORIES:
        if base is None:
            raise RuleViolation(_("请填写交纳基数"), field="base")
        if base < 0:
            raise RuleViolation(_("交纳基数不能为负数"), field="base")
        table, letter = (rules.employee, "E") if category == EMPLOYEE else (rules.retiree, "R")
        index, rate = _bracket(table, base)
        return Quote(category, base, rate, round_amount(base * rate, policy), f"{rules.code}/{letter}{index}")
    if category == FARMER:
        amount = rules.farmer_min if fixed_amount is None else fixed_amount
        if not rules.farmer_min <= amount <= rules.farmer_max:
            raise RuleViolation(
                _("农民党员每月交纳 %(lo)s 至 %(hi)s 元") % {"lo": rules.farmer_min, "hi": rules.farmer_max},
                field="fixed_amount",
            )
        return Quote(category, None, None, amount.quantize(CENT), f"{rules.code}/FARMER")
    fixed = dict(rules.fixed)
    if category in fixed:
        return Quote(category, None, None, fixed[category].quantize(CENT), f"{rules.code}/F-{category}")
    raise RuleViolation(_("未知的党费类别“%(c)s”") % {"c": category}, field="category")


def months_between(first: date, last: date) -> int:
    """Whole months from ``first`` to ``last`` (both first-of-month dates): 2026-01 → 2026-07 is 6."""
    return (last.year - first.year) * 12 + last.month - first.month


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _yuan(value: Decimal) -> str:
    """3000 for Decimal("3000"), 0.2 for Decimal("0.20"): a bound as a person writes it."""
    return f"{value.normalize():f}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def describe_rule(rule_code: str, policy: Policy | None = None) -> str:
    """The rule behind a ``rule_code`` in words, from the rule set's own table: "2008/E3" is
    "按月工资收入 5000 元以上至 10000 元(含)：1.5%". An unknown code is given back as it is."""
    policy = policy or get_policy()
    set_code, _sep, part = rule_code.partition("/")
    rules = next((r for r in policy.dues_rule_sets if r.code == set_code), None)
    if rules is None or not part:
        return rule_code
    if part[:1] in ("E", "R") and part[1:].isdigit():
        table = rules.employee if part[0] == "E" else rules.retiree
        index = int(part[1:])
        if not 1 <= index <= len(table):
            return rule_code
        upper, rate = table[index - 1]
        lower = table[index - 2][0] if index > 1 else None
        income = _("按月工资收入") if part[0] == "E" else _("按月离退休费")
        if lower is None and upper is not None:
            bracket = _("%(u)s 元以下(含)") % {"u": _yuan(upper)}
        elif upper is None and lower is not None:
            bracket = _("%(l)s 元以上") % {"l": _yuan(lower)}
        elif lower is not None and upper is not None:
            bracket = _("%(l)s 元以上至 %(u)s 元(含)") % {"l": _yuan(lower), "u": _yuan(upper)}
        else:
            bracket = _("不论多少")
        return _("%(income)s %(bracket)s：%(rate)s") % {
            "income": income,
            "bracket": bracket,
            "rate": _percent(rate),
        }
    if part == "FARMER":
        return _("农民党员：每月 %(lo)s 至 %(hi)s 元") % {"lo": rules.farmer_min, "hi": rules.farmer_max}
    if part.startswith("F-"):
        fixed = dict(rules.fixed)
        category = part[2:]
        if category in fixed:
            return _("%(who)s：每月 %(a)s 元") % {"who": category_label(category), "a": fixed[category]}
    return rule_code


def category_label(category: str) -> str:
    labels = {
        EMPLOYEE: _("在职职工"),
        RETIREE: _("离退休人员"),
        STUDENT: _("学生党员"),
        UNEMPLOYED: _("下岗失业党员"),
        RELIEF: _("享受最低生活保障的党员"),
        FARMER: _("农民党员"),
    }
    return labels.get(category, category)


# A month's state as the member and the branch see it.
UNPAID = "unpaid"  # 未交
PENDING = "pending"  # 待确认: the member declared it paid; the branch has not confirmed yet
PAID = "paid"  # 已交
EXEMPT = "exempt"  # 免交: an approved exemption makes the month's amount nothing


def month_state(*, amount: Decimal, paid_amount: Decimal, declared: bool) -> str:
    """未交 / 待确认 / 已交 / 免交 of one billed month: paid in full wins over a pending declaration
    (the branch recorded the money some other way), and a month of nothing due is 免交."""
    if amount <= 0:
        return EXEMPT
    if paid_amount >= amount:
        return PAID
    return PENDING if declared else UNPAID
