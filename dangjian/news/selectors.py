"""Reads of 智慧宣传 through the scope: the articles a person manages (and one of them, 404 outside),
the review notes, what a reader may read (their organizations' subtree audiences, the 指定人群 ones whose
groups they are in, and the public ones), the public site's articles (published and public only), and
the attachments of an article each of them may open."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.groups import PersonGroups, groups_of
from dangjian.core.models import Organization
from dangjian.news import access
from dangjian.news.models import Article, Attachment, Category, ReviewNote, Status, Subscription

SEARCH_MAX = 50  # the longest search text used


def _base() -> QuerySet[Article]:
    return Article.objects.select_related("organization", "author")


def articles_managed(
    scope: Scope, *, status: str = "", category: str = "", waiting: bool = False
) -> QuerySet[Article]:
    """The articles of the organizations the scope writes for or reviews, newest first."""
    qs = _base().filter(access.manage_q(scope))
    if waiting:
        qs = qs.filter(access.review_q(scope))
    if status in Status.values:
        qs = qs.filter(status=status)
    if category in Category.values:
        qs = qs.filter(category=category)
    return qs.defer("body").order_by("-updated_at", "-pk")


def get_article_for(scope: Scope, article_id: object) -> Article:
    """One article the scope manages; 404 otherwise."""
    article = _base().filter(pk=_int(article_id)).first()
    if article is None or not access.may_manage(scope, article):
        raise Http404
    return article


def notes_of(article: Article) -> QuerySet[ReviewNote]:
    return article.notes.select_related("actor").order_by("at", "pk")


def author_orgs(scope: Scope) -> QuerySet[Organization]:
    """The organizations the scope may write for (the create form's choice), bounded."""
    return Organization.objects.filter(scope.q(Permission.PUBLISH_NEWS), is_active=True).order_by("path")


def _own(scope: Scope) -> PersonGroups | None:
    """The reader as a person (their organization and groups: ``core.groups.groups_of``, one query),
    kept for the request."""
    if scope.person_id is None:
        return None
    key = ("news.own", scope.person_id)
    if key not in scope.memo:
        scope.memo[key] = groups_of(scope.person_id, timezone.localdate())
    found = scope.memo[key]
    return found if isinstance(found, PersonGroups) else None


def home_paths(scope: Scope) -> list[str]:
    """The organizations a reader belongs to (their branch) or serves (their grants)."""
    paths = [g.org_path for g in scope.grants if g.org_path]
    own = _own(scope)
    if own is not None and own.org_path:
        paths.append(own.org_path)
    return paths


def articles_for_reader(scope: Scope, *, category: str = "") -> QuerySet[Article]:
    """Published articles whose audience covers the reader (and those of the organizations they manage),
    newest first."""
    managed = Q(status=Status.PUBLISHED) & access.manage_q(scope)
    qs = _base().filter(access.reader_q(home_paths(scope), _own(scope)) | managed)
    if category in Category.values:
        qs = qs.filter(category=category)
    return qs.order_by("-publish_at", "-pk")


def reading_list(scope: Scope, *, category: str = "") -> QuerySet[Article]:
    """``articles_for_reader`` without the bodies (a list of cards)."""
    return articles_for_reader(scope, category=category).defer("body")


def get_readable_for(scope: Scope, article_id: object) -> Article:
    article = articles_for_reader(scope).filter(pk=_int(article_id)).first()
    if article is None:
        raise Http404
    return article


def public_articles(*, category: str = "", q: str = "") -> QuerySet[Article]:
    """The public site: published public articles, newest first, by category and a text search on the
    title and the summary."""
    qs = Article.objects.select_related("organization").filter(access.public_q())
    if category:
        qs = qs.filter(category=category)
    text = " ".join(q.split())[:SEARCH_MAX]
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(summary__icontains=text))
    return qs.order_by("-publish_at", "-pk")


def get_public_article(article_id: object) -> Article:
    article = public_articles().filter(pk=_int(article_id)).first()
    if article is None:
        raise Http404
    return article


def attachments_of(article: Article) -> list[Attachment]:
    """The article's attachments in the order they were added (one query)."""
    return list(Attachment.objects.filter(article_id=article.pk).order_by("uploaded_at", "pk"))


def _attachment_of(article: Article, attachment_id: object) -> Attachment:
    found = Attachment.objects.filter(article_id=article.pk, pk=_int(attachment_id)).first()
    if found is None:
        raise Http404
    found.article = article
    return found


def get_attachment_for(scope: Scope, article_id: object, attachment_id: object) -> Attachment:
    """An attachment of an article the scope may read (its audience) or manages (a draft's too); 404
    otherwise."""
    article = articles_for_reader(scope).filter(pk=_int(article_id)).first()
    if article is None:
        article = get_article_for(scope, article_id)
    return _attachment_of(article, attachment_id)


def get_public_attachment(article_id: object, attachment_id: object) -> Attachment:
    """An attachment of a published public article (anyone, no login); 404 otherwise."""
    return _attachment_of(get_public_article(article_id), attachment_id)


def waiting(scope: Scope) -> QuerySet[Article]:
    """Articles waiting at a step the scope reviews (the to-dos)."""
    if not scope.has(Permission.REVIEW_NEWS):
        return Article.objects.none()
    return Article.objects.filter(access.review_q(scope))


def waiting_count(scope: Scope) -> int:
    return waiting(scope).count()


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def subscription_of(user: Any) -> Subscription | None:
    return Subscription.objects.filter(user_id=user.pk).first()
