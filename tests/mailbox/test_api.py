"""The API: a signed-in person writes (Chinese errors, nothing stored; a retried POST makes one letter)
and lists their own letters and those they handle, the anonymous writer never named."""

from __future__ import annotations

from dangjian.mailbox.models import Letter
from tests.mailbox.conftest import write, write_public

URL = "/api/v1/mailbox/letters"


def _body(org, **extra):
    return {"organization_id": org.pk, "category": "advice", "subject": "建议", "body": "内容", **extra}


def test_a_member_writes_through_the_api(world, member_user, login):
    response = login(member_user).post(URL, _body(world.cs_branch), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organization_id"] == world.cs_branch.pk and body["status"] == "submitted"
    assert body["due_on"] == "2026-12-07" and body["writer"] == world.member.name


def test_an_organization_outside_ones_line_is_refused(world, member_user, login):
    response = login(member_user).post(URL, _body(world.fl), content_type="application/json")
    assert response.status_code == 422
    assert "不在你的隶属关系线上" in response.json()["message"]
    assert not Letter.objects.exists()


def test_an_unknown_organization_answers_404_in_chinese(world, member_user, login):
    response = login(member_user).post(
        URL, {**_body(world.cs), "organization_id": 999999}, content_type="application/json"
    )
    assert response.status_code == 404 and "未找到组织" in response.json()["message"]


def test_an_account_without_a_person_cannot_write(world, outsider_organizer, login):
    response = login(outsider_organizer).post(URL, _body(world.fl), content_type="application/json")
    assert response.status_code == 404
    assert not Letter.objects.exists()


def test_a_retried_post_with_the_same_key_makes_one_letter(world, member_user, login):
    client = login(member_user)
    payload = _body(world.cs, idempotency_key="r" * 32)
    first = client.post(URL, payload, content_type="application/json")
    again = client.post(URL, payload, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Letter.objects.count() == 1


def test_the_list_holds_own_and_handled_letters_and_hides_the_anonymous_writer(
    world, member_user, branch_secretary, outsider_organizer, login
):
    mine = write(world.member, world.cs_branch, anonymous=True)
    write_public(world.school)
    other = write(world.fl_member, world.fl_branch)
    own = login(member_user).get(URL).json()
    assert [i["id"] for i in own["items"]] == [mine.pk]
    handled = login(branch_secretary).get(URL).json()
    assert [i["id"] for i in handled["items"]] == [mine.pk]
    assert handled["items"][0]["writer"] == "匿名来信"
    assert world.member.name not in str(handled)
    assert [i["id"] for i in login(outsider_organizer).get(URL).json()["items"]] == [other.pk]


def test_the_list_refuses_an_account_with_neither_person_nor_role(world, auditor, login):
    assert login(auditor).get(URL).status_code == 404


def test_the_list_is_paginated(world, branch_secretary, login):
    for org in (world.cs_branch, world.cs_branch, world.cs_branch):
        write(world.member, org)
    body = login(branch_secretary).get(URL, {"page": 2, "page_size": 1}).json()
    assert body["count"] == 3 and len(body["items"]) == 1
