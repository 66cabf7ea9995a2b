"""The publicity staff's pages: the overview and an article's page render the counts, refuse those who do
not manage the article (a member, another college's organizer: 404), never name a reader, and cost a
fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import Person
from dangjian.news.attention.rules import Reader, person_reader
from dangjian.news.attention.services import event_record, events_fold
from dangjian.news.models import Audience
from tests import factories as f

pytestmark = pytest.mark.django_db
OVERVIEW_QUERIES = 17
ARTICLE_QUERIES = 11


def _read_by_everyone(world, articles) -> None:
    now = timezone.now() - timedelta(hours=1)
    people = list(Person.objects.filter(membership__isnull=False))
    for article in articles:
        for person in people:
            if article.audience == Audience.SUBTREE and not person.organization.path.startswith(
                article.organization.path
            ):
                continue
            event_record(article=article, reader=person_reader(person.pk), kind="view", at=now)
            event_record(
                article=article,
                reader=person_reader(person.pk),
                kind="leave",
                seconds=80,
                reached_end=True,
                at=now,
            )
        event_record(article=article, reader=Reader("c" + "9" * 40), kind="share", at=now)
    events_fold(upto=timezone.now())


def test_the_overview_shows_the_counts_of_the_managed_articles(
    world, college_organizer, login, published
) -> None:
    cs = published(world.cs, title="学院理论学习", audience=Audience.SUBTREE, tags="学习,党建")
    fl = published(world.fl, title="外语学院通知", audience=Audience.SUBTREE)
    _read_by_everyone(world, [cs, fl])
    page = login(college_organizer).get(reverse("news:attention"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "学院理论学习" in html and "外语学院通知" not in html  # only what the organizer manages
    assert "attention-daily-data" in html and "各学院党员最爱读" in html and "学习" in html
    assert "100.0%" in html  # every member of the college read it to the end


@pytest.mark.parametrize("span", ["7", "30", "90"])
def test_the_period_choices_and_a_bad_custom_period(world, school_admin, login, span) -> None:
    client = login(school_admin)
    assert client.get(reverse("news:attention"), {"span": span}).status_code == 200
    bad = client.get(
        reverse("news:attention"), {"span": "custom", "start": "2026-11-10", "end": "2026-11-01"}
    )
    assert bad.status_code == 200 and "开始日期不能晚于结束日期" in bad.content.decode()


def test_the_article_page_shows_reach_by_organization(world, school_admin, login, published) -> None:
    article = published(world.school, title="全校通知", audience=Audience.SUBTREE)
    _read_by_everyone(world, [article])
    page = login(school_admin).get(reverse("news:attention_article", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert world.cs.name in html and world.fl.name in html and "100.0%" in html


def test_outsiders_are_refused(
    world, member_user, outsider_organizer, branch_secretary, login, published
) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    urls = [
        reverse("news:attention_article", args=[article.pk]),
        reverse("news:attention_org", args=[world.cs.pk]),
    ]
    for user in (member_user, outsider_organizer):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    assert login(member_user).get(reverse("news:attention")).status_code == 404
    # a branch secretary writes for the branch only: not the college's article
    assert login(branch_secretary).get(urls[0]).status_code == 404
    assert login(branch_secretary).get(reverse("news:attention")).status_code == 200


def test_no_attention_page_names_a_reader(
    world, school_admin, college_organizer, branch_secretary, login, published
) -> None:
    articles = [
        published(world.cs, audience=Audience.SUBTREE),
        published(world.school, audience=Audience.PUBLIC),
        published(world.cs_branch, audience=Audience.SUBTREE),
    ]
    _read_by_everyone(world, articles)
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) >= 6
    shown = 0
    for user in (school_admin, college_organizer, branch_secretary):
        client = login(user)
        others = [n for n in names if not user.person or n != user.person.name]  # the header names the viewer
        pages = [
            client.get(reverse("news:attention")),
            client.get(reverse("news:attention_org", args=[world.cs_branch.pk])),
            *(client.get(reverse("news:attention_article", args=[a.pk])) for a in articles),
        ]
        for page in pages:
            if page.status_code == 200:
                shown += 1
                html = page.content.decode()
                assert not [n for n in others if n in html], user
    assert shown >= 9


def test_the_pages_cost_a_fixed_number_of_queries(
    world, school_admin, login, published, django_assert_max_num_queries
) -> None:
    for i in range(8):
        f.member(world.cs_branch2, f"学生{i}")
    articles = [
        published(org, title=f"文章{i}", audience=aud, tags="学习")
        for i, (org, aud) in enumerate(
            [(world.school, Audience.PUBLIC), (world.cs, Audience.SUBTREE), (world.fl, Audience.SUBTREE)] * 8
        )
    ]
    _read_by_everyone(world, articles)
    client = login(school_admin)
    client.get(reverse("news:attention"))  # warm the scope and the bell
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        assert client.get(reverse("news:attention")).status_code == 200
    with django_assert_max_num_queries(ARTICLE_QUERIES):
        assert client.get(reverse("news:attention_article", args=[articles[1].pk])).status_code == 200
