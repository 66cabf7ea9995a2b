"""Online payment through the adapter: a signed notice pays once; forged or wrong notices change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.dues.models import Entry, OnlineOrder, OrderStatus
from dangjian.dues.payments import FakeProvider


@pytest.fixture
def online(settings):
    settings.DUES_PAYMENT_PROVIDER = "dangjian.dues.payments.FakeProvider"


def notify(
    order: OnlineOrder, *, amount: Decimal | None = None, paid: bool = True, signature: str | None = None
):
    body, sig = FakeProvider.sign(
        {"order_id": order.order_id, "amount": str(amount or order.amount), "paid": paid, "reference": "GW-1"}
    )
    return Client().post(
        reverse("dues:online_notify", args=["fake"]),
        body,
        content_type="application/json",
        headers={"X-Signature": signature or sig},
    )


def test_member_pays_online_once(online, billed, login, member_user) -> None:
    response = login(member_user).post(reverse("dues:pay_online"))
    order = OnlineOrder.objects.get()
    assert response.url.startswith("/fake-pay/") and order.amount == Decimal("229.50")
    assert notify(order).status_code == 200
    assert notify(order).status_code == 200  # the gateway retries: still one payment
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Entry.objects.filter(person=billed.member, method="online").count() == 3


def test_forged_or_wrong_notices_are_refused(online, billed, login, member_user) -> None:
    login(member_user).post(reverse("dues:pay_online"))
    order = OnlineOrder.objects.get()
    assert notify(order, signature="forged").status_code == 400
    assert notify(order, amount=Decimal("1.00")).status_code == 400
    assert not Entry.objects.exists()


def test_online_payment_is_off_without_a_provider(billed, login, member_user) -> None:
    assert login(member_user).post(reverse("dues:pay_online")).status_code == 404
    assert (
        Client()
        .post(reverse("dues:online_notify", args=["fake"]), b"{}", content_type="application/json")
        .status_code
        == 404
    )
