"""A month reads 未交 / 待确认 / 已交 / 免交 wherever it is shown; declaring ticks the unpaid months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.dues import rules, selectors, services
from dangjian.dues.forms import DeclarationForm

D = Decimal


@pytest.mark.parametrize(
    ("amount", "paid", "declared", "state"),
    [
        ("76.50", "0", False, "unpaid"),
        ("76.50", "0", True, "pending"),
        ("76.50", "40.00", True, "pending"),
        ("76.50", "76.50", False, "paid"),
        ("76.50", "76.50", True, "paid"),  # recorded another way meanwhile: paid wins
        ("0", "0", False, "exempt"),
    ],
)
def test_month_state_table(amount, paid, declared, state) -> None:
    assert rules.month_state(amount=D(amount), paid_amount=D(paid), declared=declared) == state


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2008/E1", "按月工资收入 3000 元以下(含)：0.5%"),
        ("2008/E2", "按月工资收入 3000 元以上至 5000 元(含)：1%"),
        ("2008/E4", "按月工资收入 10000 元以上：2%"),
        ("2008/R1", "按月离退休费 5000 元以下(含)：0.5%"),
        ("2008/R2", "按月离退休费 5000 元以上：1%"),
        ("2008/F-student", "学生党员：每月 0.20 元"),
        ("2008/FARMER", "农民党员：每月 0.20 至 1.00 元"),
        ("1999/E1", "1999/E1"),  # unknown: shown as it is, never a crash
        ("2008/E9", "2008/E9"),
    ],
)
def test_rule_codes_read_in_words_from_the_rule_table(code, words) -> None:
    assert rules.describe_rule(code) == words


def _declare_october(billed) -> None:
    services.declaration_submit(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 10, 1)], method="cash"
    )


def test_a_declared_month_reads_pending_for_the_member(billed, login, member_user) -> None:
    _declare_october(billed)
    html = login(member_user).get(reverse("dues:me")).content.decode()
    assert "待确认" in html and "已申报交纳，待支部确认" in html
    # September and November are still owed: two months, not three.
    assert "您有 2 个月的党费未交，共 ¥153.00" in html
    states = {b.month: b.state for b in selectors.person_dues(billed.member)["bills"]}
    assert states == {date(2026, 9, 1): "unpaid", date(2026, 10, 1): "pending", date(2026, 11, 1): "unpaid"}


@pytest.mark.parametrize("months", [24, 2])
def test_the_summary_from_the_page_bills_equals_the_one_read_apart(billed, months) -> None:
    """我的党费 sums the unpaid months from the bills it shows when those are all the member's (issue 20);
    with more bills than the page shows, it reads them apart — either way the same summary."""
    _declare_october(billed)
    data = selectors.person_dues(billed.member, months=months)
    assert (data["unpaid_bills"] is None) == (months == 2)
    declared = set(data["declared_months"])
    assert selectors.member_summary(
        billed.member, declared, data["unpaid_bills"]
    ) == selectors.member_summary(billed.member)


def test_the_branch_month_table_shows_the_pending_state(billed, login, branch_secretary) -> None:
    _declare_october(billed)
    url = reverse("dues:org", args=[billed.cs_branch.pk]) + "?month=2026-10"
    html = login(branch_secretary).get(url).content.decode()
    assert "本月状态" in html and "待确认" in html and "未交" in html
    lines = {line.name: line.state for line in selectors.member_lines(billed.cs_branch, date(2026, 10, 1))}
    assert lines["李晓红"] == "pending" and lines["王建国"] == "unpaid"


def test_confirming_makes_the_month_paid(billed, login, branch_secretary) -> None:
    _declare_october(billed)
    declaration = selectors.pending_declarations(Scope.system()).get()
    services.declaration_decide(actor=None, scope=Scope.system(), declaration=declaration, approve=True)
    states = {b.month: b.state for b in selectors.latest_bills(billed.member.pk)}
    assert states[date(2026, 10, 1)] == "paid"


def test_the_api_gives_each_months_state(billed, login, member_user) -> None:
    _declare_october(billed)
    rows = login(member_user).get("/api/v1/dues/me/bills").json()
    by_month = {r["month"]: (r["state"], r["state_label"], r["is_paid"]) for r in rows}
    assert by_month["2026-10"] == ("pending", "待确认", False)
    assert by_month["2026-11"] == ("unpaid", "未交", False)


def test_the_declaration_form_ticks_every_unpaid_month(billed, login, member_user) -> None:
    page = login(member_user).get(reverse("dues:declare")).content.decode()
    for month in ("2026-09-01", "2026-10-01", "2026-11-01"):
        assert f'value="{month}"' in page
    assert page.count("checked") >= 3
    form = DeclarationForm(options=[(date(2026, 11, 1), D("76.50"), True)])
    assert form.fields["months"].initial == ["2026-11-01"]


def test_one_tap_declares_the_ticked_months(billed, login, member_user) -> None:
    client = login(member_user)
    page = client.get(reverse("dues:declare"))
    form = page.context["form"]
    data = {
        "months": form.fields["months"].initial,
        "method": "cash",
        "idempotency_key": form.fields["idempotency_key"].initial,
    }
    assert client.post(reverse("dues:declare"), data).status_code == 302
    assert len(selectors.pending_declared_months(billed.member.pk)) == 3
    # Declared months are not offered again, nor paid online twice.
    assert selectors.member_summary(billed.member).owed == []
