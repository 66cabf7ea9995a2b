"""Study plan pages for organizers: the list, a new plan, its completion by organization (drill-down and
the people one by one) and its Excel."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.models import Organization
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.learning.access import organizer_scope
from dangjian.learning.library import selectors, services
from dangjian.learning.library.forms import PlanForm

P = Permission


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = organizer_scope(request)
    page = CappedPaginator(
        selectors.plans_visible_to(scope).prefetch_related("courses").order_by("-deadline", "-id"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "learning/library/plans.html", {"page": page, "title": _("学习计划")})


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    scope = organizer_scope(request)
    form = PlanForm(
        request.POST or None,
        organizations=selectors.publishers_for(scope),
        courses=selectors.course_choices(scope),
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.plan_create(
            actor=request.user,
            scope=scope,
            organization=d["organization"],
            title=d["title"],
            deadline=d["deadline"],
            courses=list(d["courses"]),
            political_status=d.get("political_status") or "",
            today=timezone.localdate(),
        ),
        success=_("已下达学习计划"),
        next_url=lambda p: reverse("learning:study_plan", args=[p.pk]),
        context={"title": _("下达学习计划")},
    )


def _plan_org(request: HttpRequest, plan: Any) -> Organization:
    """The organization of the plan's subtree the page looks at (``?org=``), in the user's scope."""
    raw = request.GET.get("org")
    if not raw:
        return plan.organization  # type: ignore[no-any-return]
    scope = scope_of(request)
    try:
        org = Organization.objects.get(pk=int(raw), path__startswith=plan.organization.path)
    except (Organization.DoesNotExist, ValueError):
        raise Http404 from None
    if not scope.covers(P.MANAGE_TRAINING, org.path):
        raise Http404
    return org


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def plan_detail(request: HttpRequest, study_plan_id: int) -> HttpResponse:
    """The plan's completion in its organization (or one under it), per organization right under it;
    where none is under it, or with ``list=1``, its people one by one."""
    scope = scope_of(request)
    plan = selectors.get_plan_for(scope, study_plan_id)
    org = _plan_org(request, plan)
    courses = list(plan.courses.order_by("pk"))
    whole, lines = selectors.plan_rollup(plan, org)
    listing = not lines or request.GET.get("list") == "1"
    page = (
        CappedPaginator(selectors.plan_people_lines(plan, org), 50).get_page(request.GET.get("page"))
        if listing
        else None
    )
    return render(
        request,
        "learning/library/plan.html",
        {
            "plan": plan,
            "org": org,
            "courses": courses,
            "whole": whole,
            "lines": lines,
            "page": page,
            "query_string": urlencode({"org": org.pk, "list": 1}),
            "title": plan.title,
        },
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def plan_export(request: HttpRequest, study_plan_id: int) -> FileResponse:
    """The people of the plan (in ``?org=``) with the courses they finished (.xlsx, audited)."""
    scope = scope_of(request)
    plan = selectors.get_plan_for(scope, study_plan_id)
    org = _plan_org(request, plan)
    if not scope.covers(P.EXPORT, org.path):
        raise Http404
    total = plan.courses.count()
    finished, unfinished = _("已完成"), _("未完成")
    rows = (
        (
            p.staff_number or "",
            p.name,
            p.organization.name if p.organization else "",
            p.get_political_status_display(),
            p.finished,  # type: ignore[attr-defined]
            total,
            finished if p.finished >= total else unfinished,  # type: ignore[attr-defined]
        )
        for p in selectors.plan_people_lines(plan, org).iterator(chunk_size=2000)
    )
    headers = [
        _("工号/学号"),
        _("姓名"),
        _("所在党组织"),
        _("政治面貌"),
        _("已完成课程"),
        _("课程数"),
        _("状态"),
    ]
    return export_response(
        request,
        action="learning.plan_export",
        filename=f"study-plan-{plan.pk}-{org.pk}.xlsx",
        headers=headers,
        rows=rows,
        org=org,
        target=plan,
    )
