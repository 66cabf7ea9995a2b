"""The like: one per person and article (a double click likes once), taken back by a second choice, the
day's count following through the buffer; only a reader of the article may like (404 otherwise)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.news.attention.models import ArticleDay, Like
from dangjian.news.attention.services import events_fold
from dangjian.news.models import Audience

pytestmark = pytest.mark.django_db


def test_a_double_post_likes_once_and_unlike_takes_it_back(world, member_user, login, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    client = login(member_user)
    url = reverse("news:like", args=[article.pk])
    first = client.post(url, {"like": "1"}, HTTP_HX_REQUEST="true")
    client.post(url, {"like": "1"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and "已赞" in first.content.decode()
    assert Like.objects.filter(article=article, person=world.member).count() == 1
    events_fold(upto=timezone.now() + timedelta(seconds=1))
    assert ArticleDay.objects.get(article=article).likes == 1
    back = client.post(url, {"like": "0"})
    assert back.status_code == 302 and not Like.objects.exists()
    events_fold(upto=timezone.now() + timedelta(seconds=1))
    assert ArticleDay.objects.get(article=article).likes == 0


def test_an_outsider_may_not_like(world, outsider_organizer, login, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    response = login(outsider_organizer).post(reverse("news:like", args=[article.pk]), {"like": "1"})
    assert response.status_code == 404 and not Like.objects.exists()


def test_a_user_without_a_person_may_not_like(world, college_organizer, login, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    response = login(college_organizer).post(reverse("news:like", args=[article.pk]), {"like": "1"})
    assert response.status_code == 404 and not Like.objects.exists()


def test_the_reading_page_shows_the_like_button(world, member_user, login, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    html = login(member_user).get(reverse("news:read", args=[article.pk])).content.decode()
    assert reverse("news:like", args=[article.pk]) in html and "点赞 · 0" in html
