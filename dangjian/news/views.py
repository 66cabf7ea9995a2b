"""The signed-in pages of 智慧宣传: the articles a person writes or reviews (filters, paginated), the
form to write and rewrite a draft, an article's review page (the sanitised preview, the chain's steps
and notes, the buttons its state allows) and the one-button actions; and the 新闻 readers see (their
organizations' internal articles and the public ones)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import ALLOWED, access_rule, anywhere, signed_in, within
from dangjian.kit.form_pages import service_action, service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.news import access, rules, selectors, services
from dangjian.news.attention import selectors as attention_selectors
from dangjian.news.downloads import attachment_response
from dangjian.news.forms import ArticleForm, AttachmentForm, FilterForm, SubscriptionForm
from dangjian.news.models import Article, Audience, Category, Status
from dangjian.policy import get_policy

P = Permission
WRITE = within(P.PUBLISH_NEWS)
REVIEW = within(P.REVIEW_NEWS)
PAGE_SIZE = 20


def _review_url(article: Article) -> str:
    return reverse("news:review", args=[article.pk])


@access_rule(anywhere(P.PUBLISH_NEWS))
@login_required
def manage(request: ScopedRequest) -> HttpResponse:
    """The articles of the organizations the user writes for or reviews; 待我审核 first if asked."""
    scope = scope_of(request)
    if not scope.has(P.PUBLISH_NEWS):
        raise Http404
    filters = FilterForm(request.GET or None)
    status = category = ""
    if filters.is_valid():
        status, category = filters.cleaned_data["status"], filters.cleaned_data["category"]
    waiting = request.GET.get("waiting") == "1"
    qs = selectors.articles_managed(scope, status=status, category=category, waiting=waiting)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/manage.html",
        {
            "page": page,
            "filters": filters,
            "waiting": waiting,
            "waiting_count": selectors.waiting_count(scope),
            "query_string": f"status={status}&category={category}" + ("&waiting=1" if waiting else ""),
            "title": _("宣传稿件"),
        },
    )


@access_rule(anywhere(P.PUBLISH_NEWS))
@login_required
def article_new(request: ScopedRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.PUBLISH_NEWS):
        raise Http404
    form = ArticleForm(request.POST or None, request.FILES or None, orgs=selectors.author_orgs(scope))
    return service_form_page(
        request,
        form,
        action=lambda d: services.article_create(
            actor=request.user, scope=scope, organization=d["organization"], data=form.article_input()
        ),
        success=_("草稿已保存，可预览后送审"),
        next_url=_review_url,
        context={"title": _("撰写稿件"), "multipart": True},
    )


@access_rule(WRITE)
@login_required
def article_edit(request: ScopedRequest, article_id: int) -> HttpResponse:
    scope = scope_of(request)
    article = selectors.get_article_for(scope, article_id)
    if not access.may_author(scope, article.organization):
        raise Http404
    if article.status != Status.DRAFT:
        messages.info(request, _("只有草稿可以修改（当前：%(s)s）") % {"s": article.get_status_display()})
        return redirect(_review_url(article))
    initial = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "category": article.category,
        "audience": article.audience,
        "groups": article.group_list,
        "tags": article.tags,
        "publish_at": article.publish_at,
    }
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    return service_form_page(
        request,
        form,
        action=lambda d: services.article_update(
            actor=request.user,
            scope=scope,
            article=article,
            data=form.article_input(),
            expected_status=posted_state(request),
        ),
        success=_("草稿已保存"),
        next_url=_review_url,
        context={"title": _("修改稿件"), "org": article.organization, "multipart": True},
        state=rules.state_of(article.status, article.step),
    )


@access_rule(WRITE)
@login_required
def review(request: ScopedRequest, article_id: int) -> HttpResponse:
    """The article as it will be published (sanitised), its chain and notes, and what may be done."""
    scope = scope_of(request)
    article = selectors.get_article_for(scope, article_id)
    steps = rules.review_steps(get_policy().news_review_steps)
    return render(
        request,
        "news/review.html",
        {
            "article": article,
            "notes": list(selectors.notes_of(article)),
            "steps": steps,
            "step_labels": [(s, _step_label(s), s == article.step) for s in steps],
            "state": rules.state_of(article.status, article.step),
            "may_edit": access.may_edit(scope, article),
            "may_review": access.may_review(scope, article),
            "may_withdraw": access.may_withdraw(scope, article),
            "attachments": selectors.attachments_of(article),
            "attachment_kinds": services.ATTACHMENT_KINDS,
            "attachment_max_mb": settings.NEWS_ATTACHMENT_MAX_MB,
            "attachment_max_count": settings.NEWS_ATTACHMENT_MAX_COUNT,
            "title": article.title,
        },
    )


def _step_label(step: str) -> str:
    from dangjian.news.models import Step

    return str(Step(step).label) if step in Step.values else step


def _act(
    request: ScopedRequest,
    article_id: int,
    call: Callable[..., Any],
    success: str,
    *,
    reviewers_only: bool = False,
) -> HttpResponse:
    """A one-button state change with the state the page showed; the message either way. A reviewer's
    button (approve, return, withdraw) answers 404 to anyone who does not review the organization."""
    scope = scope_of(request)
    article = selectors.get_article_for(scope, article_id)
    if reviewers_only and not access.reviews_for(scope, article.organization):
        raise Http404
    return service_action(request, lambda seen: call(scope, article, seen), success, _review_url(article))


@access_rule(WRITE)
@login_required
@require_POST
def submit(request: ScopedRequest, article_id: int) -> HttpResponse:
    return _act(
        request,
        article_id,
        lambda scope, article, seen: services.article_submit(
            actor=request.user, scope=scope, article=article, expected_status=seen
        ),
        _("稿件已送审"),
    )


@access_rule(REVIEW)
@login_required
@require_POST
def approve(request: ScopedRequest, article_id: int) -> HttpResponse:
    return _act(
        request,
        article_id,
        lambda scope, article, seen: services.article_approve(
            actor=request.user,
            scope=scope,
            article=article,
            expected_status=seen,
            comment=request.POST.get("comment", ""),
        ),
        _("已审核通过"),
        reviewers_only=True,
    )


@access_rule(REVIEW)
@login_required
@require_POST
def return_(request: ScopedRequest, article_id: int) -> HttpResponse:
    return _act(
        request,
        article_id,
        lambda scope, article, seen: services.article_return(
            actor=request.user,
            scope=scope,
            article=article,
            expected_status=seen,
            comment=request.POST.get("comment", ""),
        ),
        _("已退回作者修改"),
        reviewers_only=True,
    )


@access_rule(REVIEW)
@login_required
@require_POST
def withdraw(request: ScopedRequest, article_id: int) -> HttpResponse:
    return _act(
        request,
        article_id,
        lambda scope, article, seen: services.article_withdraw(
            actor=request.user,
            scope=scope,
            article=article,
            expected_status=seen,
            reason=request.POST.get("reason", ""),
        ),
        _("稿件已撤回"),
        reviewers_only=True,
    )


# ---------------------------------------------------------------- attachments


def _authored(request: ScopedRequest, article_id: int) -> Article:
    """An article of an organization the user writes for (others: 404)."""
    scope = scope_of(request)
    article = selectors.get_article_for(scope, article_id)
    if not access.may_author(scope, article.organization):
        raise Http404
    return article


@access_rule(WRITE)
@login_required
@require_POST
def attachment_add(request: ScopedRequest, article_id: int) -> HttpResponse:
    article = _authored(request, article_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
        return redirect(_review_url(article))
    return service_action(
        request,
        lambda seen: services.attachment_add(
            actor=request.user,
            scope=scope_of(request),
            article=article,
            upload=form.cleaned_data["file"],
            expected_status=seen,
        ),
        _("附件已上传"),
        _review_url(article),
    )


@access_rule(WRITE)
@login_required
@require_POST
def attachment_remove(request: ScopedRequest, article_id: int, attachment_id: int) -> HttpResponse:
    article = _authored(request, article_id)
    found = selectors.get_attachment_for(scope_of(request), article.pk, attachment_id)
    return service_action(
        request,
        lambda seen: services.attachment_remove(
            actor=request.user, scope=scope_of(request), attachment=found, expected_status=seen
        ),
        _("附件已删除"),
        _review_url(article),
    )


@access_rule(within(P.PUBLISH_NEWS, member=ALLOWED, branch_secretary=ALLOWED))
@login_required
def attachment(request: ScopedRequest, article_id: int, attachment_id: int) -> FileResponse:
    """Download an attachment of an article the reader may read (or manages); 404 otherwise."""
    return attachment_response(selectors.get_attachment_for(scope_of(request), article_id, attachment_id))


# ---------------------------------------------------------------- readers


@access_rule(signed_in())
@login_required
def reading(request: ScopedRequest) -> HttpResponse:
    """新闻: what the reader's audience may read, newest first."""
    category = request.GET.get("category", "")
    qs = selectors.reading_list(scope_of(request), category=category)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/reading.html",
        {
            "page": page,
            "category": category,
            "categories": Category.choices,
            "query_string": f"category={category}",
            "subscribed": selectors.subscription_of(request.user) is not None,
            "title": _("新闻"),
        },
    )


@access_rule(within(P.PUBLISH_NEWS, member=ALLOWED, branch_secretary=ALLOWED))
@login_required
def read(request: ScopedRequest, article_id: int) -> HttpResponse:
    scope = scope_of(request)
    article = selectors.get_readable_for(scope, article_id)
    public = article.audience == Audience.PUBLIC
    share = reverse("news:public_article" if public else "news:read", args=[article.pk])
    return render(
        request,
        "news/read.html",
        {
            "article": article,
            "may_like": scope.person_id is not None,
            **(attention_selectors.like_state(article, scope.person_id) if scope.person_id else {}),
            "attachments": selectors.attachments_of(article),
            "share_url": request.build_absolute_uri(share),
            "title": article.title,
        },
    )


@access_rule(signed_in())
@login_required
def subscription(request: ScopedRequest) -> HttpResponse:
    """新闻订阅: the categories a reader is told of, in the app and (if asked) by e-mail."""
    found = selectors.subscription_of(request.user)
    initial = {"categories": found.category_list, "by_email": found.by_email} if found else {}
    form = SubscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    mail_ready = bool(settings.EMAIL_URL)
    if not mail_ready:
        form.fields["by_email"].disabled = True
        form.fields["by_email"].help_text = _("本平台尚未配置邮件服务，暂只能站内通知。")
    elif not request.user.email:
        form.fields["by_email"].help_text = _("您的账号没有登记电子邮箱。")
    return service_form_page(
        request,
        form,
        action=lambda d: services.subscription_save(
            actor=request.user, categories=d["categories"], by_email=bool(d["by_email"]) and mail_ready
        ),
        success=_("已保存新闻订阅。"),
        next_url=reverse("news:subscription"),
        context={"title": _("新闻订阅"), "subscription": found},
        template="news/subscription.html",
    )


@access_rule(signed_in())
@login_required
@require_POST
def unsubscribe(request: ScopedRequest) -> HttpResponse:
    if services.subscription_cancel(actor=request.user):
        messages.success(request, _("已退订新闻。"))
    return redirect("news:subscription")
