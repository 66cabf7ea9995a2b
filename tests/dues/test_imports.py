"""Dues bases from an HR sheet: pay items or a base, dry run first, row errors, idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.dues.imports import DUES_BASES
from dangjian.dues.models import Assessment
from tests.spreadsheets.test_people_import import xlsx

HEADERS = DUES_BASES.headers
ITEMS = ["4200", "1800", "2100", "600", "180", "620", "900", "300"]


def row(
    staff: str, month: str = "2027-01-01", category: str = "", base: str = "", items=None
) -> list[object]:
    return [staff, month, category, base, *(items or [""] * 8)]


@pytest.fixture
def send(import_file, branch_secretary):
    return lambda content, commit=None: import_file(branch_secretary, "dues-bases", content, commit)


def test_bases_from_pay_items_and_direct_bases_are_imported_once(billed, send) -> None:
    content = xlsx(
        [row(billed.member.staff_number, items=ITEMS), row(billed.secretary.staff_number, base="5100")],
        headers=HEADERS,
    )
    checked = send(content)
    assert (
        dict(checked.result["summary"])["新增"] == 2
        and not Assessment.objects.filter(from_month=date(2027, 1, 1)).exists()
    )
    send(content, commit="all")
    member = Assessment.objects.get(person=billed.member, from_month=date(2027, 1, 1))
    assert (member.base, member.amount, member.base_method) == (
        Decimal("6700.00"),
        Decimal("100.50"),
        "items",
    )
    assert dict(send(content).result["summary"])["无变化"] == 2


@pytest.mark.parametrize(
    ("make_row", "message"),
    [
        (lambda w: row(w.fl_member.staff_number, base="5000"), "不是您管理范围内的在册党员"),
        (lambda w: row(w.member.staff_number), "请填写交纳基数或工资项目"),
        (lambda w: row(w.member.staff_number, base="-1"), "金额不能为负数"),
        (lambda w: row(w.member.staff_number, base="12.345"), "最多保留两位小数"),
        (lambda w: row(w.member.staff_number, base="5000", items=ITEMS), "请不要再填交纳基数"),
        (lambda w: row(w.member.staff_number, category="宇航员", base="1"), "不是可选值"),
    ],
)
def test_bad_rows_are_explained(billed, send, make_row, message) -> None:
    checked = send(xlsx([make_row(billed)], headers=HEADERS))
    assert any(message in line for line in checked.row_errors), checked.row_errors


def test_outsiders_cannot_open_the_import(billed, login, member_user) -> None:
    from django.urls import reverse

    assert login(member_user).get(reverse("core:import", args=["dues-bases"])).status_code == 404
