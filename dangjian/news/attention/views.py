"""The pages of 阅读关注度: the beacon the reading pages send (view, leave, share), the like button, and
the publicity staff's overview and article pages (counts only: no page names a reader)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import Organization
from dangjian.core.selectors import get_org_for
from dangjian.kit.access_rules import ALLOWED, NOT_FOUND, access_rule, anywhere, person, within
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.ratelimit import rate_limit_hit, rate_limited_response
from dangjian.news import selectors as news_selectors
from dangjian.news.attention import rules, selectors, services
from dangjian.news.attention.forms import PeriodForm
from dangjian.news.models import Audience

P = Permission
PAGE_SIZE = 20
COLLEGES_PAGE_SIZE = 10


def reader_of(request: HttpRequest) -> tuple[rules.Reader, str | None]:
    """Who reads: the person, else the signed-in user, else the anonymous cookie (a new one is made and
    answered as the second value when the browser has none)."""
    user: Any = request.user
    if user.is_authenticated:
        if user.person_id:
            return rules.person_reader(user.person_id), None
        return rules.user_reader(user.pk), None
    cookie = request.COOKIES.get(rules.COOKIE_NAME)
    fresh = None
    if not rules.valid_cookie(cookie):
        cookie = fresh = secrets.token_urlsafe(18)
    return rules.cookie_reader(str(cookie)), fresh


def set_reader_cookie(request: HttpRequest, response: HttpResponse, value: str | None) -> None:
    if value:
        response.set_cookie(
            rules.COOKIE_NAME,
            value,
            max_age=rules.COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


@access_rule(within(P.PUBLISH_NEWS, member=ALLOWED, branch_secretary=ALLOWED, anonymous=NOT_FOUND))
@csrf_exempt
@require_POST
def beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """One reading event: ``kind`` view | leave | share, ``seconds`` on the page (0–3600), ``end`` 1 when
    the end of the article was reached. The article must be one the reader may read (404 otherwise; an
    anonymous reader: the public ones). One INSERT; 204.

    No CSRF token: the public article page is the same for every reader (drawn once and kept), so it
    cannot carry one. What a forged beacon could do is count a read; the browser's own word on where the
    request comes from (``Sec-Fetch-Site``, sent by every current browser) refuses another site's."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return HttpResponse(status=403)
    if request.user.is_authenticated:
        article = news_selectors.get_readable_for(scope_of(request), article_id)
    else:
        wait = rate_limit_hit(request, "news")
        if wait is not None:
            return rate_limited_response(request, wait)
        article = news_selectors.get_public_article(article_id)
    kind = request.POST.get("kind", "")
    if kind not in rules.BEACON_KINDS:
        return HttpResponse(_("未知的阅读事件"), status=400, content_type="text/plain; charset=utf-8")
    reader, fresh = reader_of(request)
    services.event_record(
        article=article,
        reader=reader,
        kind=kind,
        seconds=request.POST.get("seconds", 0),
        reached_end=request.POST.get("end") == "1",
    )
    response = HttpResponse(status=204)
    set_reader_cookie(request, response, fresh)
    return response


@access_rule(person())
@login_required
@require_POST
def like(request: ScopedRequest, article_id: int) -> HttpResponse:
    """Set the reader's like (``like`` 1) or take it back (0); a double click likes once. The button
    (htmx) or, without script, the article page again."""
    scope = scope_of(request)
    article = news_selectors.get_readable_for(scope, article_id)
    if scope.person_id is None:
        raise Http404
    services.like_set(actor=request.user, scope=scope, article=article, liked=request.POST.get("like") == "1")
    context = {"article": article, **selectors.like_state(article, scope.person_id)}
    if request.headers.get("HX-Request"):
        return render(request, "news/attention/_like.html", context)
    return redirect("news:read", article.pk)


# ---------------------------------------------------------------- the publicity staff's pages


def _overview(request: ScopedRequest, org: Organization | None) -> HttpResponse:
    scope = scope_of(request)
    form = PeriodForm(request.GET or None)
    period = form.period(timezone.localdate())
    days = selectors.days_of(scope, period, org=org)
    readers = selectors.readers_of(scope, period, org=org)
    page: Page[Any] = CappedPaginator(selectors.top_articles(days), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    colleges = selectors.colleges_read(scope, period, org=org)
    college_page: Page[Any] = Paginator(colleges, COLLEGES_PAGE_SIZE).get_page(request.GET.get("cpage"))
    keep = {k: v for k, v in request.GET.items() if k in ("span", "start", "end")}
    query_string = "&".join(f"{k}={v}" for k, v in keep.items())
    return render(
        request,
        "news/attention/overview.html",
        {
            "form": form,
            "period": period,
            "org": org,
            "totals": selectors.period_totals(days, readers),
            "chart": selectors.daily(days, period),
            "page": page,
            "rows": selectors.article_rows(list(page.object_list), readers),
            "categories": selectors.categories_read(days),
            "tags": selectors.tags_read(days),
            "college_page": college_page,
            "query_string": query_string,
            "title": _("阅读关注度") + (f" · {org.short_name or org.name}" if org else ""),
        },
    )


@access_rule(anywhere(P.PUBLISH_NEWS))
@login_required
def overview(request: ScopedRequest) -> HttpResponse:
    """阅读关注度: the reads of the articles the user manages over a period."""
    if not scope_of(request).has(P.PUBLISH_NEWS):
        raise Http404
    return _overview(request, None)


@access_rule(within(P.PUBLISH_NEWS))
@login_required
def org_overview(request: ScopedRequest, org_id: int) -> HttpResponse:
    """The overview for the articles of one organization and those below it (the 吸引力指数 links here)."""
    org = get_org_for(scope_of(request), org_id, P.PUBLISH_NEWS)
    return _overview(request, org)


@access_rule(within(P.PUBLISH_NEWS))
@login_required
def article(request: ScopedRequest, article_id: int) -> HttpResponse:
    """One article's attention: the daily chart, its numbers and its reach below its publisher."""
    scope = scope_of(request)
    item = news_selectors.get_article_for(scope, article_id)
    form = PeriodForm(request.GET or None)
    period = form.period(timezone.localdate())
    days = selectors.article_days(item, period)
    return render(
        request,
        "news/attention/article.html",
        {
            "form": form,
            "period": period,
            "article": item,
            "public": item.audience == Audience.PUBLIC,
            "facts": selectors.article_facts(item, period),
            "chart": selectors.daily(days, period),
            "reach": selectors.reach_by_org(item),
            "title": _("阅读关注度") + " · " + item.title,
        },
    )
