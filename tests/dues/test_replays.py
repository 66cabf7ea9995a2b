"""A repeated submission (double click, back button, retry) returns the first one's result — before any
validation, so a month the first submission paid can no longer make the repeat look like an error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dangjian.dues import services
from dangjian.dues.models import Declaration, Entry, OnlineOrder

DEC = date(2026, 12, 1)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_repeated_advance_payment_shows_the_first_result_not_a_form_error(
    billed, login, branch_secretary
) -> None:
    client = login(branch_secretary)
    url = reverse("dues:payment_new", args=[billed.member.pk])
    data = {"months": ["2026-12-01"], "method": "cash", "idempotency_key": "adv-1"}
    first = client.post(url, data)
    again = client.post(url, data)  # 2026-12 is paid now and no longer among the form's choices
    assert first.status_code == again.status_code == 302
    assert again.url == first.url == reverse("dues:person", args=[billed.member.pk])
    assert "不在可用的选项中" not in again.content.decode()
    message = _messages(again)[-1]
    assert "已登记交纳 1 个月，共 76.50 元" in message and "已记录(重复提交)" in message
    assert Entry.objects.filter(person=billed.member).values("batch").distinct().count() == 1


def test_a_repeated_payment_is_answered_before_the_form_is_validated(billed, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("dues:payment_new", args=[billed.member.pk])
    client.post(url, {"months": ["2026-11-01"], "method": "cash", "idempotency_key": "k-2"})
    # the same key with a form that would now fail (no months, unknown method): still the first result
    again = client.post(url, {"idempotency_key": "k-2", "method": "bitcoin"})
    assert again.status_code == 302 and "已记录(重复提交)" in _messages(again)[-1]
    assert Entry.objects.filter(person=billed.member).count() == 1


def test_a_key_of_another_members_payment_is_not_a_replay(billed, login, branch_secretary, world) -> None:
    services.payment_record(
        actor=None, person=billed.secretary, months=[date(2026, 11, 1)], method="cash", idempotency_key="k-3"
    )
    url = reverse("dues:payment_new", args=[billed.member.pk])
    page = login(branch_secretary).post(url, {"idempotency_key": "k-3", "method": "cash"})
    assert page.status_code == 200 and "请选择要交纳的月份" in page.content.decode()


def test_a_repeated_large_payment_records_one(billed, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("dues:large_payment_new", args=[billed.member.pk])
    data = {"amount": "2000", "method": "cash", "idempotency_key": "big-1"}
    client.post(url, data)
    again = client.post(url, {**data, "amount": "10"})  # a repeat is not re-validated
    assert again.status_code == 302 and "已记录(重复提交)" in _messages(again)[-1]
    assert Entry.objects.filter(person=billed.member, kind="large").count() == 1


def test_the_payment_service_returns_the_first_batch_before_validating(billed) -> None:
    first = services.payment_record(
        actor=None, person=billed.member, months=[DEC], method="cash", idempotency_key="svc-1"
    )
    again = services.payment_record(
        actor=None, person=billed.member, months=[], method="nonsense", idempotency_key="svc-1"
    )
    assert [e.pk for e in again] == [e.pk for e in first]


def test_a_repeated_declaration_shows_the_first_one(billed, login, member_user) -> None:
    client = login(member_user)
    data = {"months": ["2026-11-01"], "method": "cash", "idempotency_key": "decl-1"}
    client.post(reverse("dues:declare"), data)
    again = client.post(reverse("dues:declare"), data)
    assert again.status_code == 302 and again.url == reverse("dues:me")
    assert "已提交，等待支部确认" in _messages(again)[-1]
    assert "待确认的申报" not in " ".join(_messages(again))
    assert Declaration.objects.count() == 1


@pytest.fixture
def fake_gateway(settings):
    settings.DUES_PAYMENT_PROVIDER = "dangjian.dues.payments.FakeProvider"


def test_a_repeated_online_payment_reuses_the_waiting_order(billed, login, member_user, fake_gateway) -> None:
    client = login(member_user)
    first = client.post(reverse("dues:pay_online"))
    again = client.post(reverse("dues:pay_online"))
    assert first.url == again.url
    assert OnlineOrder.objects.count() == 1
    assert OnlineOrder.objects.get().amount == Decimal("229.50")
