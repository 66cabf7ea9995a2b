"""GET /api/v1/dues/quote: public, the rule's answer, Chinese 422 for bad input."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "amount", "code"),
    [
        ("category=employee&base=5100.00", "76.50", "2008/E3"),
        ("category=retiree&base=5000.01", "50.00", "2008/R2"),
        ("category=student", "0.20", "2008/F-student"),
        ("category=farmer&amount=0.50", "0.50", "2008/FARMER"),
    ],
)
def test_quote(query: str, amount: str, code: str) -> None:
    body = Client().get(f"/api/v1/dues/quote?{query}").json()
    assert (body["amount"], body["rule_code"]) == (amount, code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=boss&base=1", "未知的党费类别"),
        ("category=employee&base=-1", "不能为负数"),
        ("category=employee&base=abc", "不是有效的金额"),
        ("category=employee&base=1.234", "两位小数"),
        ("category=employee&base=99999999999", "超过上限"),
        ("category=employee", "交纳基数"),
        ("category=farmer&amount=5", "农民党员"),
    ],
)
def test_bad_quotes_are_422_in_chinese(query: str, message: str) -> None:
    response = Client().get(f"/api/v1/dues/quote?{query}")
    assert response.status_code == 422
    assert message in response.json()["message"]


def test_my_bills_needs_login_and_lists_own(billed, login, member_user) -> None:
    assert Client().get("/api/v1/dues/me/bills").status_code == 401
    bills = login(member_user).get("/api/v1/dues/me/bills").json()
    assert [b["month"] for b in bills] == ["2026-11", "2026-10", "2026-09"]


def test_my_bills_with_a_token_are_the_tokens_members(billed, member_user) -> None:
    from dangjian.accounts.services import api_token_create

    _token, raw = api_token_create(user=member_user)
    bills = Client().get("/api/v1/dues/me/bills", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [b["month"] for b in bills] == ["2026-11", "2026-10", "2026-09"]
    assert bills[0]["amount"] == "76.50" and bills[0]["is_paid"] is False
