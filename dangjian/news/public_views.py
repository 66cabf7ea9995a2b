"""The public 党建 news site (no login): the list, an article (Open Graph tags and a QR code of its
address for sharing on phones), a category, the search (title and summary) and the Atom feed. Only
published public articles exist here: anything else answers 404. Rate-limited per IP ("news")."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import segno
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dangjian.kit.access_rules import access_rule, public
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.ratelimit import rate_limited
from dangjian.news import selectors
from dangjian.news.attention.views import reader_of, set_reader_cookie
from dangjian.news.downloads import attachment_response
from dangjian.news.models import Article, Category

PAGE_SIZE = 12
FEED_SIZE = 30
GET = ("GET", "HEAD")


def _list(request: HttpRequest, *, category: str = "", heading: str = "") -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[: selectors.SEARCH_MAX]
    qs = selectors.public_articles(category=category, q=q)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/public/list.html",
        {
            "page": page,
            "q": q,
            "category": category,
            "categories": Category.choices,
            "query_string": f"q={q}" if q else "",
            "title": heading or _("党建新闻"),
        },
    )


@access_rule(public())
@rate_limited("news", methods=GET)
def public_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@access_rule(public())
@rate_limited("news", methods=GET)
def public_category(request: HttpRequest, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404
    return _list(request, category=category, heading=str(Category(category).label))


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """The article's public address as an inline SVG QR code (no script, no external image). Drawing one
    costs about 10 ms, more than the rest of the page: each worker keeps the last few thousand."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)


PAGE_CACHE_SECONDS = 600


@access_rule(public())
@rate_limited("news", methods=GET)
def public_article(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article, read afresh each time (a withdrawn one answers 404 at once); its page is drawn once
    per version, language and host and kept in the cache — the page is the same for every reader. Adding
    or removing an attachment moves ``updated_at`` on (``services._touch``), so the key changes too."""
    article = selectors.get_public_article(article_id)
    key = (
        f"news:public:{article.pk}:{article.updated_at.timestamp():.6f}:{get_language()}:{request.get_host()}"
    )
    html = cache.get(key)
    if html is None:
        url = request.build_absolute_uri(reverse("news:public_article", args=[article.pk]))
        image = request.build_absolute_uri(article.cover.url) if article.cover else ""
        html = render_to_string(
            "news/public/article.html",
            {
                "article": article,
                "url": url,
                "image": image,
                "qr": mark_safe(qr_svg(url)),
                "attachments": selectors.attachments_of(article),
                "categories": Category.choices,
                "title": article.title,
            },
            request=request,
        )
        cache.set(key, html, PAGE_CACHE_SECONDS)
    response = HttpResponse(html)
    if not request.user.is_authenticated:
        # The anonymous reader's random id, so the beacons count them once (never linked to anyone).
        _reader, fresh = reader_of(request)
        set_reader_cookie(request, response, fresh)
    return response


@access_rule(public())
@rate_limited("news", methods=GET)
def public_attachment(request: HttpRequest, article_id: int, attachment_id: int) -> FileResponse:
    """An attachment of a published public article, for anyone."""
    return attachment_response(selectors.get_public_attachment(article_id, attachment_id))


class ArticlesFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("党建新闻")
    subtitle = gettext_lazy("公开发布的党建工作动态、通知公告和理论学习文章")

    def link(self) -> str:
        return reverse("news:public_list")

    def items(self) -> list[Article]:
        return list(selectors.public_articles()[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return reverse("news:public_article", args=[item.pk])

    def item_pubdate(self, item: Article) -> Any:
        return item.publish_at

    def item_updateddate(self, item: Article) -> Any:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.organization.short_name or item.organization.name

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_category_display())]


@access_rule(public())
@rate_limited("news", methods=GET)
def feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of the newest public articles."""
    return ArticlesFeed()(request)
