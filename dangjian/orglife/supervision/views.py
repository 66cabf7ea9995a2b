"""督查 pages: the pool and draws (committees that review 组织生活), a supervisor's tasks and feedback form,
the problems a branch answers and a college follows, and the feedback report (HTML, PDF, Excel)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_recorded, live_filters
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.core.selectors import get_org_for, organizations_within
from dangjian.kit.access_rules import access_rule, anywhere, own, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.orglife import access
from dangjian.orglife.models import AssignmentStatus, Meeting, MeetingStatus, ProblemStatus
from dangjian.orglife.pages import post_action, state_form_page
from dangjian.orglife.supervision import report as report_files
from dangjian.orglife.supervision import selectors as sel
from dangjian.orglife.supervision import services
from dangjian.orglife.supervision.forms import (
    AnswerForm,
    DrawForm,
    FeedbackForm,
    ReportForm,
    SupervisorAddForm,
)
from dangjian.policy import get_policy

P = Permission


@access_rule(signed_in())
@login_required
def home(request: ScopedRequest) -> HttpResponse:
    """The landing page of 督查: draws for those who run them, otherwise my tasks."""
    if request.scope.has(P.REVIEW_ORGLIFE):
        return redirect("orglife:sup_draws")
    return redirect("orglife:sup_tasks")


# ---- pool ----------------------------------------------------------------------------------------


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def pool(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    qs = sel.supervisors_visible_to(scope)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(person__name__contains=query) | qs.filter(person__name_initials__istartswith=query)
    page = CappedPaginator(qs.order_by("home_org__path", "person__name_pinyin", "pk"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orglife/supervision/pool.html",
        {
            "title": _("督查员库"),
            "page": page,
            "q": query,
            "query_string": urlencode({"q": query}) if query else "",
        },
    )


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def pool_add(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    form = SupervisorAddForm(request.POST or None)

    def action(d: dict[str, Any]) -> Any:
        person = Person.objects.filter(
            scope.q(P.REVIEW_ORGLIFE, "membership__organization__path"),
            staff_number=d["staff_number"].strip(),
        ).first()
        if person is None:
            raise DomainError(_("本单位没有该工号/学号的党员"), field="staff_number")
        return services.supervisor_add(actor=request.user, scope=scope, person=person, note=d["note"])

    return service_form_page(
        request,
        form,
        action=action,
        success=_("已加入督查员库"),
        next_url=reverse("orglife:sup_pool"),
        context={"title": _("加入督查员库")},
    )


def _pool_action(request: ScopedRequest, supervisor_id: int, call: Any, success: str) -> HttpResponse:
    supervisor = sel.get_supervisor_for(request.scope, supervisor_id)
    return post_action(request, lambda seen: call(supervisor, seen), success, reverse("orglife:sup_pool"))


@access_rule(within(Permission.REVIEW_ORGLIFE))
@require_POST
@login_required
def pool_available(request: ScopedRequest, supervisor_id: int) -> HttpResponse:
    available = request.POST.get("available") == "1"
    return _pool_action(
        request,
        supervisor_id,
        lambda s, seen: services.supervisor_set_available(
            actor=request.user, scope=request.scope, supervisor=s, available=available, expected_status=seen
        ),
        _("已设为可参与抽查") if available else _("已设为暂不参与抽查"),
    )


@access_rule(within(Permission.REVIEW_ORGLIFE))
@require_POST
@login_required
def pool_remove(request: ScopedRequest, supervisor_id: int) -> HttpResponse:
    return _pool_action(
        request,
        supervisor_id,
        lambda s, seen: services.supervisor_remove(
            actor=request.user, scope=request.scope, supervisor=s, expected_status=seen
        ),
        _("已移出督查员库"),
    )


# ---- draws ---------------------------------------------------------------------------------------


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def draws(request: ScopedRequest) -> HttpResponse:
    page = CappedPaginator(sel.draws_visible_to(request.scope).order_by("-created_at", "-pk"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "orglife/supervision/draws.html", {"title": _("督查抽查"), "page": page})


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def draw_new(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    orgs = organizations_within(scope, P.REVIEW_ORGLIFE).filter(
        kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH], is_active=True
    )
    if request.method == "POST":
        # A replay of the same form (its one-time key) shows the first draw, before any other check.
        done = services.draw_replayed(
            actor=request.user, idempotency_key=request.POST.get("idempotency_key", "")[:64]
        )
        if done is not None:
            messages.info(request, _("该抽查已完成，以下为抽查结果"))
            return redirect("orglife:sup_draw", done.pk)
    form = DrawForm(request.POST or None, orgs=orgs.order_by("path"))
    return service_form_page(
        request,
        form,
        action=lambda d: services.draw_run(
            actor=request.user,
            scope=scope,
            scope_org=d["scope_org"],
            period_from=d["period_from"],
            period_to=d["period_to"],
            n=d["n"],
            rate_percent=d["rate_percent"],
            seed=d["seed"],
            idempotency_key=d["idempotency_key"],
        ),
        success=lambda d: _("抽查完成：%(n)s 次会议已分配督查员") % {"n": d.assignments.count()},
        next_url=lambda d: reverse("orglife:sup_draw", args=[d.pk]),
        context={
            "title": _("随机抽查"),
            "help": _(
                "从范围内各党支部在期间内的会议中随机抽取，并随机分配督查员（不督查本单位）。抽查的随机种子和全部参数会被记录，可随时复核。"
            ),
        },
    )


@access_rule(within(Permission.REVIEW_ORGLIFE))
@login_required
def draw_detail(request: ScopedRequest, draw_id: int) -> HttpResponse:
    draw = sel.get_draw_for(request.scope, draw_id)
    assignments = list(sel.draw_assignments(draw))
    verification = sel.draw_verify(draw) if request.GET.get("verify") else None
    unassigned = list(
        Meeting.objects.filter(pk__in=draw.inputs.get("unassigned", [])).select_related("organization")
    )
    return render(
        request,
        "orglife/supervision/draw.html",
        {
            "title": _("督查抽查详情"),
            "draw": draw,
            "inputs": draw.inputs,
            "candidates": len(draw.inputs.get("candidates", [])),
            "pool_size": len(draw.inputs.get("supervisors", [])),
            "assignments": assignments,
            "unassigned": unassigned,
            "verification": verification,
        },
    )


# ---- tasks and feedback --------------------------------------------------------------------------


@access_rule(signed_in())
@login_required
def tasks(request: ScopedRequest) -> HttpResponse:
    """我的督查任务: open ones first, then those filed."""
    qs = sel.my_assignments(request.scope).order_by("status", "meeting__date", "pk")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "orglife/supervision/tasks.html",
        {"title": _("我的督查任务"), "page": page, "now": timezone.now()},
    )


@access_rule(own())
@login_required
def feedback_new(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    scope = request.scope
    assignment = sel.get_my_assignment(scope, assignment_id)
    if assignment.status != AssignmentStatus.ASSIGNED and request.method != "POST":
        return redirect("orglife:sup_assignment", assignment.pk)
    form = FeedbackForm(request.POST or None)
    meeting = assignment.meeting
    return state_form_page(
        request,
        form,
        state=assignment.status,
        back=reverse("orglife:sup_assignment", args=[assignment.pk]),
        action=lambda d, seen: services.feedback_file(
            expected_status=seen,
            actor=request.user,
            scope=scope,
            assignment=assignment,
            scores=form.scores(),
            attended=d["attended"],
            problems=form.problem_list(),
            suggestions=d["suggestions"],
        ),
        success=_("督查反馈已提交"),
        next_url=reverse("orglife:sup_assignment", args=[assignment.pk]),
        context={
            "title": _("督查反馈"),
            "help": _("%(org)s · %(date)s %(topic)s")
            % {
                "org": meeting.organization.display_name,
                "date": meeting.date.isoformat(),
                "topic": meeting.topic,
            },
        },
    )


@access_rule(within(Permission.VIEW_ORGLIFE))
@login_required
def assignment_detail(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    scope = request.scope
    assignment = sel.get_assignment_visible(scope, assignment_id)
    feedback = getattr(assignment, "feedback", None) if assignment.status == AssignmentStatus.FILED else None
    items = [
        (name, (feedback.scores.get(code) if feedback else None), maximum)
        for code, name, maximum in get_policy().orglife_supervision_items
    ]
    return render(
        request,
        "orglife/supervision/assignment.html",
        {
            "title": _("督查任务"),
            "assignment": assignment,
            "meeting": assignment.meeting,
            "feedback": feedback,
            "items": items,
            "problems": list(feedback.problems.order_by("pk")) if feedback else [],
            "is_mine": access.may_file_feedback(scope, assignment),
            "can_answer": access.may_manage(scope, assignment.meeting.organization),
            "cancelled": assignment.meeting.status == MeetingStatus.CANCELLED,
        },
    )


# ---- problems ------------------------------------------------------------------------------------


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
def problems(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not (scope.has(P.MANAGE_ORGLIFE) or scope.has(P.REVIEW_ORGLIFE)):
        raise Http404
    org: Organization | None = None
    if request.GET.get("org"):
        org = get_org_for(scope, request.GET["org"], P.VIEW_ORGLIFE)
    status = request.GET.get("status", ProblemStatus.OPEN)
    status = status if status in (*ProblemStatus.values, "all") else ProblemStatus.OPEN
    overdue = request.GET.get("overdue") == "1"
    qs = sel.problems_filtered(sel.problems_visible_to(scope), org=org, status=status, overdue=overdue)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(p, access.may_answer_problem(scope, p)) for p in page]
    base = f"org={org.pk}&" if org else ""
    return render(
        request,
        "orglife/supervision/problems.html",
        {
            "title": _("督查问题整改"),
            "org": org,
            "page": page,
            "rows": rows,
            "status": status,
            "overdue": overdue,
            "statuses": ProblemStatus.choices,
            "base": base,
            "query_string": f"{base}status={status}" + ("&overdue=1" if overdue else ""),
            "today": timezone.localdate(),
        },
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def problem_answer(request: ScopedRequest, problem_id: int) -> HttpResponse:
    scope = request.scope
    problem = sel.get_problem_for(scope, problem_id, P.MANAGE_ORGLIFE)
    form = AnswerForm(request.POST or None, initial={"rectify_by": timezone.localdate()})
    meeting = problem.feedback.assignment.meeting
    return state_form_page(
        request,
        form,
        state=problem.status,
        back=reverse("orglife:sup_problems") + f"?org={meeting.organization_id}",
        action=lambda d, seen: services.problem_answer(
            expected_status=seen,
            actor=request.user,
            scope=scope,
            problem=problem,
            rectification=d["rectification"],
            rectify_by=d["rectify_by"],
        ),
        success=_("整改答复已提交"),
        next_url=reverse("orglife:sup_problems") + f"?org={meeting.organization_id}",
        context={
            "title": _("答复整改"),
            "help": _("%(org)s · %(date)s %(topic)s：%(problem)s")
            % {
                "org": meeting.organization.display_name,
                "date": meeting.date.isoformat(),
                "topic": meeting.topic,
                "problem": problem.description,
            },
        },
    )


# ---- report --------------------------------------------------------------------------------------


def _report(request: ScopedRequest) -> tuple[ReportForm, Any]:
    scope = request.scope
    orgs = (
        organizations_within(scope, P.REVIEW_ORGLIFE)
        .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH])
        .order_by("path")
    )
    form = ReportForm(request.GET, orgs=orgs)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, sel.supervision_report(data["org"], data["period_from"], data["period_to"])


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def report(request: ScopedRequest) -> HttpResponse:
    form, data = _report(request)
    return render(
        request,
        "orglife/supervision/report.html",
        {"title": _("督查反馈报告"), "form": form, "report": data, "query": request.GET.urlencode()},
    )


def _export(request: ScopedRequest, fmt: str) -> HttpResponseBase:
    """The report as a file, audited (``audit.exports``) with its filters, the format and how many lines it
    lists (the orgs and the problems)."""
    _form, data = _report(request)
    if data is None:
        raise Http404

    def write(lines: Iterator[Any]) -> HttpResponseBase:
        deque(lines, maxlen=0)  # counted for the audit event; the writers read the report itself
        return report_files.pdf_response(data) if fmt == "pdf" else report_files.xlsx_response(data)

    return export_recorded(
        actor=request.user,
        action="orglife.supervision_report_export",
        filters={**live_filters(request), "format": fmt},
        rows=[*data.rows, *data.problems],
        write=write,
        org=data.org,
    )


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def report_pdf(request: ScopedRequest) -> HttpResponseBase:
    return _export(request, "pdf")


@access_rule(anywhere(Permission.REVIEW_ORGLIFE))
@login_required
@requires(P.REVIEW_ORGLIFE)
def report_xlsx(request: ScopedRequest) -> HttpResponseBase:
    return _export(request, "xlsx")
