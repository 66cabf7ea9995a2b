"""评价指数 pages: the 运行状态矩阵图 (with the same as a table), an organization's indices opened into
their indicators, and the index definitions with their versions (edited by the school)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import Organization, OrgCategory, OrgKind
from dangjian.core.selectors import get_org_for, scope_roots
from dangjian.insights import access
from dangjian.insights.assessment.selectors import Mark, latest_marks
from dangjian.insights.indices import jobs, selectors
from dangjian.insights.indices.forms import VersionForm
from dangjian.insights.indices.services import version_create
from dangjian.insights.models import IndexCode, PeriodKind
from dangjian.insights.periods import Period, parse
from dangjian.kit.access_rules import NOT_FOUND, access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page

P = Permission
ROOT_ONLY = {"college_organizer": NOT_FOUND, "outsider_organizer": NOT_FOUND}
DEFAULT_X, DEFAULT_Y, DEFAULT_COLOUR = IndexCode.COHESION, IndexCode.BASIC, IndexCode.ATTRACTION
ASSESSMENT = "assessment"  # the matrix coloured by the 述职评议考核 total instead of a third index


def _period(request: HttpRequest) -> Period:
    """The period asked for (?period=2026Q4), else the newest computed quarter."""
    text = request.GET.get("period", "")
    if text:
        try:
            return parse(text)
        except DomainError:
            messages.error(request, _("统计周期无法识别，已显示最近的季度。"))
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    if kind not in PeriodKind.values:
        kind = PeriodKind.QUARTER
    return selectors.latest_period(kind, timezone.localdate())


def _index(value: str | None, default: str) -> str:
    return value if value in IndexCode.values else default


def _top(request: HttpRequest) -> Organization:
    top = scope_roots(scope_of(request), P.VIEW_INSIGHTS).first()
    if top is None:
        raise Http404
    return top


def _colour_value(row: selectors.MatrixRow, colour: str, marks: dict[int, Mark]) -> float | None:
    if colour == ASSESSMENT:
        mark = marks.get(row.org_id)
        return mark.total if mark else None
    return row.scores.get(colour)


@access_rule(anywhere(Permission.VIEW_INSIGHTS))
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """运行状态矩阵图: the organizations below one (the viewer's top by default) on two indices, coloured
    by a third, with the medians as quadrant lines; the same as a table."""
    scope = scope_of(request)
    org = get_org_for(scope, request.GET["org"], P.VIEW_INSIGHTS) if request.GET.get("org") else _top(request)
    period = _period(request)
    default_level = "branch" if selectors._children_are_branches(org) else "college"
    asked = request.GET.get("level", "")
    level = asked if asked in ("college", "branch") else default_level
    category = request.GET.get("category", "")
    category = category if category in OrgCategory.values else ""
    x = _index(request.GET.get("x"), DEFAULT_X)
    y = _index(request.GET.get("y"), DEFAULT_Y)
    colour = request.GET.get("c", "")
    colour = colour if colour == ASSESSMENT else _index(colour, DEFAULT_COLOUR)
    rows = selectors.matrix_rows(scope, period=period, within=org, level=level, category=category)
    middle = selectors.medians(rows)
    # 述职评议考核: each organization's latest published grade up to the period's year (one query).
    marks = latest_marks([r.org_id for r in rows], period.start.year)
    labels = {**dict(IndexCode.choices), ASSESSMENT: _("述职评议考核得分")}
    # One reverse() for the 3,000 points of a province (a reverse each was a third of the page's time).
    org_url = reverse("insights:org", args=[0]).replace("/0/", "/{}/") + f"?period={period.code}"
    chart = {
        "x": {"key": x, "label": str(labels[x]), "median": middle[x]},
        "y": {"key": y, "label": str(labels[y]), "median": middle[y]},
        "c": {"key": colour, "label": str(labels[colour])},
        "quadrants": [str(_("优势区")), str(_("待提升凝聚力")), str(_("待夯实基础")), str(_("重点帮扶"))],
        "points": [
            {
                "name": r.name,
                "value": [r.scores.get(x), r.scores.get(y), _colour_value(r, colour, marks)],
                "url": org_url.format(r.org_id),
            }
            for r in rows
            if r.scores.get(x) is not None and r.scores.get(y) is not None
        ],
    }
    order = request.GET.get("sort", x)
    order = _index(order, x)
    rows.sort(key=lambda r: (r.scores.get(order) is None, -(r.scores.get(order) or 0)))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    colleges = Organization.objects.filter(
        scope.q(P.VIEW_INSIGHTS, "path"), kind__in=selectors.COMMITTEE_KINDS
    ).order_by("path")[:200]
    return render(
        request,
        "insights/matrix.html",
        {
            "org": org,
            "period": period,
            "periods": selectors.periods_computed(period.kind),
            "kinds": PeriodKind.choices,
            "level": level,
            "category": category,
            "categories": OrgCategory.choices,
            "indices": IndexCode.choices,
            "colours": [*IndexCode.choices, (ASSESSMENT, labels[ASSESSMENT])],
            "marks": marks,
            "x": x,
            "y": y,
            "c": colour,
            "sort": order,
            "chart": chart,
            "page": page,
            "medians": middle,
            "total": len(rows),
            "capped": len(rows) >= selectors.MAX_POINTS,
            "colleges": colleges,
            "may_compute": access.may_compute(scope),
        },
    )


@access_rule(within(Permission.VIEW_INSIGHTS))
@login_required
def org_indices(request: HttpRequest, org_id: int) -> HttpResponse:
    """An organization's three indices for a period, each opened into its indicators (value, the
    component's points, weight, the module's page with the data), and its children's scores."""
    scope = scope_of(request)
    org = get_org_for(scope, org_id, P.VIEW_INSIGHTS)
    period = _period(request)
    lines = selectors.org_indices(org, period)
    previous = {line.index: line.score for line in selectors.org_indices(org, period.previous())}
    children = selectors.children_scores(scope, org, period) if org.kind != OrgKind.BRANCH else []
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    parent = (
        Organization.objects.filter(path=org.path[: -Organization.steplen]).first() if org.depth > 1 else None
    )
    return render(
        request,
        "insights/org.html",
        {
            "org": org,
            "period": period,
            "periods": selectors.periods_computed(period.kind),
            "kinds": PeriodKind.choices,
            "lines": lines,
            "previous": previous,
            "page": page,
            "indices": IndexCode.choices,
            "parent": parent if parent and access.may_view(scope, parent) else None,
        },
    )


@access_rule(anywhere(Permission.VIEW_INSIGHTS))
@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    """What each index is made of now, and every version it had: visible to whoever reads the scores."""
    scope = scope_of(request)
    if not scope.has(P.VIEW_INSIGHTS):
        raise Http404
    known = selectors.indicator_map()
    groups: list[dict[str, Any]] = []
    for index, label in IndexCode.choices:
        versions = selectors.versions(index)
        groups.append({"index": index, "label": label, "versions": versions})
    return render(
        request,
        "insights/definitions.html",
        {
            "groups": groups,
            "indicators": known,
            "may_manage": access.may_manage_indices(scope),
        },
    )


@access_rule(anywhere(Permission.MANAGE_INDICES, **ROOT_ONLY))
@login_required
def version_new(request: HttpRequest, index: str) -> HttpResponse:
    scope = scope_of(request)
    if index not in IndexCode.values or not access.may_manage_indices(scope):
        raise Http404
    current = next(iter(selectors.versions(index)), None)
    form = VersionForm(
        request.POST or None, indicators=list(selectors.indicator_map().values()), current=current
    )
    return service_form_page(
        request,
        form,
        action=lambda data: version_create(
            actor=request.user,
            scope=scope,
            index=index,
            effective_from=data["effective_from"],
            components=form.components(),
            good_from=data["good_from"],
            fair_from=data["fair_from"],
            note=data["note"],
        ),
        success=_("新版本已保存：生效日期及以后结束的周期，下次计算时按新版本评分。"),
        next_url=reverse("insights:definitions"),
        context={"index_label": dict(IndexCode.choices)[index], "form_rows": form.rows()},
        template="insights/version_form.html",
    )


@access_rule(anywhere(Permission.MANAGE_INDICES, **ROOT_ONLY))
@require_POST
@login_required
def compute(request: HttpRequest) -> HttpResponse:
    """Recompute a period now (a background job; the nightly run does it anyway)."""
    scope = scope_of(request)
    if not access.may_compute(scope):
        raise Http404
    try:
        period = parse(request.POST.get("period", ""))
        job = jobs.compute_job_start(user=request.user, period=period)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("insights:home")
    messages.success(request, _("已开始计算 %(p)s 的评价指数。") % {"p": period.label})
    return redirect("jobs:detail", job_id=job.pk)
