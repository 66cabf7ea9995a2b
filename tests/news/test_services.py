"""The review chain of 三审三校 and the other writes: default two steps, a one-step and an empty chain,
a return needs a comment, a withdrawal a reason, a stale state is refused, the author cannot review
their own article, outsiders are not found, and the scheduled publishing runs once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.news import services
from dangjian.news.models import Article, Audience, Decision, ReviewNote, Status
from dangjian.workbench.models import Notification
from tests.news.conftest import SYSTEM, publish, scope, write

pytestmark = pytest.mark.django_db


def _approve(article: Article, user, seen: str) -> Article:
    return services.article_approve(actor=user, scope=scope(user), article=article, expected_status=seen)


def test_default_chain_is_editor_then_approver_then_published(world, college_organizer, school_admin) -> None:
    article = write(world.cs, author=college_organizer)
    assert article.status == Status.DRAFT
    article = services.article_submit(
        actor=college_organizer, scope=scope(college_organizer), article=article, expected_status="draft"
    )
    assert (article.status, article.step) == (Status.IN_REVIEW, "editor")
    assert Notification.objects.filter(recipient=school_admin, kind="news").exists()
    article = _approve(article, school_admin, "in_review:editor")
    assert (article.status, article.step) == (Status.IN_REVIEW, "approver")
    article = _approve(article, school_admin, "in_review:approver")
    assert article.status == Status.PUBLISHED and article.publish_at is not None
    assert list(ReviewNote.objects.filter(article=article).values_list("step", "decision")) == [
        ("editor", Decision.APPROVE),
        ("approver", Decision.APPROVE),
    ]
    assert set(AuditEvent.objects.filter(target_id=str(article.pk)).values_list("action", flat=True)) >= {
        "news.article_create",
        "news.article_submit",
        "news.article_approve",
        "news.article_publish",
    }
    assert Notification.objects.filter(recipient=college_organizer, title__startswith="稿件已发布").exists()


def test_a_one_step_chain_publishes_after_the_approver(
    settings, world, branch_secretary, college_organizer
) -> None:
    settings.DANGJIAN_POLICY = {"news_review_steps": ["approver"]}
    article = write(world.cs_branch, author=branch_secretary, audience=Audience.SUBTREE)
    article = services.article_submit(
        actor=branch_secretary, scope=scope(branch_secretary), article=article, expected_status="draft"
    )
    assert article.step == "approver"
    article = _approve(article, college_organizer, "in_review:approver")
    assert article.status == Status.PUBLISHED


def test_an_empty_chain_publishes_on_submit(settings, world, college_organizer) -> None:
    settings.DANGJIAN_POLICY = {"news_review_steps": []}
    article = write(world.cs, author=college_organizer)
    article = services.article_submit(
        actor=college_organizer, scope=scope(college_organizer), article=article, expected_status="draft"
    )
    assert article.status == Status.PUBLISHED


def test_an_unknown_step_is_a_configuration_error(settings, world) -> None:
    settings.DANGJIAN_POLICY = {"news_review_steps": ["editor", "boss"]}
    with pytest.raises(ValueError):
        services.article_submit(actor=None, scope=SYSTEM, article=write(world.cs), expected_status=None)


def test_the_author_cannot_review_their_own_article(world, college_organizer) -> None:
    article = write(world.cs_branch, author=college_organizer)
    article = services.article_submit(
        actor=college_organizer, scope=scope(college_organizer), article=article, expected_status="draft"
    )
    with pytest.raises(RuleViolation):
        _approve(article, college_organizer, "in_review:editor")


def test_a_secretary_writes_for_the_branch_but_does_not_review(world, branch_secretary) -> None:
    article = write(world.cs_branch, author=branch_secretary)
    other = publish(write(world.cs_branch))
    article = services.article_submit(
        actor=branch_secretary, scope=scope(branch_secretary), article=article, expected_status="draft"
    )
    with pytest.raises(RuleViolation):
        _approve(article, branch_secretary, "in_review:editor")
    with pytest.raises(RuleViolation):
        services.article_withdraw(
            actor=branch_secretary,
            scope=scope(branch_secretary),
            article=other,
            expected_status="published",
            reason="x",
        )
    with pytest.raises(NotFound):
        write(world.cs, author=branch_secretary)


def test_return_needs_a_comment_and_makes_a_draft_again(world, college_organizer, branch_secretary) -> None:
    article = write(world.cs_branch, author=branch_secretary)
    article = services.article_submit(actor=None, scope=SYSTEM, article=article, expected_status=None)
    for blank in ("", "   "):
        with pytest.raises(RuleViolation) as refused:
            services.article_return(
                actor=college_organizer,
                scope=scope(college_organizer),
                article=article,
                expected_status="in_review:editor",
                comment=blank,
            )
        assert refused.value.field == "comment"
    article = services.article_return(
        actor=college_organizer,
        scope=scope(college_organizer),
        article=article,
        expected_status="in_review:editor",
        comment="请补充活动时间",
    )
    assert (article.status, article.step) == (Status.DRAFT, "")
    note = ReviewNote.objects.get(article=article)
    assert (note.decision, note.comment) == (Decision.RETURN, "请补充活动时间")
    assert Notification.objects.filter(recipient=branch_secretary, body="请补充活动时间").exists()
    assert AuditEvent.objects.filter(action="news.article_return", target_id=str(article.pk)).exists()


def test_withdraw_needs_a_reason_and_is_audited(world, college_organizer) -> None:
    article = publish(write(world.cs))
    with pytest.raises(RuleViolation):
        services.article_withdraw(
            actor=college_organizer,
            scope=scope(college_organizer),
            article=article,
            expected_status="published",
            reason=" ",
        )
    article = services.article_withdraw(
        actor=college_organizer,
        scope=scope(college_organizer),
        article=article,
        expected_status="published",
        reason="数据有误",
    )
    assert (article.status, article.withdrawn_reason) == (Status.WITHDRAWN, "数据有误")
    event = AuditEvent.objects.get(action="news.article_withdraw", target_id=str(article.pk))
    assert event.changes["reason"] == "数据有误"


def test_a_double_submit_is_refused_as_stale(world, college_organizer, school_admin) -> None:
    article = write(world.cs, author=college_organizer)
    org_scope = scope(college_organizer)
    services.article_submit(
        actor=college_organizer, scope=org_scope, article=article, expected_status="draft"
    )
    with pytest.raises(StaleState):
        services.article_submit(
            actor=college_organizer, scope=org_scope, article=article, expected_status="draft"
        )
    _approve(article, school_admin, "in_review:editor")
    with pytest.raises(StaleState):  # a second editor on the same page does not approve the next step
        _approve(article, school_admin, "in_review:editor")
    assert Article.objects.get(pk=article.pk).step == "approver"


def test_only_drafts_are_edited(world, college_organizer) -> None:
    article = publish(write(world.cs))
    with pytest.raises(RuleViolation):
        services.article_update(
            actor=college_organizer,
            scope=scope(college_organizer),
            article=article,
            data=services.ArticleInput(title="新", body="<p>新</p>"),
            expected_status="published",
        )


def test_the_body_is_stored_sanitised(world, college_organizer) -> None:
    article = write(
        world.cs, author=college_organizer, body='<p onclick="x()">正文</p><script>alert(1)</script>'
    )
    assert article.body == "<p>正文</p>"
    assert article.summary == "正文"
    with pytest.raises(RuleViolation) as refused:
        write(world.cs, author=college_organizer, body="<script>alert(1)</script>")
    assert refused.value.field == "body"


def test_the_outsider_is_not_found_on_every_write(world, college_organizer, outsider_organizer) -> None:
    outsider = scope(outsider_organizer)
    draft = write(world.cs, author=college_organizer)
    waiting = services.article_submit(actor=None, scope=SYSTEM, article=write(world.cs), expected_status=None)
    live = publish(write(world.cs))
    data = services.ArticleInput(title="x", body="<p>x</p>")
    calls = [
        lambda: services.article_create(
            actor=outsider_organizer, scope=outsider, organization=world.cs, data=data
        ),
        lambda: services.article_update(
            actor=outsider_organizer, scope=outsider, article=draft, data=data, expected_status="draft"
        ),
        lambda: services.article_submit(
            actor=outsider_organizer, scope=outsider, article=draft, expected_status="draft"
        ),
        lambda: services.article_approve(
            actor=outsider_organizer, scope=outsider, article=waiting, expected_status="in_review:editor"
        ),
        lambda: services.article_return(
            actor=outsider_organizer,
            scope=outsider,
            article=waiting,
            expected_status="in_review:editor",
            comment="x",
        ),
        lambda: services.article_withdraw(
            actor=outsider_organizer, scope=outsider, article=live, expected_status="published", reason="x"
        ),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()


def test_scheduled_articles_are_published_when_their_time_comes_once(world) -> None:
    later = timezone.now() + timedelta(hours=2)
    article = publish(write(world.cs, publish_at=later))
    assert article.status == Status.SCHEDULED
    assert services.scheduled_publish(scope=SYSTEM, now=later - timedelta(minutes=1)) == 0
    assert services.scheduled_publish(scope=SYSTEM, now=later) == 1
    assert services.scheduled_publish(scope=SYSTEM, now=later) == 0
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.PUBLISHED, later)
    assert AuditEvent.objects.filter(action="news.article_publish", target_id=str(article.pk)).count() == 1


def test_a_cover_must_be_a_real_image(world, college_organizer) -> None:
    fake = SimpleUploadedFile("cover.png", b"\x89PNG\r\n\x1a\n" + b"not really", content_type="image/png")
    with pytest.raises(RuleViolation) as refused:
        write(world.cs, author=college_organizer, cover=fake)
    assert refused.value.field == "cover"
    program = SimpleUploadedFile("cover.jpg", b"MZ\x90\x00program", content_type="image/jpeg")
    with pytest.raises(RuleViolation):
        write(world.cs, author=college_organizer, cover=program)
    assert not Article.objects.exists()


def test_versions_are_kept(world, college_organizer) -> None:
    article = write(world.cs, author=college_organizer)
    services.article_update(
        actor=college_organizer,
        scope=scope(college_organizer),
        article=article,
        data=services.ArticleInput(title="改后的标题", body="<p>改后</p>"),
        expected_status="draft",
    )
    assert list(article.history.order_by("history_id").values_list("title", flat=True)) == [
        "召开党建工作推进会",
        "改后的标题",
    ]
