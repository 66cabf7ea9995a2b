"""The public 书记信箱 (no sign-in): write to the school or a college, the tracking code shown once, the
tracking page; the honeypot, the contact required, the rate limits; a wrong code answers 404 “未找到”;
the holder of the code rates and closes the answered letter (once, with CSRF, audited without an actor)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from dangjian.audit.models import AuditEvent
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


# ---------------------------------------------------------------- rate and close with the tracking code

RATE = "/mailbox/track/rate/"
CLOSE = "/mailbox/track/close/"


def test_the_public_rate_and_close_urls_are_under_track():
    assert reverse("mailbox_public:track_rate") == RATE and reverse("mailbox_public:track_close") == CLOSE


def test_the_tracked_page_offers_rate_and_close_once_answered(world):
    letter = write_public(world.school)
    body = Client().post(TRACK, {"code": letter.tracking_code}).content.decode()
    assert RATE not in body and CLOSE not in body and "问题已解决，关闭来信" not in body
    replied(letter)
    body = Client().post(TRACK, {"code": letter.tracking_code}).content.decode()
    assert RATE in body and CLOSE in body and "问题已解决，关闭来信" in body
    assert f'value="{letter.tracking_code}"' in body  # the code travels in the form, not the address


def test_the_holder_of_the_code_rates_and_closes_through_the_public_pages(world):
    letter = replied(write_public(world.cs))
    client = Client(enforce_csrf_checks=True)
    client.get(TRACK)
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    page = client.post(TRACK, {"code": letter.tracking_code, "csrfmiddlewaretoken": token})
    assert page.status_code == 200 and "问题已解决，关闭来信" in page.content.decode()
    form = {"code": letter.tracking_code.lower(), "expected_status": "replied", "csrfmiddlewaretoken": token}
    response = client.post(RATE, {**form, "score": "4"})
    assert response.status_code == 200 and "感谢你的评价。" in response.content.decode()
    assert "4 分" in response.content.decode() and RATE not in response.content.decode()
    response = client.post(CLOSE, form)
    assert response.status_code == 200 and "来信已办结" in response.content.decode()
    letter.refresh_from_db()
    assert (letter.satisfaction, letter.status, letter.closed_how) == (4, "closed", "writer")
    events = AuditEvent.objects.filter(target_id=str(letter.pk), action__in=RATE_CLOSE).order_by("pk")
    assert [e.action for e in events] == RATE_CLOSE
    for event in events:
        assert event.actor_id is None and event.changes["public"] is True
    assert events[0].changes["satisfaction"] == 4


RATE_CLOSE = ["mailbox.letter_rate", "mailbox.letter_close"]


def test_the_public_steps_need_the_csrf_token(world):
    letter = replied(write_public(world.cs))
    client = Client(enforce_csrf_checks=True)
    form = {"code": letter.tracking_code, "expected_status": "replied", "score": "5"}
    assert client.post(RATE, form).status_code == 403
    assert client.post(CLOSE, form).status_code == 403
    letter.refresh_from_db()
    assert letter.rated_at is None and letter.status == "replied"


@pytest.mark.parametrize("url", [RATE, CLOSE])
@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "short"])
def test_an_unknown_code_answers_the_same_404_as_tracking(world, url, code):
    letter = replied(write_public(world.cs))
    response = Client().post(url, {"code": code, "expected_status": "replied", "score": "5"})
    assert response.status_code == 404 and "未找到" in response.content.decode()
    letter.refresh_from_db()
    assert letter.rated_at is None and letter.status == "replied"
    assert not AuditEvent.objects.filter(action__in=RATE_CLOSE).exists()


@pytest.mark.parametrize("url", [RATE, CLOSE])
def test_a_members_letter_cannot_be_rated_or_closed_by_code(world, url):
    from tests.mailbox.conftest import write

    letter = replied(write(world.member, world.cs_branch))
    Letter.objects.filter(pk=letter.pk).update(tracking_code="ABCDEFGHJKLM")
    response = Client().post(url, {"code": "ABCDEFGHJKLM", "expected_status": "replied", "score": "5"})
    assert response.status_code == 404
    letter.refresh_from_db()
    assert letter.rated_at is None and letter.status == "replied"


def test_a_form_without_a_code_goes_back_to_the_tracking_form(world):
    response = Client().post(RATE, {"score": "5"})
    assert response.status_code == 302 and response["Location"] == TRACK


def test_the_public_steps_answer_only_posts(world):
    assert Client().get(RATE).status_code == 405 and Client().get(CLOSE).status_code == 405


def test_a_repeated_rating_has_one_effect_and_says_so(world):
    letter = replied(write_public(world.cs))
    client = Client()
    form = {"code": letter.tracking_code, "expected_status": "replied"}
    assert "感谢你的评价。" in client.post(RATE, {**form, "score": "2"}).content.decode()
    response = client.post(RATE, {**form, "score": "5"})
    assert response.status_code == 200 and "你已评价过这封来信的答复。" in response.content.decode()
    letter.refresh_from_db()
    assert letter.satisfaction == 2
    assert AuditEvent.objects.filter(target_id=str(letter.pk), action="mailbox.letter_rate").count() == 1


def test_a_repeated_close_has_one_effect_and_says_so(world):
    letter = replied(write_public(world.cs))
    client = Client()
    form = {"code": letter.tracking_code, "expected_status": "replied"}
    client.post(CLOSE, form)
    closed_at = Letter.objects.get(pk=letter.pk).closed_at
    response = client.post(CLOSE, form)
    assert response.status_code == 200 and "该来信已办结，无需重复操作。" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).closed_at == closed_at
    assert AuditEvent.objects.filter(target_id=str(letter.pk), action="mailbox.letter_close").count() == 1


def test_a_closed_letter_can_still_be_rated_once(world):
    letter = replied(write_public(world.cs))
    client = Client()
    client.post(CLOSE, {"code": letter.tracking_code, "expected_status": "replied"})
    response = client.post(RATE, {"code": letter.tracking_code, "expected_status": "closed", "score": "5"})
    assert "感谢你的评价。" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).satisfaction == 5


@pytest.mark.parametrize(
    ("url", "message"), [(RATE, "来信回复后才能评价。"), (CLOSE, "来信回复后才能办结。")]
)
def test_rating_or_closing_before_a_reply_is_refused_in_chinese_and_nothing_is_written(world, url, message):
    letter = write_public(world.cs)
    form = {"code": letter.tracking_code, "expected_status": "submitted", "score": "5"}
    response = Client().post(url, form)
    assert response.status_code == 200 and message in response.content.decode()
    letter.refresh_from_db()
    assert letter.rated_at is None and letter.satisfaction is None and letter.status == "submitted"
    assert not AuditEvent.objects.filter(action__in=RATE_CLOSE).exists()


@pytest.mark.parametrize("score", ["0", "6", "x", ""])
def test_a_score_off_the_scale_is_refused_in_chinese(world, score):
    letter = replied(write_public(world.cs))
    form = {"code": letter.tracking_code, "expected_status": "replied", "score": score}
    response = Client().post(RATE, form)
    assert "满意度应为 1 至 5 分。" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).rated_at is None


def test_a_stale_page_is_refused_with_409(world):
    letter = replied(write_public(world.cs))
    form = {"code": letter.tracking_code, "expected_status": "submitted", "score": "5"}
    response = Client().post(RATE, form)
    assert response.status_code == 409 and "请刷新页面" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).rated_at is None


def test_the_public_steps_share_the_tracking_rate_limit(world, settings):
    set_limit(settings, "mailbox_track", ip="2/h")
    letter = replied(write_public(world.cs))
    client = Client()
    client.post(TRACK, {"code": letter.tracking_code})
    client.post(RATE, {"code": "AAAAAAAAAAAA", "score": "5"})
    assert_rate_limited_page(client.post(CLOSE, {"code": letter.tracking_code, "expected_status": "replied"}))
    assert Letter.objects.get(pk=letter.pk).status == "replied"
