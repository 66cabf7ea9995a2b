"""The pages of 民主评议党员: the rounds a branch runs (and a college's overview), a round by stage, the
committee's proposals beside each member's 民主测评 counts and objective indicators, the meeting's
decision, the results with the 不合格 handling and report; and each member's own page (their self
review and ratings form, their past grades), made for a phone.

No page shows who rated whom: the round's pages show counts per member and how many have rated."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.appraisal import access, rules, selectors, services
from dangjian.appraisal.forms import GradesForm, HandlingForm, RatingsForm, RoundForm, SelfReviewForm
from dangjian.appraisal.models import Grade, Participant, Round, Stage
from dangjian.core.selectors import get_org_for, scope_roots
from dangjian.kit.access_rules import access_rule, anywhere, person, within
from dangjian.kit.errors import DomainError, StaleState
from dangjian.kit.form_errors import add_service_error
from dangjian.kit.form_pages import service_action, service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.policy import get_policy

P = Permission
MANAGE = within(Permission.MANAGE_APPRAISAL)


def _year(request: ScopedRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if today.year - 10 <= year <= today.year else today.year


def _years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year, today.year - 6, -1))


def _round_url(round: Round) -> str:
    return reverse("appraisal:round", args=[round.pk])


# ---------------------------------------------------------------- the branch's side


@access_rule(anywhere(Permission.MANAGE_APPRAISAL))
@login_required
def rounds(request: ScopedRequest) -> HttpResponse:
    """The rounds of the branches the user runs or oversees, newest year first."""
    scope = scope_of(request)
    if not scope.has(P.MANAGE_APPRAISAL):
        raise Http404
    year = request.GET.get("year", "")
    qs = selectors.rounds_visible_to(scope)
    if year.isdigit():
        qs = qs.filter(year=int(year))
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisal/rounds.html",
        {
            "page": page,
            "year": year,
            "years": _years(),
            "query_string": f"year={year}",
            "roots": list(scope_roots(scope, P.MANAGE_APPRAISAL)[:5]),
            "title": _("民主评议党员"),
        },
    )


@access_rule(MANAGE)
@login_required
def round_new(request: ScopedRequest, org_id: int) -> HttpResponse:
    scope = scope_of(request)
    branch = get_org_for(scope, org_id, P.MANAGE_APPRAISAL)
    if not access.may_open_in(scope, branch):
        raise Http404
    return service_form_page(
        request,
        RoundForm(request.POST or None),
        action=lambda d: services.round_open(
            actor=request.user,
            scope=scope,
            branch=branch,
            year=d["year"],
            rating_closes_on=d["rating_closes_on"],
            note=d["note"],
        ),
        success=_("民主评议已启动，党员可以填写自我评价"),
        next_url=_round_url,
        context={
            "org": branch,
            "title": _("启动民主评议党员"),
            "help": _(
                "启动时支部在册党员成为参评党员：正式党员参加民主测评评分；预备党员填写自我评价、接受测评，但不评分（没有表决权）。"
            ),
        },
    )


@access_rule(MANAGE)
@login_required
def round_detail(request: ScopedRequest, round_id: int) -> HttpResponse:
    """A round by stage: what to do now, the progress (counts only) and the participants."""
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    people = list(selectors.participants(round))
    return render(
        request,
        "appraisal/round.html",
        {
            "round": round,
            "people": people,
            "stages": Stage.choices,
            "next_stage": rules.NEXT_STAGE.get(round.stage),
            "next_label": Stage(rules.NEXT_STAGE[round.stage]).label
            if round.stage in rules.NEXT_STAGE
            else "",
            "org": round.branch,
            "title": _("%(year)s 年度民主评议党员") % {"year": round.year},
        },
    )


@access_rule(MANAGE)
@login_required
@require_POST
def round_advance(request: ScopedRequest, round_id: int) -> HttpResponse:
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    return service_action(
        request,
        lambda seen: services.round_advance(
            actor=request.user, scope=scope, round=round, expected_status=seen
        ),
        _("已进入下一阶段"),
        _round_url(round),
    )


def _grades_page(request: ScopedRequest, round_id: int, *, decision: bool) -> HttpResponse:
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    if round.stage != Stage.PROPOSING:
        messages.info(request, _("当前阶段：%(s)s") % {"s": round.get_stage_display()})
        return redirect(_round_url(round))
    lines, columns = selectors.lines(round)
    form = GradesForm(request.POST or None, people=[line.participant for line in lines], decision=decision)
    share = get_policy().appraisal_excellent_max_share
    context = {
        "round": round,
        "lines": [
            (line, form.field("g", line.participant), form.field("why", line.participant)) for line in lines
        ],
        "columns": columns,
        "grades": Grade.choices,
        "cap": rules.excellent_cap(len(lines), share),
        "share": int(share * 100),
        "decision": decision,
        "org": round.branch,
        "title": _("支部党员大会决定") if decision else _("支委会评定意见"),
    }

    def act(d: dict[str, Any]) -> Any:
        seen = posted_state(request)
        if decision:
            return services.grades_decide(
                actor=request.user,
                scope=scope,
                round=round,
                grades=form.grades(),
                decided_on=d["decided_on"],
                expected_status=seen,
            )
        return services.grades_propose(
            actor=request.user, scope=scope, round=round, proposals=form.proposals(), expected_status=seen
        )

    return service_form_page(
        request,
        form,
        action=act,
        success=_("支部党员大会的决定已录入") if decision else _("评定意见已保存"),
        next_url=reverse("appraisal:results", args=[round.pk]) if decision else _round_url(round),
        context=context,
        template="appraisal/grades.html",
        state=round.stage,
    )


@access_rule(MANAGE)
@login_required
def proposals(request: ScopedRequest, round_id: int) -> HttpResponse:
    return _grades_page(request, round_id, decision=False)


@access_rule(MANAGE)
@login_required
def decision(request: ScopedRequest, round_id: int) -> HttpResponse:
    return _grades_page(request, round_id, decision=True)


@access_rule(MANAGE)
@login_required
def results(request: ScopedRequest, round_id: int) -> HttpResponse:
    """Each member's 民主测评 count, the committee's proposal and the decided grade; 不合格 handling."""
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    if round.stage in rules.SELF_REVIEW_STAGES:
        # The counts appear once 民主测评 is over: read while it runs, they would tell who gave what.
        messages.info(request, _("民主测评结束后才能查看测评结果。"))
        return redirect(_round_url(round))
    lines, columns = selectors.lines(round)
    decided = [line.participant.decided_grade for line in lines if line.participant.decided_grade]
    return render(
        request,
        "appraisal/results.html",
        {
            "round": round,
            "lines": lines,
            "columns": columns,
            "summary": rules.tally(decided),
            "grades": Grade.choices,
            "pending_report": any(
                line.participant.decided_grade == Grade.UNQUALIFIED and not line.participant.reported_at
                for line in lines
            ),
            "org": round.branch,
            "title": _("%(year)s 年度民主评议结果") % {"year": round.year},
        },
    )


@access_rule(MANAGE)
@login_required
def handling(request: ScopedRequest, round_id: int, participant_id: int) -> HttpResponse:
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    participant = selectors.get_participant_for(scope, round, participant_id)
    back = reverse("appraisal:results", args=[round.pk])
    if round.stage != Stage.DECIDED or participant.decided_grade != Grade.UNQUALIFIED:
        messages.info(request, _("只有评定为“不合格”的党员在决定后、上报前可登记处置方式。"))
        return redirect(back)
    form = HandlingForm(
        request.POST or None, initial={"handling": participant.handling, "note": participant.handling_note}
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.handling_record(
            actor=request.user,
            scope=scope,
            participant=participant,
            handling=d["handling"],
            note=d["note"],
            expected_status=posted_state(request),
        ),
        success=_("处置方式已登记"),
        next_url=back,
        context={
            "org": round.branch,
            "title": _("不合格党员处置：%(name)s") % {"name": participant.person.name},
        },
        state=round.stage,
    )


@access_rule(MANAGE)
@login_required
@require_POST
def report(request: ScopedRequest, round_id: int) -> HttpResponse:
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    return service_action(
        request,
        lambda seen: services.unqualified_report(
            actor=request.user, scope=scope, round=round, expected_status=seen
        ),
        _("已向上级党组织报告不合格党员的处置情况"),
        reverse("appraisal:results", args=[round.pk]),
    )


@access_rule(MANAGE)
@login_required
@require_POST
def close(request: ScopedRequest, round_id: int) -> HttpResponse:
    scope = scope_of(request)
    round = selectors.get_round_for(scope, round_id)
    return service_action(
        request,
        lambda seen: services.round_close(actor=request.user, scope=scope, round=round, expected_status=seen),
        _("本次民主评议已结束"),
        reverse("appraisal:results", args=[round.pk]),
    )


@access_rule(MANAGE)
@login_required
def overview(request: ScopedRequest, org_id: int) -> HttpResponse:
    """A college's (or any organization's) branches: their round of the year, its stage and progress,
    the branches without one, and the 不合格 cases with their handling and report."""
    scope = scope_of(request)
    org = get_org_for(scope, org_id, P.MANAGE_APPRAISAL)
    year = _year(request)
    page = CappedPaginator(selectors.overview(scope, org, year), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisal/overview.html",
        {
            "org": org,
            "year": year,
            "years": _years(),
            "page": page,
            "query_string": f"year={year}",
            "missing": list(selectors.branches_without_round(scope, org, year)[:100]),
            "cases": list(selectors.unqualified_cases(scope, org, year)[:200]),
            "title": _("民主评议党员总览"),
        },
    )


# ---------------------------------------------------------------- the member's own side


@access_rule(person())
@login_required
def mine(request: ScopedRequest) -> HttpResponse:
    """My rounds: this year's to do, and the grades of past years."""
    scope = scope_of(request)
    if not scope.person_id:
        raise Http404
    return render(
        request,
        "appraisal/mine.html",
        {"participations": list(selectors.own_participations(scope)[:20]), "title": _("我的民主评议")},
    )


def _my_page(
    request: ScopedRequest,
    round: Round,
    participant: Participant,
    review_form: SelfReviewForm | None = None,
    ratings_form: RatingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    review = getattr(participant, "self_review", None)
    colleagues = list(selectors.colleagues(round, participant))
    can_rate = round.stage == Stage.RATING and participant.votes and participant.rated_at is None
    return render(
        request,
        "appraisal/me_round.html",
        {
            "round": round,
            "participant": participant,
            "review": review,
            "can_review": round.stage in rules.SELF_REVIEW_STAGES,
            "review_form": review_form or SelfReviewForm(initial={"text": review.text if review else ""}),
            "can_rate": can_rate,
            "ratings_form": ratings_form or (RatingsForm(colleagues=colleagues) if can_rate else None),
            "colleagues": len(colleagues),
            "title": _("%(year)s 年度民主评议") % {"year": round.year},
        },
        status=status,
    )


@access_rule(person())
@login_required
def my_round(request: ScopedRequest, round_id: int) -> HttpResponse:
    round, participant = selectors.get_own_round(scope_of(request), round_id)
    return _my_page(request, round, participant)


def _own_post(
    request: ScopedRequest, round_id: int, form_of: Any, call: Any, success: str, which: str
) -> HttpResponse:
    scope = scope_of(request)
    round, participant = selectors.get_own_round(scope, round_id)
    form = form_of(round, participant)
    back = reverse("appraisal:my_round", args=[round.pk])
    status = 200
    if form.is_valid():
        try:
            call(scope, round, form, posted_state(request))
        except DomainError as exc:
            add_service_error(form, exc)
            status = exc.status if isinstance(exc, StaleState) else 200
        else:
            messages.success(request, success)
            return redirect(back)
    return _my_page(request, round, participant, status=status, **{which: form})


@access_rule(person())
@login_required
@require_POST
def my_review(request: ScopedRequest, round_id: int) -> HttpResponse:
    return _own_post(
        request,
        round_id,
        lambda round, participant: SelfReviewForm(request.POST),
        lambda scope, round, form, seen: services.self_review_submit(
            actor=request.user,
            scope=scope,
            round=round,
            person_id=scope.person_id,
            text=form.cleaned_data["text"],
            expected_status=seen,
        ),
        _("自我评价已保存"),
        "review_form",
    )


@access_rule(person())
@login_required
@require_POST
def my_ratings(request: ScopedRequest, round_id: int) -> HttpResponse:
    return _own_post(
        request,
        round_id,
        lambda round, participant: RatingsForm(
            request.POST, colleagues=list(selectors.colleagues(round, participant))
        ),
        lambda scope, round, form, seen: services.ratings_submit(
            actor=request.user,
            scope=scope,
            round=round,
            person_id=scope.person_id,
            grades=form.grades(),
            expected_status=seen,
        ),
        _("民主测评已提交，感谢参与"),
        "ratings_form",
    )
