"""Telling subscribers of a just-published article (DOMAIN §11, "subscribers get new items on every
channel they use"): an in-app notification for each subscriber who may read it and whose categories
include it, and an e-mail to those who asked for one when the platform has a mail server
(``EMAIL_URL``). The robots of group chats are ``webhooks``' business.

Who may read an article is ``access.reader_q`` turned round: a public article reaches every subscriber;
an internal one the subscribers belonging to, or holding a role in, its organization's subtree; one for
指定人群 only the subscribers held in that subtree who are in one of its groups (``core.groups``). The
work runs after the commit as a background job, in chunks, and once per article (a claimed key), so a
school-wide article to a province of readers does not hold the publishing click.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.core.groups import in_groups_q
from dangjian.news.models import Article, Audience, Status, Subscription
from dangjian.workbench.services import notify, reminder_claim

CHUNK = 2000


def queue_for(article: Article) -> None:
    """Inside the publishing transaction: tell the subscribers after the commit."""
    article_id = article.pk

    def send() -> None:
        from dangjian.news.tasks import tell_subscribers

        tell_subscribers.delay(article_id)

    transaction.on_commit(send)


def subscribers_of(article: Article) -> QuerySet[Subscription]:
    """The subscriptions an article reaches: the reader may read it and chose its category."""
    qs = Subscription.objects.filter(user__is_active=True).filter(
        Q(categories="") | Q(categories__contains=article.category)
    )
    if article.audience == Audience.PUBLIC:
        return qs
    path = article.organization.path
    today = timezone.localdate()
    if article.audience == Audience.GROUPS:
        # Only the people of the groups held in the subtree: a grant there does not make one of them.
        return qs.filter(
            Q(user__person__organization__path__startswith=path, user__person__is_active=True)
            & in_groups_q(article.group_list, today, prefix="user__person__")
        )
    in_role = User.objects.filter(
        Q(role_assignments__organization__path__startswith=path),
        Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=today),
    ).values("pk")
    return qs.filter(Q(user__person__organization__path__startswith=path) | Q(user_id__in=in_role))


def _chunks(qs: QuerySet[Subscription]) -> Iterator[list[tuple[int, bool, str]]]:
    last = 0
    while True:
        rows = list(
            qs.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "user_id", "by_email", "user__email")[:CHUNK]
        )
        if not rows:
            return
        last = rows[-1][0]
        yield [(user_id, by_email, email) for _pk, user_id, by_email, email in rows]


def tell(article_id: int) -> int:
    """Notify (and mail) the subscribers of a published article, once; returns how many were told."""
    article = Article.objects.select_related("organization").filter(pk=article_id).first()
    if article is None or article.status != Status.PUBLISHED:
        return 0
    if not reminder_claim(f"news:subscribers:{article.pk}"):
        return 0
    title = _("新闻：%(t)s") % {"t": article.title[:80]}
    link = reverse("news:read", args=[article.pk])
    mail = bool(settings.EMAIL_URL)
    told = 0
    for chunk in _chunks(subscribers_of(article)):
        told += notify(
            User.objects.filter(pk__in=[u for u, _e, _a in chunk]).only("pk"),
            "news_new",
            title,
            article.summary,
            link,
        )
        addresses = [a for _u, by_email, a in chunk if mail and by_email and a]
        if addresses:
            _mail(article, title, addresses)
    return told


def _mail(article: Article, title: str, addresses: list[str]) -> None:
    body = "\n\n".join(
        part
        for part in (
            article.summary,
            _("阅读全文：%(url)s")
            % {"url": settings.NEWS_SITE_URL.rstrip("/") + reverse("news:read", args=[article.pk])},
            _("您收到这封邮件是因为订阅了新闻；可在“新闻订阅”中修改或退订。"),
        )
        if part
    )
    with get_connection(fail_silently=True) as connection:
        connection.send_messages([EmailMessage(title, body, None, [a]) for a in addresses])


def _site() -> str:
    return str(settings.NEWS_SITE_URL).rstrip("/")
