"""新闻订阅: a reader chooses categories (none: all) and e-mail; a published article tells, once, the
subscribers who may read it and chose its category — in the app, and by mail when the platform has a mail
server and the reader asked; scheduled articles tell them when they go out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.news import services, subscribers
from dangjian.news.models import Audience, Category, Subscription
from dangjian.workbench.models import Notification
from tests import factories as f
from tests.news.conftest import SYSTEM, publish, write

pytestmark = pytest.mark.django_db


def _told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="news_new").values_list("title", flat=True))


def test_all_categories_chosen_is_stored_as_all(member_user) -> None:
    sub = services.subscription_save(actor=member_user, categories=list(Category.values), by_email=False)
    assert sub.categories == ""
    sub = services.subscription_save(
        actor=member_user, categories=["theory", "bogus", "work"], by_email=False
    )
    assert sub.category_list == ["theory", "work"]
    assert Subscription.objects.count() == 1
    assert AuditEvent.objects.filter(action="news.subscription_save").count() == 2


def test_mail_needs_an_address(member_user) -> None:
    member_user.email = ""
    member_user.save()
    with pytest.raises(RuleViolation, match="电子邮箱"):
        services.subscription_save(actor=member_user, categories=[], by_email=True)
    assert not Subscription.objects.exists()


def test_a_published_article_tells_those_who_may_read_it(
    world, member_user, college_organizer, django_capture_on_commit_callbacks
) -> None:
    fl_user = f.user_for(world.fl_member, "fl_member")
    for user in (member_user, college_organizer, fl_user):
        services.subscription_save(actor=user, categories=[], by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        publish(write(world.cs, title="学院内部通知", audience=Audience.SUBTREE))
    assert _told(member_user) == ["新闻：学院内部通知"]  # a member of a branch below
    assert _told(college_organizer) == ["新闻：学院内部通知"]  # a role in the college
    assert _told(fl_user) == []  # another college may not read it
    with django_capture_on_commit_callbacks(execute=True):
        publish(write(world.fl, title="公开报道"))
    assert "新闻：公开报道" in _told(member_user) and "新闻：公开报道" in _told(fl_user)


def test_only_the_chosen_categories_and_only_once(
    world, member_user, django_capture_on_commit_callbacks
) -> None:
    services.subscription_save(actor=member_user, categories=["theory"], by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        article = publish(write(world.school, title="工作动态"))
    assert _told(member_user) == []
    services.subscription_save(actor=member_user, categories=["work"], by_email=False)
    assert subscribers.tell(article.pk) == 0  # already told (nobody) for this article: never twice
    with django_capture_on_commit_callbacks(execute=True):
        publish(write(world.school, title="又一条工作动态"))
    assert _told(member_user) == ["新闻：又一条工作动态"]


def test_mail_when_configured_and_asked(
    world, member_user, settings, django_capture_on_commit_callbacks
) -> None:
    member_user.email = "lixh@example.edu.cn"
    member_user.save()
    services.subscription_save(actor=member_user, categories=[], by_email=True)
    other = f.user_for(world.fl_member, "fl_member")
    other.email = "zm@example.edu.cn"
    other.save()
    services.subscription_save(actor=other, categories=[], by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        publish(write(world.school, title="无邮件服务时"))
    assert mail.outbox == []
    settings.EMAIL_URL = "smtp://localhost:25"
    with django_capture_on_commit_callbacks(execute=True):
        publish(write(world.school, title="有邮件服务时"))
    assert [m.to for m in mail.outbox] == [["lixh@example.edu.cn"]]
    assert mail.outbox[0].subject == "新闻：有邮件服务时"


def test_a_scheduled_article_tells_when_it_goes_out(
    world, member_user, django_capture_on_commit_callbacks
) -> None:
    services.subscription_save(actor=member_user, categories=[], by_email=False)
    later = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        publish(write(world.school, title="定时稿", publish_at=later))
    assert _told(member_user) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduled_publish(scope=SYSTEM, now=later + timedelta(minutes=1))
    assert _told(member_user) == ["新闻：定时稿"]


def test_the_page_subscribes_and_unsubscribes(member_user, login) -> None:
    client = login(member_user)
    page = client.get(reverse("news:subscription"))
    assert page.status_code == 200 and "尚未配置邮件服务" in page.content.decode()
    answer = client.post(reverse("news:subscription"), {"categories": ["notice", "theory"]})
    assert answer.status_code == 302
    assert Subscription.objects.get(user=member_user).categories == "notice,theory"
    assert "订阅设置" in client.get(reverse("news:reading")).content.decode()
    client.post(reverse("news:unsubscribe"))
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.filter(action="news.subscription_cancel").count() == 1


def test_unsubscribing_without_a_subscription_changes_nothing(member_user, login) -> None:
    assert login(member_user).post(reverse("news:unsubscribe")).status_code == 302
    assert not AuditEvent.objects.filter(action="news.subscription_cancel").exists()


def test_telling_costs_the_same_for_many_subscribers(
    world, django_assert_max_num_queries, django_capture_on_commit_callbacks
) -> None:
    for i in range(30):
        person = f.member(world.cs_branch, f"读者{i}")
        services.subscription_save(actor=f.user_for(person, f"reader{i}"), categories=[], by_email=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = publish(write(world.school, title="批量通知"))
    assert callbacks
    with django_assert_max_num_queries(12):  # one chunk: the same for 30 or 2,000
        assert subscribers.tell(article.pk) == 30
