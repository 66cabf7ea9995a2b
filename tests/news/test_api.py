"""The news API: anonymous callers read the public articles only; signed-in callers also their
organizations' subtree audiences; one article answers 404 outside the audience."""

from __future__ import annotations

import pytest
from django.test import Client

from dangjian.news.models import Audience
from tests.news.conftest import publish, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(world):
    return {
        "public": publish(write(world.fl, title="外语学院公开新闻")),
        "cs": publish(write(world.cs, title="计算机学院内部通知", audience=Audience.SUBTREE)),
        "fl": publish(write(world.fl, title="外语学院内部通知", audience=Audience.SUBTREE)),
        "draft": write(world.school, title="学校草稿"),
    }


def _titles(client: Client) -> set[str]:
    response = client.get("/api/v1/news")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_anonymous_callers_read_public_articles_only(articles) -> None:
    client = Client()
    assert _titles(client) == {"外语学院公开新闻"}
    assert client.get(f"/api/v1/news/{articles['public'].pk}").json()["body"].startswith("<p>")
    for key in ("cs", "fl", "draft"):
        assert client.get(f"/api/v1/news/{articles[key].pk}").status_code == 404


def test_a_member_reads_their_college_and_the_public(articles, member_user, login) -> None:
    client = login(member_user)
    assert _titles(client) == {"外语学院公开新闻", "计算机学院内部通知"}
    assert client.get(f"/api/v1/news/{articles['cs'].pk}").status_code == 200
    assert client.get(f"/api/v1/news/{articles['fl'].pk}").status_code == 404
    assert client.get(f"/api/v1/news/{articles['draft'].pk}").status_code == 404


def test_the_outsider_reads_their_own_college(articles, outsider_organizer, login) -> None:
    client = login(outsider_organizer)
    assert _titles(client) == {"外语学院公开新闻", "外语学院内部通知"}
    assert client.get(f"/api/v1/news/{articles['cs'].pk}").status_code == 404


def test_a_bad_token_is_read_as_the_public(articles) -> None:
    client = Client(HTTP_AUTHORIZATION="Bearer nonsense")
    assert _titles(client) == {"外语学院公开新闻"}


def test_a_token_reads_as_its_user(articles, member_user) -> None:
    from dangjian.accounts.services import api_token_create

    _token, raw = api_token_create(user=member_user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert _titles(client) == {"外语学院公开新闻", "计算机学院内部通知"}
    assert client.get(f"/api/v1/news/{articles['fl'].pk}").status_code == 404
