"""发展党员 pages: the pipeline board, a case (timeline, next step, recording a step), opening a case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Person
from dangjian.core.selectors import org_from_query
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.pdf import pdf_response
from dangjian.kit.transitions import posted_state
from dangjian.recruitment import access, selectors, services
from dangjian.recruitment.forms import ExtendForm, OpenCaseForm, StepForm
from dangjian.recruitment.models import CaseStatus, Stage, StepDefinition
from dangjian.recruitment.pdf import render_record

P = Permission


@access_rule(anywhere(Permission.MANAGE_RECRUITMENT))
@login_required
def board(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not scope.has(P.MANAGE_RECRUITMENT):
        raise Http404
    org = org_from_query(scope, request.GET.get("org"), P.MANAGE_RECRUITMENT)
    stage = request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else ""
    query = request.GET.get("q", "").strip()[:50]
    cases = selectors.board_cases(scope, org, stage=stage, query=query)
    page = Paginator(cases.prefetch_related("steps__step"), 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    steps = selectors.step_definitions()
    rows = [(case, selectors.progress(case, today, steps)) for case in page.object_list]
    return render(
        request,
        "recruitment/board.html",
        {
            "org": org,
            "counts": [(Stage(k).label, k, v) for k, v in selectors.board(scope, org).items()],
            "stage": stage,
            "page": page,
            "rows": rows,
            "q": query,
            "query_string": urlencode({"org": org.pk, "stage": stage, "q": query}),
            "title": _("发展党员"),
        },
    )


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def case_detail(request: ScopedRequest, case_id: int) -> HttpResponse:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    today = timezone.localdate()
    # The step list and the records (with steps, actors, documents) once; the rest is read from them.
    steps = selectors.step_definitions()
    records = selectors.case_records(case)
    info = selectors.progress(case, today, steps)
    returned = next((r for r in records if r.returned_at is not None), None)
    recorded = {r.step_id for r in records}
    recordable = (
        [
            s
            for s in steps
            if (s == info.next_step or (s.repeatable and s.pk in recorded))
            and access.may_record(scope, case, s)
        ]
        if case.status == CaseStatus.OPEN and returned is None
        else []
    )
    approver = access.may_approve(scope, case) and case.status == CaseStatus.OPEN
    return render(
        request,
        "recruitment/case.html",
        {
            "case": case,
            "records": [
                # only the documents the viewer may download (the person: not the branch's 政审结论…)
                (r, r.documents.all() if access.may_see_document(scope, r) else [])
                for r in records
            ],
            "info": info,
            "recordable": recordable,
            "can_extend": case.stage == Stage.PROBATIONARY and approver,
            "can_cancel": case.stage == Stage.PROBATIONARY and approver,
            "can_return": approver
            and services.returnable_record(case, records=records, steps=steps) is not None,
            "returned": returned,
            "can_resubmit": returned is not None and access.may_record(scope, case, returned.step),
            "title": _("发展党员：%(n)s") % {"n": case.person.name},
        },
    )


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def step_new(request: ScopedRequest, case_id: int, code: str) -> HttpResponse:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    step = StepDefinition.objects.filter(code=code).first()
    if step is None or not access.may_record(scope, case, step):
        raise Http404
    form = StepForm(
        request.POST or None,
        request.FILES or None,
        rule=step.rule,
        documents=step.documents,
        initial={"expected_status": services.case_state(case)},
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.step_record(
            actor=request.user,
            case=case,
            code=code,
            done_on=d["done_on"],
            data=form.step_data(),
            resolution=d.get("resolution") or "",
            scope=scope,
            expected_status=posted_state(request),
            upload=d.get("file"),
        ),
        success=lambda r: (
            _("已记录“%(s)s”") % {"s": step.name} + ("；" + "；".join(r.warnings) if r.warnings else "")
        ),
        next_url=reverse("recruitment:case", args=[case.pk]),
        context={
            "title": f"{step.number}. {step.name}：{case.person.name}",
            "help": step.documents,
            "multipart": bool(step.documents),
        },
    )


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def case_open(request: ScopedRequest, person_id: int) -> HttpResponse:
    scope = request.scope
    person = Person.objects.select_related("organization").filter(pk=person_id).first()
    if person is None or person.organization is None:
        raise Http404
    branch = person.organization
    if not access.may_manage(scope, branch):
        raise Http404
    return service_form_page(
        request,
        OpenCaseForm(request.POST or None),
        action=lambda d: services.case_open(
            actor=request.user, scope=scope, person=person, branch=branch, applied_on=d["applied_on"]
        ),
        success=_("已登记入党申请"),
        next_url=lambda case: reverse("recruitment:case", args=[case.pk]),
        context={"title": _("登记入党申请：%(n)s") % {"n": person.name}},
    )


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def record_pdf(request: ScopedRequest, case_id: int) -> HttpResponse:
    """发展党员纪实表 (PDF) for the branch and the committee above; not for the person's own view."""
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    if not access.may_print(request, case):
        raise Http404
    return pdf_response(render_record(case), f"recruitment-{case.pk}.pdf", inline=True)


@access_rule(within(Permission.APPROVE_RECRUITMENT))
@login_required
def extend(request: ScopedRequest, case_id: int) -> HttpResponse:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    if not access.may_approve(scope, case):
        raise Http404
    return service_form_page(
        request,
        ExtendForm(request.POST or None, initial={"expected_status": services.case_state(case)}),
        action=lambda d: services.probation_extend(
            actor=request.user,
            scope=scope,
            case=case,
            months=d["months"],
            reason=d["reason"],
            expected_status=posted_state(request),
        ),
        success=_("已延长预备期"),
        next_url=reverse("recruitment:case", args=[case.pk]),
        context={"title": _("延长预备期：%(n)s") % {"n": case.person.name}},
    )


@access_rule(anywhere(Permission.APPROVE_RECRUITMENT))
@login_required
def queue(request: ScopedRequest) -> HttpResponse:
    """The committee above: cases whose next step is its own (备案, 预审, 审批…), recorded in a batch."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from dangjian.kit.errors import DomainError
    from dangjian.recruitment.models import Actor

    scope = request.scope
    if not access.may_see_queue(request, None):
        raise Http404
    today = timezone.localdate()
    steps = selectors.step_definitions()
    cases = (
        selectors.cases_visible_to(scope)
        .filter(access.approve_q(scope), status=CaseStatus.OPEN)
        .prefetch_related("steps__step")
        .order_by("applied_on", "pk")[:2000]
    )
    waiting: list[tuple[Any, Any, StepDefinition]] = []
    for c in cases:
        info = selectors.progress(c, today, steps)
        if info.next_step is not None and info.next_step.actor == Actor.UPPER:
            waiting.append((c, info, info.next_step))
    code = request.GET.get("step") or (waiting[0][2].code if waiting else "")
    rows = [(c, info, services.case_state(c)) for c, info, step in waiting if step.code == code]
    if request.method == "POST":
        chosen = {int(x) for x in request.POST.getlist("case") if x.isascii() and x.isdigit()}
        if request.POST.get("action") == "return":
            return _queue_return(request, scope, [c for c, _info, _state in rows if c.pk in chosen])
        form = StepForm(request.POST, rule="")
        if form.is_valid() and chosen:
            done, refused = 0, []
            for case, _info, _state in rows:
                if case.pk in chosen:
                    try:
                        services.step_record(
                            actor=request.user,
                            case=case,
                            code=code,
                            done_on=form.cleaned_data["done_on"],
                            resolution=form.cleaned_data.get("resolution") or "",
                            scope=scope,
                            expected_status=_posted_case_state(request, case),
                        )
                        done += 1
                    except DomainError as exc:
                        refused.append(f"{case.person.name}：{exc.message}")
            messages.success(request, _("已记录 %(n)s 人") % {"n": done})
            for message in refused[:20]:
                messages.error(request, message)
            return redirect(request.get_full_path())
        messages.error(request, _("请选择人员并填写日期"))
    counts: dict[str, tuple[Any, int]] = {}
    for _case, _info, step in waiting:
        counts[step.code] = (step, counts.get(step.code, (step, 0))[1] + 1)
    return render(
        request,
        "recruitment/queue.html",
        {
            "counts": list(counts.values()),
            "code": code,
            "rows": rows,
            "form": StepForm(rule=""),
            "title": _("上级党委待办"),
        },
    )


def _posted_case_state(request: ScopedRequest, case: Any) -> str:
    """The state of one case of the batch as the queue page showed it (``expected_status_<case id>``)."""
    return (request.POST.get(f"expected_status_{case.pk}") or "").strip()


def _queue_return(request: ScopedRequest, scope: Scope, cases: list[Any]) -> HttpResponse:
    """退回 the chosen cases' submissions to their branches, with the reason typed in the batch form."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from dangjian.kit.errors import DomainError

    reason = (request.POST.get("resolution") or "").strip()
    if not cases or not reason:
        messages.error(request, _("请选择人员并在“结论/说明”中填写退回原因"))
        return redirect(request.get_full_path())
    done, refused = 0, []
    for case in cases:
        try:
            services.step_return(
                actor=request.user,
                scope=scope,
                case=case,
                reason=reason,
                expected_status=_posted_case_state(request, case),
            )
            done += 1
        except DomainError as exc:
            refused.append(f"{case.person.name}：{exc.message}")
    messages.success(request, _("已退回 %(n)s 人") % {"n": done})
    for message in refused[:20]:
        messages.error(request, message)
    return redirect(request.get_full_path())
