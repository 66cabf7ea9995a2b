"""智慧宣传 API: the articles the caller may read — anonymous callers the public ones; signed-in callers
also those for the subtrees of the organizations they belong to or serve and those for 指定人群 whose
groups they are in — one of them with its attachments (404 outside the audience), and an attachment's
download. Rate-limited like the public site."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import OTP_REQUIRED_ROLES, Permission
from dangjian.accounts.scope import EMPTY_SCOPE, Scope, resolve_scope
from dangjian.accounts.services import api_token_user
from dangjian.kit.access_rules import ALLOWED, NOT_FOUND, access_rule, public, within
from dangjian.kit.pagination import Pages
from dangjian.kit.ratelimit import enforce_rate_limit
from dangjian.kit.requests import client_ip
from dangjian.news import selectors
from dangjian.news.downloads import attachment_response
from dangjian.news.models import Category

router = Router(tags=["news"])


def _scope(request: HttpRequest) -> Scope:
    """Who reads: the bearer token's user, else the session's (as the API's own authentication accepts
    them: an administrative role without verified TOTP reads as the public), else the public. The
    endpoints answer everyone (``auth=None``), so the caller is worked out here: a module does not import
    the API shell."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = api_token_user(header[7:].strip(), method="GET", ip=client_ip(request))
        return resolve_scope(user) if user is not None else EMPTY_SCOPE
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return EMPTY_SCOPE
    scope: Scope = scope_of(request)
    if settings.OTP_REQUIRED_FOR_ADMIN_ROLES and scope.roles & OTP_REQUIRED_ROLES and not user.is_verified():
        return EMPTY_SCOPE
    return scope


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: str
    category_label: str
    audience: str
    groups: list[str]  # 指定人群 (audience "groups"): activist, candidate, member, cadre, secretary
    organization_name: str
    publish_at: datetime | None
    tags: list[str]
    cover_url: str | None

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_groups(obj: Any) -> list[str]:
        return list(obj.group_list)

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return list(obj.tag_list)

    @staticmethod
    def resolve_cover_url(obj: Any) -> str | None:
        return obj.cover.url if obj.cover else None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    download_url: str  # this API's download (the caller's token or session; public articles: anyone)

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        return reverse("api:news_attachment", kwargs={"article_id": obj.article_id, "attachment_id": obj.pk})


class ArticleDetailOut(ArticleOut):
    body: str  # sanitised HTML
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return selectors.attachments_of(obj)


@access_rule(public())
@router.get("/news", response=list[ArticleOut], auth=None)
@paginate(Pages, page_size=20)
def list_news(request: HttpRequest, category: str = "") -> Any:
    """Published articles the caller may read, newest first (``category``: one of work, notice, theory,
    pioneer, media)."""
    enforce_rate_limit(request, "news")
    return selectors.articles_for_reader(
        _scope(request), category=category if category in Category.values else ""
    )


@access_rule(within(Permission.PUBLISH_NEWS, member=ALLOWED, branch_secretary=ALLOWED, anonymous=NOT_FOUND))
@router.get("/news/{article_id}", response=ArticleDetailOut, auth=None)
def get_news(request: HttpRequest, article_id: int) -> Any:
    enforce_rate_limit(request, "news")
    return selectors.get_readable_for(_scope(request), article_id)


@access_rule(within(Permission.PUBLISH_NEWS, member=ALLOWED, branch_secretary=ALLOWED, anonymous=NOT_FOUND))
@router.get("/news/{article_id}/attachments/{attachment_id}", auth=None, url_name="news_attachment")
def news_attachment(request: HttpRequest, article_id: int, attachment_id: int) -> Any:
    """An attachment of an article the caller may read, as a download (404 outside the audience)."""
    enforce_rate_limit(request, "news")
    return attachment_response(selectors.get_attachment_for(_scope(request), article_id, attachment_id))
