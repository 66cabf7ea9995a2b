"""The beacon: the article must be one the reader may read (404 otherwise), the seconds are clamped, an
unknown kind is refused with nothing stored, and an anonymous public reader is counted by their cookie
(once, never linked to a person)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.news.attention import rules
from dangjian.news.attention.models import ArticleDay, ArticleReader, ReadEvent
from dangjian.news.attention.services import events_fold
from dangjian.news.models import Audience
from tests.news.attention.conftest import beacon

pytestmark = pytest.mark.django_db


def _fold() -> None:
    events_fold(upto=timezone.now() + timedelta(seconds=1))


def test_a_member_reading_an_internal_article_is_recorded_as_one_event(
    world, member_user, login, published
) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    response = beacon(login(member_user), article)
    assert response.status_code == 204
    event = ReadEvent.objects.get()
    assert (event.article_id, event.reader_key, event.person_id, event.kind) == (
        article.pk,
        f"p{world.member.pk}",
        world.member.pk,
        "view",
    )


def test_unknown_and_unreadable_articles_answer_404_and_store_nothing(
    world, member_user, login, published
) -> None:
    client = login(member_user)
    other = published(world.fl, audience=Audience.SUBTREE)  # another college's internal article
    draft_like = published(world.cs, audience=Audience.SUBTREE)
    draft_like.status = "withdrawn"
    draft_like.save(update_fields=["status"])
    assert beacon(client, 999999).status_code == 404
    assert beacon(client, other).status_code == 404
    assert beacon(client, draft_like).status_code == 404
    assert not ReadEvent.objects.exists()


def test_an_anonymous_reader_may_only_count_public_articles(world, published) -> None:
    internal = published(world.cs, audience=Audience.SUBTREE)
    public = published(world.cs, audience=Audience.PUBLIC)
    client = Client()
    assert beacon(client, internal).status_code == 404
    assert beacon(client, public).status_code == 204
    assert ReadEvent.objects.count() == 1


def test_an_unknown_kind_is_refused_and_only_get_is_not_allowed(world, member_user, login, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    client = login(member_user)
    response = beacon(client, article, kind="delete")
    assert response.status_code == 400 and "未知" in response.content.decode()
    assert client.get(f"/news/beacon/{article.pk}/").status_code == 405
    assert not ReadEvent.objects.exists()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("-5", 0),
        ("0", 0),
        ("42", 42),
        ("3600", 3600),
        ("3601", 3600),
        ("99999999999", 3600),
        ("abc", 0),
        ("", 0),
    ],
)
def test_the_seconds_are_clamped_to_an_hour(world, member_user, login, published, sent, kept) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    assert beacon(login(member_user), article, kind="leave", seconds=sent, end="1").status_code == 204
    event = ReadEvent.objects.get()
    assert event.seconds == kept and event.reached_end


def test_a_public_reader_is_counted_once_per_cookie(world, published) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    first = Client()
    page = first.get(f"/news/{article.pk}/")
    cookie = page.cookies[rules.COOKIE_NAME].value
    assert rules.valid_cookie(cookie)
    for _i in range(3):
        beacon(first, article)
    beacon(Client(), article)  # another browser
    _fold()
    readers = ArticleReader.objects.filter(article=article)
    assert readers.count() == 2
    mine = readers.get(reader_key=rules.cookie_reader(cookie).key)
    assert mine.views == 3 and mine.person_id is None and cookie not in mine.reader_key
    assert ArticleDay.objects.get(article=article).readers == 2


def test_the_reading_pages_carry_the_beacon_and_the_end_marker(world, member_user, login, published) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    signed_in = login(member_user).get(f"/news/read/{article.pk}/").content.decode()
    public = Client().get(f"/news/{article.pk}/").content.decode()
    for html in (signed_in, public):
        assert f'data-read-beacon="/news/beacon/{article.pk}/"' in html
        assert "data-read-end" in html and "data-share-copy" in html
        assert "csrf" not in html.split("data-read-beacon")[1][:200]  # the public page is one page for all
    assert "web/app.js" in public


def test_the_kept_public_page_still_gives_each_new_reader_a_cookie(world, published) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    first, second = Client(), Client()
    assert rules.COOKIE_NAME in first.get(f"/news/{article.pk}/").cookies
    answer = second.get(f"/news/{article.pk}/")  # drawn from the cache this time
    assert rules.COOKIE_NAME in answer.cookies
    assert answer.cookies[rules.COOKIE_NAME].value != first.cookies[rules.COOKIE_NAME].value


def test_a_beacon_from_another_site_is_refused(world, member_user, login, published) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    client = Client(enforce_csrf_checks=True)
    url = f"/news/beacon/{article.pk}/"
    assert client.post(url, {"kind": "view"}, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post(url, {"kind": "view"}, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 204
    assert ReadEvent.objects.count() == 1


def test_a_share_is_counted(world, member_user, login, published) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    beacon(login(member_user), article, kind="share")
    beacon(Client(), article, kind="share")
    _fold()
    day = ArticleDay.objects.get(article=article)
    assert day.shares == 2 and day.views == 0 and day.readers == 0
    assert not ArticleReader.objects.exists()  # a share alone makes no reader


def test_a_school_may_count_a_shorter_time(world, member_user, login, published, settings) -> None:
    settings.DANGJIAN_POLICY = {"news_read_max_seconds": 600}
    article = published(world.cs, audience=Audience.SUBTREE)
    beacon(login(member_user), article, kind="leave", seconds="601")
    assert ReadEvent.objects.get().seconds == 600
