"""The signed-in pages of the 书记信箱: a person's 我的来信 (their letters, one letter with its answers,
close and rate) and 我要写信; the handlers' 书记信箱 (the inbox: waiting letters, overdue first) and a
letter's page with 回复 / 转办 / 办结. The handler's pages show the writer through ``presenting`` only: an
anonymous letter says 匿名来信. Made for a phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import access_rule, anywhere, own, person, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.mailbox import access, lines, presenting, selectors, services
from dangjian.mailbox.forms import RateForm, ReplyForm, StepForm, TransferForm, WriteForm
from dangjian.mailbox.models import Letter
from dangjian.mailbox.rules import LetterStatus

P = Permission
HANDLE = within(P.HANDLE_REQUESTS)


def _letter_url(letter: Letter) -> str:
    return reverse("mailbox:letter", args=[letter.pk])


def _own_url(letter: Letter) -> str:
    return reverse("mailbox:own", args=[letter.pk])


# ---------------------------------------------------------------- the writer's side


@access_rule(person())
@login_required
def mine(request: ScopedRequest) -> HttpResponse:
    """我的来信: one's letters, newest first."""
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    page = CappedPaginator(selectors.own_letters(scope), 20).get_page(request.GET.get("page"))
    return render(request, "mailbox/mine.html", {"title": _("我的来信"), "page": page})


@access_rule(person())
@login_required
def write(request: ScopedRequest) -> HttpResponse:
    """我要写信: to one's branch, college or the school; anonymously if one is a member."""
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    line = lines.line_of(scope.person_id)
    if not line:
        raise Http404
    form = WriteForm(request.POST or None, line=line, member=lines.is_member(scope.person_id))
    return service_form_page(
        request,
        form,
        action=lambda data: services.letter_write(
            actor=request.user,
            scope=scope,
            organization=data.get("organization"),
            subject=data["subject"],
            body=data["body"],
            category=data["category"],
            anonymous=bool(data.get("anonymous")),
            idempotency_key=data.get("idempotency_key") or None,
        ),
        success=_("来信已送达，请留意答复。"),
        next_url=_own_url,
        context={"title": _("我要写信"), "help": _("请如实反映情况。办理人将在规定的工作日内答复。")},
    )


@access_rule(own())
@login_required
def own_letter(request: ScopedRequest, letter_id: int) -> HttpResponse:
    """One's own letter: the answers, and the writer's close and rating."""
    scope = scope_of(request)
    letter = selectors.get_own_letter(scope, letter_id)
    return render(
        request,
        "mailbox/own.html",
        {
            "title": letter.subject,
            "letter": letter,
            "may_close": access.may_close_as_writer(scope, letter),
            "may_rate": access.may_rate(scope, letter),
            "rate_form": RateForm(),
        },
    )


@access_rule(own())
@login_required
def own_close(request: ScopedRequest, letter_id: int) -> HttpResponse:
    """The writer confirms the answer: 办结."""
    scope = scope_of(request)
    letter = selectors.get_own_letter(scope, letter_id)
    return service_form_page(
        request,
        StepForm(request.POST or None),
        action=lambda data: services.letter_close(
            actor=request.user, scope=scope, letter=letter, expected_status=posted_state(request)
        ),
        success=_("来信已办结，感谢你的来信。"),
        next_url=_own_url(letter),
        context={"title": _("确认办结：%(s)s") % {"s": letter.subject}},
        state=letter.status,
    )


@access_rule(own())
@login_required
def rate(request: ScopedRequest, letter_id: int) -> HttpResponse:
    """满意度评价 of the answer to one's letter."""
    scope = scope_of(request)
    letter = selectors.get_own_letter(scope, letter_id)
    form = RateForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda data: services.letter_rate(
            actor=request.user,
            scope=scope,
            letter=letter,
            score=data["score"],
            expected_status=posted_state(request),
        ),
        success=_("感谢你的评价。"),
        next_url=_own_url(letter),
        context={"title": _("评价：%(s)s") % {"s": letter.subject}},
        state=letter.status,
    )


# ---------------------------------------------------------------- the handling side


@access_rule(anywhere(P.HANDLE_REQUESTS))
@login_required
def inbox(request: ScopedRequest) -> HttpResponse:
    """书记信箱: the letters to organizations one handles; waiting ones by default, overdue first."""
    scope = scope_of(request)
    if not scope.has(P.HANDLE_REQUESTS):
        raise Http404
    filters = selectors.parse_filters(request.GET)
    page = CappedPaginator(selectors.inbox(scope, filters), 30).get_page(request.GET.get("page"))
    for letter in page:
        letter.writer = presenting.writer_label(letter)  # type: ignore[attr-defined]
    return render(
        request,
        "mailbox/inbox.html",
        {
            "title": _("书记信箱"),
            "page": page,
            "filters": filters,
            "statuses": LetterStatus.choices,
            "query_string": urlencode({"status": filters.status}),
        },
    )


@access_rule(HANDLE)
@login_required
def letter_detail(request: ScopedRequest, letter_id: int) -> HttpResponse:
    scope = scope_of(request)
    letter = selectors.get_letter_to_handle(scope, letter_id)
    may_transfer = access.may_transfer(scope, letter)
    return render(
        request,
        "mailbox/letter.html",
        {
            "title": letter.subject,
            "letter": letter,
            "writer": presenting.writer_label(letter),
            "contact": presenting.contact(letter),
            "may_reply": access.may_reply(scope, letter),
            "may_close": access.may_close_as_handler(scope, letter),
            "transfer_targets": services.transfer_targets(letter) if may_transfer else [],
        },
    )


@access_rule(HANDLE)
@login_required
def reply(request: ScopedRequest, letter_id: int) -> HttpResponse:
    scope = scope_of(request)
    letter = selectors.get_letter_to_handle(scope, letter_id)
    return service_form_page(
        request,
        ReplyForm(request.POST or None),
        action=lambda data: services.letter_reply(
            actor=request.user,
            scope=scope,
            letter=letter,
            body=data["body"],
            expected_status=posted_state(request),
        ),
        success=_("已回复。"),
        next_url=_letter_url(letter),
        context={"title": _("回复：%(s)s") % {"s": letter.subject}},
        state=letter.status,
    )


@access_rule(HANDLE)
@login_required
def transfer(request: ScopedRequest, letter_id: int) -> HttpResponse:
    scope = scope_of(request)
    letter = selectors.get_letter_to_handle(scope, letter_id)
    form = TransferForm(request.POST or None, targets=services.transfer_targets(letter))
    return service_form_page(
        request,
        form,
        action=lambda data: services.letter_transfer(
            actor=request.user,
            scope=scope,
            letter=letter,
            to_org=data.get("to_org"),
            reason=data["reason"],
            expected_status=posted_state(request),
        ),
        success=_("已转办。"),
        next_url=lambda result: (
            _letter_url(result) if access.may_handle(scope, result) else reverse("mailbox:inbox")
        ),
        context={"title": _("转办：%(s)s") % {"s": letter.subject}},
        state=letter.status,
    )


@access_rule(HANDLE)
@login_required
def close(request: ScopedRequest, letter_id: int) -> HttpResponse:
    scope = scope_of(request)
    letter = selectors.get_letter_to_handle(scope, letter_id)
    return service_form_page(
        request,
        StepForm(request.POST or None),
        action=lambda data: services.letter_close(
            actor=request.user, scope=scope, letter=letter, expected_status=posted_state(request)
        ),
        success=_("来信已办结。"),
        next_url=_letter_url(letter),
        context={"title": _("办结：%(s)s") % {"s": letter.subject}},
        state=letter.status,
    )
