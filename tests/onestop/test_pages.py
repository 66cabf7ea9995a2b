"""The pages: 我的服务 (ask, follow, rate, download), the handler's list and a request's page with its
buttons; outsiders answer 404 everywhere; list pages cost a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.onestop import services
from dangjian.onestop.models import Proof, Request
from dangjian.onestop.rules import RequestKind as K
from dangjian.onestop.rules import RequestStatus
from tests import factories as f
from tests.onestop.conftest import SYSTEM, issue, submit, taken


def test_a_member_asks_from_the_catalogue(world, member_user, login):
    client = login(member_user)
    page = client.get(reverse("onestop:mine"))
    assert page.status_code == 200
    assert reverse("onestop:request_new", args=["proof_party_age"]) in page.content.decode()
    assert reverse("onestop:request_new", args=["funds"]) not in page.content.decode()
    response = client.post(
        reverse("onestop:request_new", args=["long_leave"]),
        {"start_on": "2026-12-07", "end_on": "2027-01-31", "reason": "科研合作"},
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert (request.kind, request.requester, request.handling_org) == (
        "long_leave",
        world.member,
        world.cs_branch,
    )
    assert "科研合作" in client.get(reverse("onestop:mine")).content.decode()


def test_a_bad_form_shows_chinese_errors_and_stores_nothing(world, member_user, login):
    response = login(member_user).post(
        reverse("onestop:request_new", args=["long_leave"]),
        {"start_on": "2026-12-07", "end_on": "2026-12-01", "reason": "x"},
    )
    assert response.status_code == 200
    assert "不能早于开始日期" in response.content.decode()
    assert not Request.objects.exists()


def test_a_member_cannot_open_a_branch_request_form(world, member_user, login):
    assert login(member_user).get(reverse("onestop:request_new", args=["funds"])).status_code == 404
    assert login(member_user).get(reverse("onestop:request_new", args=["parking"])).status_code == 404


def test_the_secretary_asks_the_college_for_their_branch(world, branch_secretary, login):
    client = login(branch_secretary)
    response = client.post(
        reverse("onestop:request_new", args=["funds"]),
        {"from_org": world.cs_branch.pk, "amount": "800", "activity": "主题党日", "budget": "资料"},
    )
    assert response.status_code == 302
    assert Request.objects.get().handling_org == world.cs


def test_the_secretary_takes_completes_and_the_member_rates(world, branch_secretary, member_user, login):
    request = submit(world.member)
    client = login(branch_secretary)
    assert client.get(reverse("onestop:handle")).status_code == 200
    detail = client.get(reverse("onestop:request", args=[request.pk]))
    assert "受理" in detail.content.decode()
    url = reverse("onestop:take", args=[request.pk])
    assert client.post(url, {"expected_status": "submitted"}).status_code == 302
    assert client.post(url, {"expected_status": "submitted"}).status_code == 409
    complete = reverse("onestop:complete", args=[request.pk])
    assert client.post(complete, {"expected_status": "handling", "note": "同意"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    member = login(member_user)
    assert "评价" in member.get(reverse("onestop:mine")).content.decode()
    assert (
        member.post(
            reverse("onestop:rate", args=[request.pk]), {"score": "5", "expected_status": "done"}
        ).status_code
        == 302
    )
    again = member.post(reverse("onestop:rate", args=[request.pk]), {"score": "1", "expected_status": "done"})
    assert again.status_code == 200 and "已评价" in again.content.decode()
    request.refresh_from_db()
    assert request.satisfaction == 5


def test_refusing_asks_for_a_reason(world, branch_secretary, login):
    request = submit(world.member)
    client = login(branch_secretary)
    url = reverse("onestop:refuse", args=[request.pk])
    response = client.post(url, {"expected_status": "submitted", "reason": ""})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert client.post(url, {"expected_status": "submitted", "reason": "不符合条件"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED


def test_the_member_downloads_their_proof_and_the_college_withdraws_it(
    world, member_user, college_organizer, login
):
    proof = issue(world.member)
    response = login(member_user).get(reverse("onestop:proof_pdf", args=[proof.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    organizer = login(college_organizer)
    assert organizer.get(reverse("onestop:request", args=[proof.request_id])).status_code == 200
    url = reverse("onestop:proof_withdraw", args=[proof.pk])
    assert login(member_user).post(url, {"reason": "x"}).status_code == 404
    assert organizer.post(url, {"reason": "有误", "expected_status": "valid"}).status_code == 302
    assert organizer.post(url, {"reason": "再次", "expected_status": "valid"}).status_code == 409
    proof.refresh_from_db()
    assert proof.withdrawn_at is not None


def test_another_member_cannot_download_a_proof(world, login):
    proof = issue(world.member)
    other = f.user_for(world.fl_member, "fl_member")
    assert login(other).get(reverse("onestop:proof_pdf", args=[proof.pk])).status_code == 404


def _mutations(request: Request, proof: Proof) -> list[tuple[str, dict[str, str]]]:
    return [
        (reverse("onestop:take", args=[request.pk]), {"expected_status": "submitted"}),
        (reverse("onestop:complete", args=[request.pk]), {"expected_status": "handling"}),
        (reverse("onestop:refuse", args=[request.pk]), {"expected_status": "submitted", "reason": "x"}),
        (reverse("onestop:rate", args=[proof.request_id]), {"score": "5"}),
        (reverse("onestop:proof_withdraw", args=[proof.pk]), {"reason": "x"}),
    ]


def test_another_colleges_organizer_gets_404_everywhere(world, outsider_organizer, login):
    request = submit(world.member)
    proof = issue(world.member)
    client = login(outsider_organizer)
    for url, data in _mutations(request, proof):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("onestop:request", args=[request.pk])).status_code == 404
    assert client.get(reverse("onestop:proof_pdf", args=[proof.pk])).status_code == 404
    request.refresh_from_db()
    proof.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED and proof.withdrawn_at is None


def test_a_member_cannot_handle(world, member_user, login):
    request = submit(f.member(world.cs_branch, "同支部"))
    client = login(member_user)
    assert client.get(reverse("onestop:handle")).status_code == 404
    assert (
        client.post(reverse("onestop:take", args=[request.pk]), {"expected_status": "submitted"}).status_code
        == 404
    )


def test_the_handlers_list_filters_and_marks_the_overdue(world, branch_secretary, login, time_machine):
    late = submit(world.member)
    time_machine.move_to("2026-12-10 10:00 +0800", tick=False)
    fresh = submit(
        f.member(world.cs_branch, "新申请"),
        K.FLOWING,
        {"destination": "上海", "start_on": "2026-12-10", "contact": "1", "reason": "实习"},
    )
    client = login(branch_secretary)
    html = client.get(reverse("onestop:handle")).content.decode()
    assert html.index(reverse("onestop:request", args=[late.pk])) < html.index(
        reverse("onestop:request", args=[fresh.pk])
    )
    assert "已超期" in html
    only = client.get(reverse("onestop:handle"), {"kind": "flowing"}).content.decode()
    assert reverse("onestop:request", args=[late.pk]) not in only


def _many(world, n: int) -> None:
    for i in range(n):
        person = f.member(world.cs_branch, f"党员{i}")
        request = submit(person)
        if i % 3 == 1:
            taken(request)
        issue(person)


@pytest.mark.parametrize("n", [3, 15])
def test_the_handlers_list_costs_fixed_queries(
    world, college_organizer, login, django_assert_max_num_queries, n
):
    _many(world, n)
    client = login(college_organizer)
    client.get(reverse("onestop:handle"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("onestop:handle"), {"status": "all"})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 15])
def test_my_services_costs_fixed_queries(world, member_user, login, django_assert_max_num_queries, n):
    for _ in range(n):
        request = taken(submit(world.member))
        services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status=None)
        issue(world.member, K.PROOF_RELATION)
    client = login(member_user)
    client.get(reverse("onestop:mine"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("onestop:mine")).status_code == 200


def test_a_double_click_on_submit_makes_one_request(world, member_user, login):
    client = login(member_user)
    url = reverse("onestop:request_new", args=["long_leave"])
    key = client.get(url).context["form"]["idempotency_key"].value()
    form = {"start_on": "2026-12-07", "end_on": "2027-01-31", "reason": "科研合作", "idempotency_key": key}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the second click answers the first request
    assert Request.objects.count() == 1
