"""The public 书记信箱 (no sign-in): write to the school or a college, the tracking code shown once, the
tracking page; the honeypot, the contact required, the rate limits; a wrong code answers 404 “未找到”."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.mailbox.models import Letter
from tests.mailbox.conftest import replied, write_public
from tests.ratelimits import assert_rate_limited_page, set_limit

WRITE = "/mailbox/write/"
TRACK = "/mailbox/track/"


def _form(world, **extra):
    return {
        "organization": world.cs.pk,
        "category": "inquiry",
        "subject": "积极分子培训时间",
        "body": "想了解培训安排。",
        "name": "",
        "contact": "parent@example.com",
        **extra,
    }


def test_the_public_urls_are_where_the_issue_says():
    assert reverse("mailbox_public:write") == WRITE and reverse("mailbox_public:track") == TRACK


def test_the_public_writes_and_sees_the_tracking_code(world):
    client = Client()
    page = client.get(WRITE).content.decode()
    assert world.school.name in page and world.cs.name in page and world.cs_branch.name not in page
    response = client.post(WRITE, _form(world))
    assert response.status_code == 302 and response["Location"] == reverse("mailbox_public:sent")
    letter = Letter.objects.get()
    assert letter.author is None and letter.organization == world.cs
    assert letter.tracking_code in client.get(response["Location"]).content.decode()
    assert letter.tracking_code not in Client().get(reverse("mailbox_public:sent")).content.decode()


def test_a_public_writer_without_contact_gets_a_chinese_error_and_nothing_is_stored(world):
    response = Client().post(WRITE, _form(world, contact=""))
    assert response.status_code == 200 and "必填" in response.content.decode()
    response = Client().post(WRITE, _form(world, contact="abc"))
    assert "请填写有效的手机号码、固定电话或电子邮箱" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(world):
    response = Client().post(WRITE, _form(world, website="http://spam.example"))
    assert response.status_code == 200 and "提交未通过校验" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_branch_is_not_offered_to_the_public(world):
    response = Client().post(WRITE, _form(world, organization=world.cs_branch.pk))
    assert response.status_code == 200 and not Letter.objects.exists()


def test_a_double_submit_makes_one_letter(world):
    client = Client()
    key = client.get(WRITE).context["form"]["idempotency_key"].value()
    assert client.post(WRITE, _form(world, idempotency_key=key)).status_code == 302
    assert client.post(WRITE, _form(world, idempotency_key=key)).status_code == 302
    assert Letter.objects.count() == 1


def test_letters_from_one_address_are_rate_limited(world, settings):
    set_limit(settings, "mailbox", ip="2/h")
    client = Client()
    assert client.post(WRITE, _form(world, website="robot")).status_code == 200  # refused: not counted
    assert client.post(WRITE, _form(world)).status_code == 302
    assert client.post(WRITE, _form(world)).status_code == 302
    assert_rate_limited_page(client.post(WRITE, _form(world)))
    assert Letter.objects.count() == 2


def test_the_tracking_code_shows_the_state_and_the_replies(world):
    letter = replied(write_public(world.school), body="欢迎参加主题党日。")
    response = Client().post(TRACK, {"code": letter.tracking_code.lower()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "欢迎参加主题党日。" in body and "已回复" in body
    assert "13900000000" not in body  # the contact never shows on the public page


@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "short", "!!!!!!!!!!!!"])
def test_a_wrong_code_answers_404_not_found_in_chinese(world, code):
    write_public(world.school)
    response = Client().post(TRACK, {"code": code})
    assert response.status_code == 404 and "未找到" in response.content.decode()


def test_a_members_letter_cannot_be_tracked_by_code(world):
    from tests.mailbox.conftest import write

    letter = write(world.member, world.cs_branch)
    Letter.objects.filter(pk=letter.pk).update(tracking_code="ABCDEFGHJKLM")
    assert Client().post(TRACK, {"code": "ABCDEFGHJKLM"}).status_code == 404


def test_tracking_is_rate_limited(world, settings):
    set_limit(settings, "mailbox_track", ip="2/h")
    client = Client()
    client.post(TRACK, {"code": "AAAAAAAAAAAA"})
    client.post(TRACK, {"code": "AAAAAAAAAAAB"})
    assert_rate_limited_page(client.post(TRACK, {"code": "AAAAAAAAAAAC"}))
