"""A repeated submission (double click, back button, retry) returns the first one's result — before any
validation, so a month the first submission paid can no longer make the repeat look like an error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dangjian.accounts.scope import Scope
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
        actor=None,
        scope=Scope.system(),
        person=billed.secretary,
        months=[date(2026, 11, 1)],
        method="cash",
        idempotency_key="k-3",
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
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[DEC],
        method="cash",
        idempotency_key="svc-1",
    )
    again = services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[],
        method="nonsense",
        idempotency_key="svc-1",
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


def test_a_repeated_relief_request_shows_the_first_one(billed, login, branch_secretary) -> None:
    from dangjian.dues.models import Relief

    client = login(branch_secretary)
    url = reverse("dues:relief_new", args=[billed.member.pk])
    data = {"kind": "exempt", "from_month": "2027-01", "to_month": "2027-03", "reason": "生活困难"}
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again.url == first.url == reverse("dues:person", args=[billed.member.pk])
    assert _messages(again)[-1] == _messages(first)[-1] == "已提交减免申请，等待审批"
    assert Relief.objects.filter(person=billed.member, status="pending").count() == 1
    # other months are another request
    client.post(url, {**data, "from_month": "2027-04", "to_month": "2027-04"})
    assert Relief.objects.filter(person=billed.member, status="pending").count() == 2


def test_a_decided_relief_does_not_swallow_a_new_request_for_the_same_months(billed) -> None:
    from dangjian.dues.models import Relief

    months = {"kind": "exempt", "from_month": date(2027, 1, 1), "to_month": date(2027, 3, 1)}
    first = services.relief_request(
        actor=None, scope=Scope.system(), person=billed.member, reason="困难", **months
    )
    services.relief_decide(actor=None, scope=Scope.system(), relief=first, approve=False, note="材料不全")
    again = services.relief_request(
        actor=None, scope=Scope.system(), person=billed.member, reason="困难", **months
    )
    assert again.pk != first.pk and Relief.objects.filter(status="pending").get() == again


# ---------------------------------------------------------------- a one-time key of another member


def test_a_payment_reusing_another_members_key_is_refused_not_a_server_error(
    billed, login, branch_secretary
) -> None:
    services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.secretary,
        months=[date(2026, 11, 1)],
        method="cash",
        idempotency_key="k-9",
    )
    url = reverse("dues:payment_new", args=[billed.member.pk])
    page = login(branch_secretary).post(
        url, {"months": ["2026-11-01"], "method": "cash", "idempotency_key": "k-9"}
    )
    assert page.status_code == 200 and "该提交已被使用，请刷新页面后重新填写" in page.content.decode()
    assert not Entry.objects.filter(person=billed.member).exists()


def test_a_large_payment_reusing_another_members_key_is_refused(billed) -> None:
    from dangjian.kit.errors import RuleViolation

    services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.secretary,
        months=[date(2026, 11, 1)],
        method="cash",
        idempotency_key="k-8",
    )
    with pytest.raises(RuleViolation, match="该提交已被使用") as refused:
        services.large_payment_record(
            actor=None,
            scope=Scope.system(),
            person=billed.member,
            amount=Decimal("2000"),
            method="cash",
            idempotency_key="k-8",
        )
    assert refused.value.code == "key_used"
    assert not Entry.objects.filter(person=billed.member).exists()


def test_a_declaration_reusing_another_members_key_is_refused_not_a_server_error(
    billed, login, member_user
) -> None:
    services.declaration_submit(
        actor=None,
        scope=Scope.system(),
        person=billed.secretary,
        months=[date(2026, 11, 1)],
        method="cash",
        idempotency_key="d-9",
    )
    page = login(member_user).post(
        reverse("dues:declare"), {"months": ["2026-11-01"], "method": "cash", "idempotency_key": "d-9"}
    )
    assert page.status_code == 200 and "该提交已被使用，请刷新页面后重新填写" in page.content.decode()
    assert Declaration.objects.filter(person=billed.member).count() == 0
