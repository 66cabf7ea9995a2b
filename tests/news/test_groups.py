"""指定人群: an article for named groups of people (党员, 干部, 入党积极分子 …) of the publishing
organization's subtree — who reads it (the list, the page, the API), the form's refusal without a group,
the subscribers told, the audience its reach is measured against, and the reading list's cost."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.core.models import Cadre, Person, PoliticalStatus
from dangjian.kit.errors import RuleViolation
from dangjian.news import services
from dangjian.news.attention.indicators import reach_readings
from dangjian.news.attention.rules import person_reader
from dangjian.news.attention.selectors import audience_sizes, reach_by_org
from dangjian.news.attention.services import event_record, events_fold
from dangjian.news.models import Article, Audience
from dangjian.workbench.models import Notification
from tests import factories as f
from tests.news.conftest import SYSTEM, publish, write
from tests.news.test_pages import READING_QUERIES

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _activist(org, name: str = "陈积极") -> Person:
    person = f.person(name, organization=org)
    Person.objects.filter(pk=person.pk).update(political_status=PoliticalStatus.ACTIVIST)
    person.refresh_from_db()
    return person


def _for(org, groups: tuple[str, ...], title: str = "致全体党员的一封信") -> Article:
    return publish(write(org, title=title, audience=Audience.GROUPS, groups=groups))


@pytest.fixture
def activist_user(world):
    return f.user_for(_activist(world.cs_branch), "activist")


def test_a_group_article_reaches_the_groups_people_of_the_subtree_only(
    world, member_user, activist_user, outsider_organizer, college_organizer, login
) -> None:
    article = _for(world.cs, ("member",))
    fl_user = f.user_for(world.fl_member, "fl_member")  # a member, but of another college
    page = reverse("news:read", args=[article.pk])
    member = login(member_user)
    assert member.get(page).status_code == 200
    assert article.title in member.get(reverse("news:reading")).content.decode()
    activist = login(activist_user)  # the same branch, not in the group
    assert activist.get(page).status_code == 404
    assert article.title not in activist.get(reverse("news:reading")).content.decode()
    assert login(fl_user).get(page).status_code == 404
    assert login(outsider_organizer).get(page).status_code == 404
    assert login(college_organizer).get(page).status_code == 200  # manages the college's news
    assert Client().get(reverse("news:public_article", args=[article.pk])).status_code == 404


def test_an_activists_article_is_not_for_the_members(world, member_user, activist_user, login) -> None:
    article = _for(world.school, ("activist", "candidate"), title="入党积极分子学习提纲")
    page = reverse("news:read", args=[article.pk])
    assert login(activist_user).get(page).status_code == 200  # from the school, above the branch
    assert login(member_user).get(page).status_code == 404


def test_a_cadre_and_a_secretary_are_groups_of_their_own(world, member_user, branch_secretary, login) -> None:
    article = _for(world.cs, ("secretary",), title="书记例会通知")
    page = reverse("news:read", args=[article.pk])
    assert login(branch_secretary).get(page).status_code == 200
    assert login(member_user).get(page).status_code == 404
    Cadre.objects.create(person=world.member, post="副院长", rank="division", unit="计算机学院")
    cadres = _for(world.cs, ("cadre",), title="干部培训通知")
    assert login(member_user).get(reverse("news:read", args=[cadres.pk])).status_code == 200


def test_the_form_needs_a_group_for_a_group_audience(world, college_organizer, login) -> None:
    client = login(college_organizer)
    data = {
        "organization": world.cs.pk,
        "title": "致党员的一封信",
        "body": "<p>正文</p>",
        "category": "work",
        "audience": "groups",
    }
    response = client.post(reverse("news:new"), data)
    assert response.status_code == 200 and "请至少选择一类人群" in response.content.decode()
    assert not Article.objects.exists()
    response = client.post(reverse("news:new"), {**data, "groups": ["member", "activist"]})
    article = Article.objects.get()
    assert response.status_code == 302 and article.groups == "activist,member"
    edit = client.get(reverse("news:edit", args=[article.pk])).content.decode()
    assert re.search(r'value="member"[^>]*checked', edit)
    assert not re.search(r'value="cadre"[^>]*checked', edit)


def test_the_service_refuses_unknown_groups_and_clears_them_for_other_audiences(world) -> None:
    with pytest.raises(RuleViolation, match="至少选择一类人群"):
        write(world.cs, audience=Audience.GROUPS, groups=("member", "nobody"))
    article = write(world.cs, audience=Audience.SUBTREE, groups=("member",))
    assert article.groups == ""


def test_only_subscribers_in_the_groups_are_told(
    world, member_user, activist_user, college_organizer, django_capture_on_commit_callbacks
) -> None:
    fl_user = f.user_for(world.fl_member, "fl_member")
    for user in (member_user, activist_user, college_organizer, fl_user):
        services.subscription_save(actor=user, categories=[], by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        _for(world.cs, ("member",))
    told = set(Notification.objects.filter(kind="news_new").values_list("recipient__username", flat=True))
    assert told == {"member"}


def test_the_api_lists_and_opens_a_group_article_for_its_people_only(
    world, member_user, activist_user, login
) -> None:
    article = _for(world.cs, ("member",))
    member = login(member_user)
    items = member.get("/api/v1/news").json()["items"]
    assert [i["groups"] for i in items if i["id"] == article.pk] == [["member"]]
    assert member.get(f"/api/v1/news/{article.pk}").status_code == 200
    activist = login(activist_user)
    assert article.pk not in {i["id"] for i in activist.get("/api/v1/news").json()["items"]}
    assert activist.get(f"/api/v1/news/{article.pk}").status_code == 404
    assert Client().get(f"/api/v1/news/{article.pk}").status_code == 404


def test_the_reach_audience_counts_the_groups_people_only(
    world, activist_user, django_assert_max_num_queries
) -> None:
    members = _for(world.cs, ("member",))  # the branch's three members
    activists = _for(world.cs, ("activist",), title="积极分子学习")
    both = _for(world.school, ("activist", "member"), title="全校")  # + 外国语学院's three
    internal = publish(write(world.cs, audience=Audience.SUBTREE, title="内部"))
    articles = list(Article.objects.select_related("organization").filter(status="published"))
    with django_assert_max_num_queries(2):  # the counters and one count of every group article
        sizes = audience_sizes(articles)
    assert (sizes[members.pk], sizes[activists.pk], sizes[both.pk], sizes[internal.pk]) == (3, 1, 7, 3)
    rows = {r.org.pk: r.members for r in reach_by_org(activists)}
    assert rows[world.cs_branch.pk] == 1 and rows[world.cs_branch2.pk] == 0


def test_the_branch_reach_leaves_out_group_articles_not_for_members(world) -> None:
    when = datetime(2026, 11, 10, 10, tzinfo=SH)
    for groups in (("member",), ("activist",)):
        article = _for(world.cs, groups, title=",".join(groups))
        Article.objects.filter(pk=article.pk).update(publish_at=when)
        event_record(article=article, reader=person_reader(world.member.pk), kind="view", at=when)
    events_fold(upto=datetime(2027, 1, 1, tzinfo=SH))
    cs = reach_readings(date(2026, 11, 1), date(2026, 11, 30))[world.cs_branch.pk]
    assert (cs.numerator, cs.denominator) == (1, 3)  # the members' article only


def test_the_reading_list_cost_stays_flat_with_group_articles(
    world, member_user, login, django_assert_max_num_queries
) -> None:
    client = login(member_user)
    for n in range(5):
        _for(world.cs, ("member", "cadre"), title=f"党员通知{n}")
    client.get(reverse("news:reading"))
    with django_assert_max_num_queries(READING_QUERIES):
        assert "党员通知4" in client.get(reverse("news:reading")).content.decode()


def test_the_system_scope_writes_group_articles_too(world) -> None:
    article = services.article_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        data=services.ArticleInput(
            title="标题", body="<p>正文</p>", audience=Audience.GROUPS, groups=("secretary",)
        ),
    )
    assert article.group_list == ["secretary"] and article.group_labels == ["书记"]
