"""The pages of 智能整理 (the school's news staff only; everyone else 404): the sources with their last
fetch, the form to add or edit one, a source's fetch log with 立即抓取, and the editors' queue — topics
newest first, each with its items from several sources, the keywords, near-duplicates collapsed — with
忽略 and 转载 on each item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import NOT_FOUND, access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_action, service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.news.feeds import access, selectors, services
from dangjian.news.feeds.forms import SourceForm
from dangjian.news.feeds.models import FeedSource

P = Permission
# PUBLISH_NEWS at the school committee: the college's and the branch's writers are refused.
SCHOOL = anywhere(
    P.PUBLISH_NEWS, college_organizer=NOT_FOUND, outsider_organizer=NOT_FOUND, branch_secretary=NOT_FOUND
)
SCHOOL_OBJECT = within(P.PUBLISH_NEWS)  # the sample's organization is the school committee
PAGE_SIZE = 20
TOPICS_PER_PAGE = 10


def _school_only(request: ScopedRequest) -> None:
    if not access.may_aggregate(scope_of(request)):
        raise Http404


def _source_url(source: FeedSource) -> str:
    return reverse("news:feed_source", args=[source.pk])


@access_rule(SCHOOL)
@login_required
def sources(request: ScopedRequest) -> HttpResponse:
    _school_only(request)
    page = CappedPaginator(selectors.sources(scope_of(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/feeds/sources.html", {"page": page, "title": _("订阅源")})


@access_rule(SCHOOL)
@login_required
def source_new(request: ScopedRequest) -> HttpResponse:
    _school_only(request)
    scope = scope_of(request)
    form = SourceForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda d: services.source_create(actor=request.user, scope=scope, data=form.source_input()),
        success=_("订阅源已添加，可立即抓取"),
        next_url=_source_url,
        context={"title": _("添加订阅源")},
    )


@access_rule(SCHOOL_OBJECT)
@login_required
def source_edit(request: ScopedRequest, feed_source_id: int) -> HttpResponse:
    scope = scope_of(request)
    source = selectors.get_source_for(scope, feed_source_id)
    initial = {"name": source.name, "url": source.url, "enabled": source.enabled}
    form = SourceForm(request.POST or None, initial=initial)
    return service_form_page(
        request,
        form,
        action=lambda d: services.source_update(
            actor=request.user, scope=scope, source=source, data=form.source_input()
        ),
        success=_("订阅源已保存"),
        next_url=_source_url,
        context={"title": _("修改订阅源")},
    )


@access_rule(SCHOOL_OBJECT)
@login_required
def source(request: ScopedRequest, feed_source_id: int) -> HttpResponse:
    """A source and its fetch log, newest first."""
    scope = scope_of(request)
    item = selectors.get_source_for(scope, feed_source_id)
    page = CappedPaginator(selectors.fetch_log(scope, item), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/feeds/source.html", {"source": item, "page": page, "title": item.name})


@access_rule(SCHOOL_OBJECT)
@login_required
@require_POST
def source_fetch(request: ScopedRequest, feed_source_id: int) -> HttpResponse:
    """立即抓取: the outcome (how many new, or the error) is the message."""
    scope = scope_of(request)
    item = selectors.get_source_for(scope, feed_source_id)
    log = services.source_fetch(actor=request.user, scope=scope, source=item)
    if log.error:
        messages.error(request, _("抓取失败：%(e)s") % {"e": log.error})
    elif log.status == "not_modified":
        messages.info(request, _("订阅源没有更新"))
    else:
        messages.success(
            request,
            _("抓取完成：新条目 %(n)s 条，其中近似重复 %(d)s 条")
            % {"n": log.items_new, "d": log.items_duplicate},
        )
    return redirect(_source_url(item))


@access_rule(SCHOOL)
@login_required
def queue(request: ScopedRequest) -> HttpResponse:
    """The editors' queue by topic, newest first; ``?all=1`` shows the handled topics too."""
    _school_only(request)
    show_all = request.GET.get("all") == "1"
    qs = selectors.queue(scope_of(request), waiting_only=not show_all)
    page = CappedPaginator(qs, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/feeds/queue.html",
        {
            "page": page,
            "cards": selectors.topic_cards(list(page.object_list)),
            "show_all": show_all,
            "query_string": "all=1" if show_all else "",
            "title": _("聚合新闻"),
        },
    )


def _back(request: ScopedRequest) -> str:
    back = request.POST.get("next", "")
    return back if back.startswith(reverse("news:feed_queue")) else reverse("news:feed_queue")


@access_rule(SCHOOL_OBJECT)
@login_required
@require_POST
def item_ignore(request: ScopedRequest, feed_item_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_item_for(scope, feed_item_id)
    return service_action(
        request,
        lambda seen: services.item_ignore(actor=request.user, scope=scope, item=item, expected_status=seen),
        _("已忽略该条目"),
        _back(request),
    )


@access_rule(SCHOOL_OBJECT)
@login_required
@require_POST
def item_republish(request: ScopedRequest, feed_item_id: int) -> HttpResponse:
    """转载: the draft is written and the editor lands on it (to edit and send to review)."""
    scope = scope_of(request)
    item = selectors.get_item_for(scope, feed_item_id)
    try:
        article = services.item_republish(
            actor=request.user, scope=scope, item=item, expected_status=posted_state(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request))
    messages.success(request, _("已生成转载草稿，请修改后送审"))
    return redirect(reverse("news:review", args=[article.pk]))
