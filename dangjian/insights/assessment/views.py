"""The pages of 述职评议考核: the assessments a viewer runs, reviews or reports in; opening one; an
assessment by stage with its organizations (counts of scores, never who gave which); the reviewers; a
reviewer's scoring page and a secretary's 述职报告 (both made for a phone); the committee's grades and
the published results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import get_org_for, scope_roots
from dangjian.insights.assessment import access, rules, selectors, services
from dangjian.insights.assessment.forms import (
    AssessmentForm,
    GradesForm,
    ReportForm,
    ReviewersForm,
    ScoresForm,
)
from dangjian.insights.assessment.models import Assessment, Stage
from dangjian.insights.models import IndexCode
from dangjian.kit.access_rules import ALLOWED, access_rule, person, within
from dangjian.kit.form_pages import service_action, service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state

P = Permission
RUN = within(Permission.ASSESS_ORGS)


def _url(assessment: Assessment) -> str:
    return reverse("insights:assessment", args=[assessment.pk])


@access_rule(person(college_organizer=ALLOWED, outsider_organizer=ALLOWED, school_admin=ALLOWED))
@login_required
def assessments(request: ScopedRequest) -> HttpResponse:
    """The assessments the viewer runs, reviews, or reports in as a 书记."""
    scope = scope_of(request)
    if not scope.person_id and not scope.has(P.ASSESS_ORGS):
        raise Http404
    page = CappedPaginator(selectors.assessments_for(scope), 30).get_page(request.GET.get("page"))
    for item in page:
        item.runs = access.may_run(scope, item)
    roots = list(scope_roots(scope, P.ASSESS_ORGS)[:5]) if scope.has(P.ASSESS_ORGS) else []
    return render(
        request,
        "insights/assessment/list.html",
        {"page": page, "roots": roots, "title": _("述职评议考核")},
    )


@access_rule(RUN)
@login_required
def assessment_new(request: ScopedRequest, org_id: int) -> HttpResponse:
    scope = scope_of(request)
    org = get_org_for(scope, org_id, P.ASSESS_ORGS)
    if not access.may_open_in(scope, org):
        raise Http404
    form = AssessmentForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda d: services.assessment_open(
            actor=request.user,
            scope=scope,
            org=org,
            year=d["year"],
            indicator_weight=float(d["indicator_weight"]),
            bands=form.bands(),
            note=d["note"],
        ),
        success=_("述职评议考核已启动：请指定评议人，并提醒各组织书记提交述职报告"),
        next_url=_url,
        context={
            "org": org,
            "title": _("启动述职评议考核"),
            "help": _(
                "启动后，%(org)s 下一级的各党组织成为被考核组织，"
                "指标得分按当年的评价指数预填（可在评定前刷新）。"
            )
            % {"org": org.name},
        },
    )


@access_rule(RUN)
@login_required
def assessment_detail(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    page = CappedPaginator(selectors.targets(assessment), 50).get_page(request.GET.get("page"))
    following = rules.NEXT_STAGE.get(assessment.stage)
    return render(
        request,
        "insights/assessment/detail.html",
        {
            "assessment": assessment,
            "progress": selectors.progress(assessment),
            "page": page,
            "stages": Stage.choices,
            "next_stage": following,
            "next_label": Stage(following).label if following else "",
            "reviewer": access.reviewer_of(scope, assessment),
            "org": assessment.organization,
            "title": _("%(year)s 年度述职评议考核") % {"year": assessment.year},
        },
    )


@access_rule(RUN)
@login_required
@require_POST
def assessment_advance(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    return service_action(
        request,
        lambda seen: services.assessment_advance(
            actor=request.user, scope=scope, assessment=assessment, expected_status=seen
        ),
        _("已进入下一阶段"),
        _url(assessment),
    )


@access_rule(RUN)
@login_required
@require_POST
def indicators_refresh(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    return service_action(
        request,
        lambda seen: services.indicators_refresh(
            actor=request.user, scope=scope, assessment=assessment, expected_status=seen
        ),
        _("已按最新计算的评价指数更新指标得分"),
        _url(assessment),
    )


@access_rule(RUN)
@login_required
@require_POST
def secretaries_refresh(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    return service_action(
        request,
        lambda seen: services.secretaries_refresh(
            actor=request.user, scope=scope, assessment=assessment, expected_status=seen
        ),
        _("已按现任书记更新述职人"),
        _url(assessment),
    )


@access_rule(RUN)
@login_required
@require_POST
def assessment_publish(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    return service_action(
        request,
        lambda seen: services.assessment_publish(
            actor=request.user, scope=scope, assessment=assessment, expected_status=seen
        ),
        _("考核结果已公布，已通知各组织书记"),
        _url(assessment),
    )


@access_rule(RUN)
@login_required
def reviewers(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    current = selectors.reviewers(assessment)
    form = ReviewersForm(
        request.POST or None, initial={"usernames": "\n".join(r.user.username for r in current)}
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.reviewers_set(
            actor=request.user,
            scope=scope,
            assessment=assessment,
            usernames=form.names(),
            expected_status=posted_state(request),
        ),
        success=_("评议人已保存"),
        next_url=_url(assessment),
        context={
            "org": assessment.organization,
            "title": _("评议人"),
            "help": _(
                "评议人对每个被考核组织打分（0–100），评分匿名：页面只显示平均分和评分人数。当前 %(n)s 人。"
            )
            % {"n": len(current)},
        },
        state=assessment.stage,
    )


@access_rule(RUN)
@login_required
def grades(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    scope = scope_of(request)
    assessment = selectors.get_assessment_for(scope, assessment_id)
    if assessment.stage != Stage.GRADING:
        messages.info(request, _("当前阶段：%(s)s") % {"s": assessment.get_stage_display()})
        return redirect(_url(assessment))
    targets = list(selectors.targets(assessment))
    form = GradesForm(request.POST or None, targets=targets)
    return service_form_page(
        request,
        form,
        action=lambda d: services.grades_decide(
            actor=request.user,
            scope=scope,
            assessment=assessment,
            grades=form.grades(),
            expected_status=posted_state(request),
        ),
        success=_("考核等次已保存，确认无误后可公布结果"),
        next_url=_url(assessment),
        context={
            "assessment": assessment,
            "lines": [(t, form.field("g", t), form.field("why", t)) for t in targets],
            "org": assessment.organization,
            "title": _("评定考核等次"),
        },
        template="insights/assessment/grades.html",
        state=assessment.stage,
    )


# ---------------------------------------------------------------- the reviewer's and the secretary's side


@access_rule(RUN)
@login_required
def score(request: ScopedRequest, assessment_id: int) -> HttpResponse:
    """A reviewer's page: each organization's 述职报告 and indicator score, and a box for the score."""
    scope = scope_of(request)
    assessment, reviewer = selectors.get_reviewed_for(scope, assessment_id)
    targets = list(selectors.targets(assessment))
    mine = selectors.own_scores(reviewer)
    own = {t.pk for t in targets if scope.person_id and t.secretary_id == scope.person_id}
    form = ScoresForm(
        request.POST or None,
        targets=[t for t in targets if t.pk not in own],
        initial={f"s{pk}": value for pk, value in mine.items()},
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.scores_submit(
            actor=request.user,
            scope=scope,
            assessment=assessment,
            scores=form.scores(),
            expected_status=posted_state(request),
        ),
        success=lambda n: _("已保存 %(n)s 个组织的评分，评议结束前可以修改") % {"n": n},
        next_url=reverse("insights:assessment_score", args=[assessment.pk]),
        context={
            "assessment": assessment,
            "lines": [(t, None if t.pk in own else form.field(t)) for t in targets],
            "scored": len(mine),
            "open": assessment.stage == Stage.REVIEWING,
            "org": assessment.organization,
            "title": _("述职评议评分"),
        },
        template="insights/assessment/score.html",
        state=assessment.stage,
    )


@access_rule(within(Permission.ASSESS_ORGS, branch_secretary=ALLOWED))
@login_required
def target(request: ScopedRequest, assessment_id: int, target_id: int) -> HttpResponse:
    """An assessed organization: its 述职报告 (the 书记 writes it here), its indicator score opened
    into the indices, and — once published, or to the committee — its scores and grade."""
    scope = scope_of(request)
    item = selectors.get_target_for(scope, assessment_id, target_id)
    assessment = item.assessment
    may_write = access.may_report(scope, item) and assessment.stage in rules.REPORT_STAGES
    form = ReportForm(request.POST or None, initial={"text": item.report}) if may_write else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("评议已结束，述职报告不能再修改。"))
            return redirect(request.path)
        return service_form_page(
            request,
            form,
            action=lambda d: services.report_submit(
                actor=request.user,
                scope=scope,
                target=item,
                text=d["text"],
                expected_status=posted_state(request),
            ),
            success=_("述职报告已提交"),
            next_url=request.path,
            context=_target_context(scope, item, may_write),
            template="insights/assessment/target.html",
            state=assessment.stage,
        )
    return render(
        request,
        "insights/assessment/target.html",
        {"form": form, "expected": assessment.stage, **_target_context(scope, item, may_write)},
    )


def _target_context(scope: Any, item: Any, may_write: bool) -> dict[str, Any]:
    assessment = item.assessment
    runs = access.may_run(scope, assessment)
    return {
        "assessment": assessment,
        "target": item,
        "may_write": may_write,
        "runs": runs,
        "show_result": runs or assessment.stage == Stage.PUBLISHED,
        "indices": [(IndexCode(k).label, v) for k, v in sorted(item.indicator_detail.items())],
        "org": item.organization,
        "title": _("%(org)s %(year)s 年度述职") % {"org": item.organization.name, "year": assessment.year},
    }
