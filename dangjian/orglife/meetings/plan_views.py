"""组织生活计划 pages: the plans of a branch or college, a plan (its meetings and whether they meet the
frequencies), submitting, and the review by the committee above (approve, or return with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import get_org_for, org_from_query
from dangjian.kit import pdf
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.orglife import access
from dangjian.orglife.meetings import selectors, services
from dangjian.orglife.meetings.forms import PlanForm, ReasonForm
from dangjian.orglife.models import MeetingStatus, PeriodKind, PlanStatus
from dangjian.orglife.pages import post_action

P = Permission


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
def plans(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not access.may_view_lists(scope):
        raise Http404
    org = org_from_query(scope, request.GET.get("org"), P.VIEW_ORGLIFE)
    status = request.GET.get("status", "") if request.GET.get("status") in PlanStatus.values else ""
    qs = selectors.plans_visible_to(scope).filter(organization__path__startswith=org.path)
    if status:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-period_start", "organization__path", "pk"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orglife/plans.html",
        {
            "title": _("组织生活计划"),
            "org": org,
            "page": page,
            "status": status,
            "statuses": PlanStatus.choices,
            "query_string": f"org={org.pk}&status={status}",
            "can_create": access.may_create_in(scope, org),
            "reviewable": {
                plan.pk
                for plan in page
                if plan.status == PlanStatus.SUBMITTED and access.may_review(scope, plan.organization)
            },
        },
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def plan_new(request: ScopedRequest) -> HttpResponse:
    """The plan's period is picked whole (a month by default, next month first); a period that already
    has a plan says so with a link to it."""
    scope = request.scope
    org = get_org_for(scope, request.GET.get("org"), P.MANAGE_ORGLIFE)
    asked = request.POST.get("period_kind") or request.GET.get("kind")
    kind = asked if asked in PeriodKind.values else PeriodKind.MONTH
    context: dict[str, Any] = {
        "org": org,
        "title": _("制定组织生活计划"),
        "kind": kind,
        "kinds": PeriodKind.choices,
        "existing": None,
    }

    def create(d: dict[str, Any]) -> Any:
        try:
            return services.plan_create(
                actor=request.user,
                scope=scope,
                org=org,
                period_kind=d["period_kind"],
                day=d["period"],
                note=d["note"],
            )
        except services.PlanExists as exc:
            context["existing"] = exc.plan
            raise

    return service_form_page(
        request,
        PlanForm(request.POST or None, kind=kind),
        action=create,
        success=_("计划已创建，请安排会议后提交审核"),
        next_url=lambda plan: reverse("orglife:plan", args=[plan.pk]),
        context=context,
        template="orglife/plan_form.html",
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def plan_copy(request: ScopedRequest) -> HttpResponse:
    """Next month's plan from the branch's latest one (a second click opens the plan the first made)."""
    scope = request.scope
    org = get_org_for(scope, request.POST.get("org") or request.GET.get("org"), P.MANAGE_ORGLIFE)
    try:
        plan, made = services.plan_copy_forward(actor=request.user, scope=scope, org=org)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("orglife:plans") + f"?org={org.pk}")
    if made:
        messages.success(request, _("已按上一份计划生成下月计划草稿，请调整会议后提交审核"))
    else:
        messages.info(request, _("下月计划已存在，已为您打开"))
    return redirect("orglife:plan", plan.pk)


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@require_POST
@requires(Permission.REVIEW_ORGLIFE)
def plan_batch_approve(request: ScopedRequest) -> HttpResponse:
    """Approve the ticked submitted plans at once; each row posted the state it showed
    (``expected_<id>``). Shows what happened to each: approved, to be opened one by one (it does not
    meet the verdict), or refused (changed meanwhile)."""
    scope = request.scope
    ids = [int(v) for v in request.POST.getlist("plan") if v.isdigit()][:100]
    plans = list(
        selectors.plans_visible_to(scope, P.REVIEW_ORGLIFE).filter(pk__in=ids).order_by("organization__path")
    )
    if not plans:
        if ids:
            raise Http404  # none of them is the user's to review
        messages.error(request, _("请先勾选要通过的计划"))
        return redirect(reverse("orglife:plans") + "?status=submitted")
    result = services.plan_approve_batch(
        actor=request.user,
        scope=scope,
        seen=[(plan, (request.POST.get(f"expected_{plan.pk}") or "").strip()) for plan in plans],
        note=request.POST.get("note", "")[:300],
    )
    return render(request, "orglife/plan_batch.html", {"title": _("批量审核结果"), "result": result})


@access_rule(within(Permission.VIEW_ORGLIFE))
@login_required
def plan_detail(request: ScopedRequest, plan_id: int) -> HttpResponse:
    scope = request.scope
    plan = access.viewable_plan(request, plan_id)
    meetings = list(
        plan.meetings.exclude(status=MeetingStatus.CANCELLED)
        .select_related("organization", "speaker", "group")
        .order_by("date", "start_time")
    )
    check = selectors.plan_check(plan)
    can_edit = access.may_manage(scope, plan.organization) and plan.status in services.EDITABLE_PLAN
    can_review = access.may_review(scope, plan.organization) and plan.status == PlanStatus.SUBMITTED
    return render(
        request,
        "orglife/plan.html",
        {
            "title": str(plan),
            "plan": plan,
            "org": plan.organization,
            "meetings": meetings,
            "check": check,
            "verdict": selectors.plan_verdict(plan, check),
            "can_edit": can_edit,
            "can_review": can_review,
            "can_copy": plan.period_kind == PeriodKind.MONTH
            and access.may_create_in(scope, plan.organization),
            "return_form": ReasonForm(),
        },
    )


@access_rule(within(Permission.VIEW_ORGLIFE))
@login_required
def plan_pdf(request: ScopedRequest, plan_id: int) -> HttpResponse:
    """The plan printed on A4: branch, period, meetings, the verdict and its submission/review trail."""
    plan = access.viewable_plan(request, plan_id)
    meetings = list(
        plan.meetings.exclude(status=MeetingStatus.CANCELLED)
        .select_related("speaker", "group")
        .order_by("date", "start_time")
    )
    check = selectors.plan_check(plan)
    content = pdf.render_pdf(
        "orglife/plan_pdf.html",
        {
            "plan": plan,
            "org": plan.organization,
            "meetings": meetings,
            "check": check,
            "verdict": selectors.plan_verdict(plan, check),
            "trail": selectors.plan_trail(plan),
            "printed": timezone.localdate(),
        },
    )
    period = (
        f"{plan.period_start:%Y}" if plan.period_kind == PeriodKind.YEAR else f"{plan.period_start:%Y-%m}"
    )
    return pdf.pdf_response(content, f"{plan.organization.display_name}组织生活计划{period}.pdf")


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def plan_action(request: ScopedRequest, plan_id: int, action: str) -> HttpResponse:
    scope = request.scope
    perm = P.REVIEW_ORGLIFE if action in ("approve", "return") else P.MANAGE_ORGLIFE
    plan = selectors.get_plan_for(scope, plan_id, perm)
    calls: dict[str, tuple[Callable[[str], Any], str]] = {
        "submit": (
            lambda seen: services.plan_submit(
                actor=request.user,
                scope=scope,
                plan=plan,
                expected_status=seen,
                shortfall_reason=request.POST.get("shortfall_reason", ""),
            ),
            _("计划已提交审核"),
        ),
        "approve": (
            lambda seen: services.plan_approve(
                actor=request.user,
                scope=scope,
                plan=plan,
                note=request.POST.get("note", "")[:300],
                expected_status=seen,
                shortfall_reason=request.POST.get("shortfall_reason", ""),
            ),
            _("计划已通过"),
        ),
        "return": (
            lambda seen: services.plan_return(
                actor=request.user,
                scope=scope,
                plan=plan,
                reason=request.POST.get("reason", "")[:300],
                expected_status=seen,
            ),
            _("计划已退回支部"),
        ),
    }
    if action not in calls:
        raise Http404
    call, success = calls[action]
    return post_action(request, call, success, reverse("orglife:plan", args=[plan.pk]))
