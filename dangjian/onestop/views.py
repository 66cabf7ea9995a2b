"""The signed-in pages of 智慧服务: a member's 我的服务 (the catalogue, their requests with the rating of
closed ones, their proofs), a request form per kind; the handler's list (filters, overdue first) and a
request's page with 受理 / 办结 / 不予办理; a proof's PDF and its withdrawal. Made for a phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.kit.access_rules import ALLOWED, access_rule, anywhere, own, person, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.onestop import access, pdf, rules, selectors, services
from dangjian.onestop.details import labelled
from dangjian.onestop.forms import CompleteForm, RateForm, ReasonForm, RequestForm, TakeForm
from dangjian.onestop.models import Request
from dangjian.onestop.rules import Asker, RequestKind, RequestStatus

P = Permission
HANDLE = within(P.HANDLE_REQUESTS)


def _request_url(request: Request) -> str:
    return reverse("onestop:request", args=[request.pk])


# ---------------------------------------------------------------- the requester's side


@access_rule(person())
@login_required
def mine(request: ScopedRequest) -> HttpResponse:
    """我的服务: what one may ask for, one's requests (newest first) and proofs."""
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    page = CappedPaginator(selectors.own_requests(scope), 20).get_page(request.GET.get("page"))
    for item in page:
        item.rows = labelled(item.kind, item.details)  # type: ignore[attr-defined]
        item.may_rate = access.may_rate(scope, item)  # type: ignore[attr-defined]
    return render(
        request,
        "onestop/mine.html",
        {
            "title": _("我的服务"),
            "page": page,
            "member_kinds": rules.kinds_for(Asker.MEMBER),
            "branch_kinds": rules.kinds_for(Asker.BRANCH) if scope.has(P.HANDLE_REQUESTS) else [],
            "proofs": list(selectors.own_proofs(scope)[:50]),
            "rate_form": RateForm(),
        },
    )


def _branches_for(scope: Scope) -> list[Organization]:
    qs = Organization.objects.filter(scope.q(P.HANDLE_REQUESTS), kind=OrgKind.BRANCH, is_active=True)
    return list(qs.order_by("path")[:200])


@access_rule(person())
@login_required
def request_new(request: ScopedRequest, kind: str) -> HttpResponse:
    """The form of one kind of the catalogue; a branch's request names the branch it is for."""
    scope = scope_of(request)
    entry = rules.entry(kind)
    if scope.person_id is None or entry is None:
        raise Http404
    branches = None
    if entry.asker == Asker.BRANCH:
        branches = _branches_for(scope)
        if not branches:
            raise Http404
    form = RequestForm(request.POST or None, kind=kind, branches=branches)
    return service_form_page(
        request,
        form,
        action=lambda data: services.request_submit(
            actor=request.user,
            scope=scope,
            kind=kind,
            details=form.details(),
            from_org=data.get("from_org"),
            idempotency_key=data.get("idempotency_key") or None,
        ),
        success=_("申请已提交，请留意办理进度。"),
        next_url=reverse("onestop:mine"),
        context={"title": _("申请：%(kind)s") % {"kind": RequestKind(kind).label}},
    )


@access_rule(own())
@login_required
def rate(request: ScopedRequest, request_id: int) -> HttpResponse:
    """满意度评价 of one's own closed request (the form sits on 我的服务)."""
    scope = scope_of(request)
    item = selectors.get_own_request(scope, request_id)
    form = RateForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda data: services.request_rate(
            actor=request.user,
            scope=scope,
            request=item,
            score=data["score"],
            comment=data["comment"],
            expected_status=posted_state(request),
        ),
        success=_("感谢你的评价。"),
        next_url=reverse("onestop:mine"),
        context={"title": _("评价：%(kind)s") % {"kind": item.get_kind_display()}},
        state=item.status,
    )


# ---------------------------------------------------------------- the handling side


@access_rule(anywhere(P.HANDLE_REQUESTS))
@login_required
def handle_list(request: ScopedRequest) -> HttpResponse:
    """The requests addressed to organizations the user handles: open ones by default, overdue first."""
    scope = scope_of(request)
    if not scope.has(P.HANDLE_REQUESTS):
        raise Http404
    filters = selectors.parse_filters(request.GET)
    page = CappedPaginator(selectors.handled_by(scope, filters), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "onestop/handle_list.html",
        {
            "title": _("服务申请办理"),
            "page": page,
            "filters": filters,
            "statuses": RequestStatus.choices,
            "kinds": RequestKind.choices,
            "query_string": urlencode({"status": filters.status, "kind": filters.kind}),
        },
    )


@access_rule(HANDLE)
@login_required
def request_detail(request: ScopedRequest, request_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_request_to_handle(scope, request_id)
    proof = getattr(item, "proof", None)
    return render(
        request,
        "onestop/request.html",
        {
            "title": item.get_kind_display(),
            "item": item,
            "rows": labelled(item.kind, item.details),
            "proof": proof,
            "complete_form": CompleteForm(),
            "refuse_form": ReasonForm(),
            "withdraw_form": ReasonForm(),
        },
    )


def _step(request: ScopedRequest, request_id: int, step: str) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_request_to_handle(scope, request_id)
    form_class = {"take": TakeForm, "complete": CompleteForm, "refuse": ReasonForm}[step]
    form = form_class(request.POST or None)

    def act(data: dict[str, object]) -> Request:
        expected = posted_state(request)
        if step == "take":
            return services.request_take(
                actor=request.user, scope=scope, request=item, expected_status=expected
            )
        if step == "complete":
            return services.request_complete(
                actor=request.user,
                scope=scope,
                request=item,
                expected_status=expected,
                note=str(data["note"]),
            )
        return services.request_refuse(
            actor=request.user,
            scope=scope,
            request=item,
            expected_status=expected,
            reason=str(data["reason"]),
        )

    titles = {"take": _("受理申请"), "complete": _("办结申请"), "refuse": _("不予办理")}
    done = {"take": _("已受理。"), "complete": _("已办结。"), "refuse": _("已告知申请人不予办理的理由。")}
    return service_form_page(
        request,
        form,
        action=act,
        success=done[step],
        next_url=_request_url(item),
        context={"title": f"{titles[step]}：{item.get_kind_display()}", "danger": step == "refuse"},
        state=item.status,
    )


@access_rule(HANDLE)
@login_required
def take(request: ScopedRequest, request_id: int) -> HttpResponse:
    return _step(request, request_id, "take")


@access_rule(HANDLE)
@login_required
def complete(request: ScopedRequest, request_id: int) -> HttpResponse:
    return _step(request, request_id, "complete")


@access_rule(HANDLE)
@login_required
def refuse(request: ScopedRequest, request_id: int) -> HttpResponse:
    return _step(request, request_id, "refuse")


# ---------------------------------------------------------------- proofs


@access_rule(within(P.HANDLE_REQUESTS, member=ALLOWED))
@login_required
def proof_pdf(request: ScopedRequest, proof_id: int) -> HttpResponse:
    """The proof as an A4 PDF: its member, or the issuing side."""
    proof = selectors.get_proof_for(scope_of(request), proof_id)
    return pdf.proof_response(request, proof)


@access_rule(HANDLE)
@login_required
def proof_withdraw(request: ScopedRequest, proof_id: int) -> HttpResponse:
    scope = scope_of(request)
    proof = selectors.get_proof_to_withdraw(scope, proof_id)
    form = ReasonForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda data: services.proof_withdraw(
            actor=request.user,
            scope=scope,
            proof=proof,
            reason=data["reason"],
            expected_status=posted_state(request),
        ),
        success=_("证明已撤回，验证页面将显示“已撤回”。"),
        next_url=reverse("onestop:request", args=[proof.request_id]),
        context={"title": _("撤回证明 %(serial)s") % {"serial": proof.serial}, "danger": True},
        state=services.proof_state(proof),
    )
