"""Dues API: the public quote endpoint for checking the rule, and a member's own dues."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from dangjian.accounts.requests import ScopedRequest
from dangjian.dues import rules, selectors
from dangjian.kit.access_rules import access_rule, person, public
from dangjian.kit.errors import RuleViolation

router = Router(tags=["dues"])


class QuoteOut(Schema):
    category: str
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal
    rule_code: str


@access_rule(public())
@router.get("/dues/quote", response=QuoteOut, auth=None)
def quote(request: HttpRequest, category: str, base: str = "", amount: str = "") -> Any:
    """The monthly dues for a category and base under today's rule (no login needed).

    ``category``: employee, retiree, student, unemployed, relief, farmer; ``base`` (yuan, at most two
    decimals) for employee and retiree; ``amount`` for farmer (the branch's amount, 0.20–1.00).
    """
    if category not in rules.CATEGORIES:
        raise RuleViolation(
            _("未知的党费类别“%(c)s”，可选：%(all)s")
            % {"c": category[:20], "all": ", ".join(rules.CATEGORIES)},
            field="category",
        )
    base_value = rules.parse_money(base) if base.strip() else None
    fixed = rules.parse_money(amount, field="amount") if amount.strip() else None
    if category in rules.BASE_CATEGORIES and base_value is None:
        raise RuleViolation(_("请提供交纳基数 base"), field="base")
    q = rules.monthly_dues(category, base_value, timezone.localdate(), fixed_amount=fixed)
    return {
        "category": q.category,
        "base": q.base,
        "rate": q.rate,
        "amount": q.amount,
        "rule_code": q.rule_code,
    }


class BillOut(Schema):
    month: str
    amount: Decimal
    paid_amount: Decimal
    is_paid: bool
    # unpaid 未交 / pending 待确认 (declared, the branch has not confirmed) / paid 已交 / exempt 免交
    state: str
    state_label: str


@access_rule(person())
@router.get("/dues/me/bills", response=list[BillOut])
def my_bills(request: ScopedRequest) -> Any:
    """The signed-in member's last 24 bills, latest first, each with its state: ``unpaid`` (未交),
    ``pending`` (待确认: declared paid, waiting for the branch), ``paid`` (已交), ``exempt`` (免交)."""
    # The user the session or the token signed in (the token's authenticator sets ``request.user``).
    person_id = getattr(request.user, "person_id", None)
    if not person_id:
        raise Http404
    bills = selectors.latest_bills(person_id, months=24)
    return [
        {
            "month": f"{b.month:%Y-%m}",
            "amount": b.amount,
            "paid_amount": b.paid_amount,
            "is_paid": b.is_paid,
            "state": b.state,
            "state_label": b.state_label,
        }
        for b in bills
    ]
