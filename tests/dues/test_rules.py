"""The dues engine against DOMAIN.md §4: the boundary table, retirees, fixed categories, rounding, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.dues import rules
from dangjian.kit.errors import RuleViolation
from dangjian.policy import DUES_2008, DuesRuleSet, Policy

D = Decimal
ON = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("base", "rate", "amount", "code"),
    [
        ("0", "0.005", "0.00", "2008/E1"),
        ("0.01", "0.005", "0.00", "2008/E1"),
        ("2999.99", "0.005", "15.00", "2008/E1"),
        ("3000.00", "0.005", "15.00", "2008/E1"),
        ("3000.01", "0.01", "30.00", "2008/E2"),
        ("5000.00", "0.01", "50.00", "2008/E2"),
        ("5000.01", "0.015", "75.00", "2008/E3"),
        ("5100", "0.015", "76.50", "2008/E3"),
        ("10000.00", "0.015", "150.00", "2008/E3"),
        ("10000.01", "0.02", "200.00", "2008/E4"),
    ],
)
def test_employee_brackets_apply_to_the_whole_base(base: str, rate: str, amount: str, code: str) -> None:
    quote = rules.monthly_dues("employee", D(base), ON)
    assert (quote.rate, quote.amount, quote.rule_code) == (D(rate), D(amount), code)


@pytest.mark.parametrize(
    ("base", "amount", "code"),
    [("4000", "20.00", "2008/R1"), ("5000", "25.00", "2008/R1"), ("5000.01", "50.00", "2008/R2")],
)
def test_retiree_brackets(base: str, amount: str, code: str) -> None:
    quote = rules.monthly_dues("retiree", D(base), ON)
    assert (quote.amount, quote.rule_code) == (D(amount), code)


@pytest.mark.parametrize("category", ["student", "unemployed", "relief"])
def test_fixed_categories_pay_twenty_fen(category: str) -> None:
    quote = rules.monthly_dues(category, None, ON)
    assert (quote.amount, quote.rate, quote.base) == (D("0.20"), None, None)


@pytest.mark.parametrize(
    ("amount", "ok"), [("0.19", False), ("0.20", True), ("0.50", True), ("1.00", True), ("1.01", False)]
)
def test_farmers_pay_what_the_branch_sets_within_the_range(amount: str, ok: bool) -> None:
    if ok:
        assert rules.monthly_dues("farmer", None, ON, fixed_amount=D(amount)).amount == D(amount)
    else:
        with pytest.raises(RuleViolation):
            rules.monthly_dues("farmer", None, ON, fixed_amount=D(amount))


def test_rounding_to_the_jiao_is_a_school_option() -> None:
    jiao = Policy(dues_rounding="0.1")
    assert rules.monthly_dues("employee", D("5110"), ON, policy=jiao).amount == D("76.70")  # 76.65 → 76.7
    assert rules.monthly_dues("employee", D("5110"), ON).amount == D("76.65")


def test_a_new_rule_set_applies_from_its_date_and_older_months_keep_the_old_rule() -> None:
    new = DuesRuleSet(
        code="2027",
        effective_from=date(2027, 1, 1),
        employee=((D("5000"), D("0.01")), (None, D("0.02"))),
        retiree=DUES_2008.retiree,
        fixed=(("student", D("0.50")),),
        farmer_min=D("0.20"),
        farmer_max=D("1.00"),
    )
    policy = Policy(dues_rule_sets=(DUES_2008, new))
    before = rules.monthly_dues("employee", D("5100"), date(2026, 12, 1), policy=policy)
    after = rules.monthly_dues("employee", D("5100"), date(2027, 1, 1), policy=policy)
    assert (before.amount, before.rule_code) == (D("76.50"), "2008/E3")
    assert (after.amount, after.rule_code) == (D("102.00"), "2027/E2")
    assert rules.monthly_dues("student", None, date(2027, 3, 1), policy=policy).amount == D("0.50")


def test_no_rule_before_the_first_rule_set() -> None:
    with pytest.raises(RuleViolation):
        rules.monthly_dues("employee", D("5000"), date(2000, 1, 1))


def test_unknown_category_and_missing_base_are_refused() -> None:
    with pytest.raises(RuleViolation):
        rules.monthly_dues("pensioner", D("1"), ON)
    with pytest.raises(RuleViolation):
        rules.monthly_dues("employee", None, ON)


def test_base_from_pay_items_subtracts_tax_insurance_fund_and_annuity() -> None:
    items = rules.PayItems(
        post_wage=D("4200"),
        scale_wage=D("1800"),
        basic_performance=D("2100"),
        fixed_allowances=D("600"),
        income_tax=D("180"),
        social_insurance=D("620"),
        housing_fund=D("900"),
        annuity=D("300"),
    )
    assert rules.base_from_items(items) == D("6700.00")
    with pytest.raises(RuleViolation):
        rules.base_from_items(rules.PayItems(post_wage=D("100"), income_tax=D("200")))


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("5100.00", True),
        ("0", True),
        ("-1", False),
        ("abc", False),
        ("1.234", False),
        ("1e9", False),
        ("NaN", False),
    ],
)
def test_parse_money(raw: str, ok: bool) -> None:
    if ok:
        assert rules.parse_money(raw) == D(raw).quantize(D("0.01"))
    else:
        with pytest.raises(RuleViolation):
            rules.parse_money(raw)


@given(st.decimals(min_value=0, max_value=100000, places=2))
def test_amount_is_never_negative_and_rate_is_monotone(base: Decimal) -> None:
    lower = rules.monthly_dues("employee", base, ON)
    higher = rules.monthly_dues("employee", base + D("0.01"), ON)
    assert lower.amount >= 0
    assert higher.rate >= lower.rate  # type: ignore[operator]
