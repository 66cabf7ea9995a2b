"""The signed-in pages: the management list (filters, query count), the form (sanitised on save), the
review page and its buttons, the outsider refused (404) on every page and action, and the readers' 新闻."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.audit.models import AuditEvent
from dangjian.news import services
from dangjian.news.models import Article, Audience, Status
from tests.news.conftest import SYSTEM, publish, write

pytestmark = pytest.mark.django_db
# session, user, the page's count and rows, the to-do count (the bell and the scope are cached)
MANAGE_QUERIES = 5
READING_QUERIES = 6  # session, user, the reader's branch, the subscription, count, page


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 0, 0)).save(out, format="PNG")
    return SimpleUploadedFile("cover.png", out.getvalue(), content_type="image/png")


def test_an_organizer_writes_a_draft_sanitised_with_a_cover(
    world, college_organizer, login, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = login(college_organizer)
    assert client.get(reverse("news:new")).status_code == 200
    response = client.post(
        reverse("news:new"),
        {
            "organization": world.cs.pk,
            "title": "学院召开党建工作会",
            "body": '<p>正文</p><img src="x" onerror="alert(1)"><script>alert(1)</script>',
            "category": "work",
            "audience": "public",
            "tags": "党建，学习",
            "cover": _png(),
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("news:review", args=[article.pk])
    assert "script" not in article.body and "onerror" not in article.body
    assert article.tags == "党建,学习" and article.cover
    page = client.get(reverse("news:review", args=[article.pk]))
    assert page.status_code == 200 and "<p>正文</p>" in page.content.decode()
    assert AuditEvent.objects.filter(action="news.article_create").exists()


def test_the_review_page_shows_the_buttons_of_the_state(
    world, college_organizer, school_admin, login
) -> None:
    article = write(world.cs, author=college_organizer)
    own = login(college_organizer).get(reverse("news:review", args=[article.pk])).content.decode()
    assert reverse("news:submit", args=[article.pk]) in own
    assert reverse("news:approve", args=[article.pk]) not in own
    login(college_organizer).post(reverse("news:submit", args=[article.pk]), {"expected_status": "draft"})
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    admin = login(school_admin)
    page = admin.get(reverse("news:review", args=[article.pk])).content.decode()
    assert reverse("news:approve", args=[article.pk]) in page and 'value="in_review:editor"' in page
    admin.post(
        reverse("news:return", args=[article.pk]), {"expected_status": "in_review:editor", "comment": ""}
    )
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW  # refused: no comment
    admin.post(reverse("news:approve", args=[article.pk]), {"expected_status": "in_review:editor"})
    admin.post(reverse("news:approve", args=[article.pk]), {"expected_status": "in_review:approver"})
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    admin.post(
        reverse("news:withdraw", args=[article.pk]), {"expected_status": "published", "reason": "有误"}
    )
    assert Article.objects.get(pk=article.pk).status == Status.WITHDRAWN


def test_the_outsider_is_not_found_on_every_page_and_action(world, outsider_organizer, login) -> None:
    draft = write(world.cs)
    client = login(outsider_organizer)
    for name in ("review", "edit"):
        assert client.get(reverse(f"news:{name}", args=[draft.pk])).status_code == 404
    for name, data in (
        ("edit", {"title": "x", "body": "<p>x</p>", "category": "work", "audience": "public"}),
        ("submit", {"expected_status": "draft"}),
        ("approve", {"expected_status": "draft"}),
        ("return", {"expected_status": "draft", "comment": "x"}),
        ("withdraw", {"expected_status": "draft", "reason": "x"}),
    ):
        assert client.post(reverse(f"news:{name}", args=[draft.pk]), data).status_code == 404, name
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not AuditEvent.objects.filter(actor=outsider_organizer).exists()
    assert client.get(reverse("news:manage")).content.decode().count(draft.title) == 0


def test_a_member_has_no_management_pages(world, member_user, login) -> None:
    client = login(member_user)
    assert client.get(reverse("news:manage")).status_code == 404
    assert client.get(reverse("news:new")).status_code == 404


def test_the_management_list_filters_and_its_queries_do_not_grow(
    world, college_organizer, login, django_assert_max_num_queries
) -> None:
    client = login(college_organizer)
    for n in range(3):
        write(world.cs, title=f"稿件{n}")
    client.get(reverse("news:manage"))  # warm the per-user caches
    with django_assert_max_num_queries(MANAGE_QUERIES):
        assert client.get(reverse("news:manage")).status_code == 200
    for n in range(30):
        publish(write(world.cs_branch, title=f"更多稿件{n}", audience=Audience.SUBTREE))
    client.get(reverse("news:manage"))  # the bell's count changed (reviewers were told): warm again
    with django_assert_max_num_queries(MANAGE_QUERIES):
        page = client.get(reverse("news:manage"), {"status": "published"})
    assert (
        page.status_code == 200
        and "更多稿件" in page.content.decode()
        and "稿件0<" not in page.content.decode()
    )


def test_readers_see_their_audience_only(world, member_user, outsider_organizer, login) -> None:
    internal = publish(write(world.cs, title="学院内部通知", audience=Audience.SUBTREE))
    other = publish(write(world.fl, title="外语学院内部通知", audience=Audience.SUBTREE))
    public = publish(write(world.fl, title="外语学院公开新闻"))
    draft = write(world.cs, title="学院草稿", audience=Audience.SUBTREE)
    client = login(member_user)
    page = client.get(reverse("news:reading")).content.decode()
    assert internal.title in page and public.title in page
    assert other.title not in page and draft.title not in page
    assert client.get(reverse("news:read", args=[internal.pk])).status_code == 200
    assert client.get(reverse("news:read", args=[other.pk])).status_code == 404
    assert client.get(reverse("news:read", args=[draft.pk])).status_code == 404
    outsider = login(outsider_organizer)
    assert outsider.get(reverse("news:read", args=[internal.pk])).status_code == 404
    assert outsider.get(reverse("news:read", args=[other.pk])).status_code == 200


def test_the_reading_list_queries_do_not_grow(
    world, member_user, login, django_assert_max_num_queries
) -> None:
    client = login(member_user)
    publish(write(world.cs, audience=Audience.SUBTREE))
    client.get(reverse("news:reading"))
    with django_assert_max_num_queries(READING_QUERIES):
        client.get(reverse("news:reading"))
    for n in range(25):
        publish(write(world.school, title=f"学校新闻{n}"))
    client.get(reverse("news:reading"))
    with django_assert_max_num_queries(READING_QUERIES):
        assert "学校新闻24" in client.get(reverse("news:reading")).content.decode()


def test_the_todo_counts_waiting_articles(world, college_organizer, school_admin) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.news.todos import news_todos

    for n in range(2):
        services.article_submit(
            actor=None, scope=SYSTEM, article=write(world.cs_branch, title=f"待审{n}"), expected_status=None
        )
    items = news_todos(college_organizer, resolve_scope(college_organizer))
    assert [i.count for i in items] == [2] and "2 篇稿件待审核" in items[0].title
