"""领导驾驶舱: one organization (the viewer's top by default, ``?org=`` any committee in scope) for a
period (``?period=``, the current year by default) — its summary, its children compared (each chart with
its table) and its last 12 months."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import Organization, OrgKind
from dangjian.core.selectors import get_org_for, scope_roots
from dangjian.insights import access
from dangjian.insights.dashboard import selectors, tiles
from dangjian.insights.indices.selectors import latest_period, periods_computed
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import Period, containing, parse
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.kit.errors import DomainError

P = Permission


def _period(request: HttpRequest) -> Period:
    """The period asked for (?period=2026Q4; ?kind= the newest computed of a kind), else this year."""
    today = timezone.localdate()
    text = request.GET.get("period", "")
    if text:
        try:
            return parse(text)
        except DomainError:
            messages.error(request, _("统计周期无法识别，已显示本年度。"))
    kind = request.GET.get("kind", "")
    if kind in PeriodKind.values and kind != PeriodKind.YEAR:
        return latest_period(kind, today)
    return containing(PeriodKind.YEAR, today)


def _org(request: HttpRequest) -> Organization:
    scope = scope_of(request)
    if request.GET.get("org"):
        return get_org_for(scope, request.GET["org"], P.VIEW_INSIGHTS)
    top = scope_roots(scope, P.VIEW_INSIGHTS).first()
    if top is None:
        raise Http404
    return top


@access_rule(anywhere(Permission.VIEW_INSIGHTS))
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    period = _period(request)
    today = timezone.localdate()
    indicators = selectors.indicators()
    links = tiles.Links(request, period)
    found = selectors.comparison(org, period)
    compared = tiles.comparison_tiles(indicators, found, links) if found.children else []
    trends = tiles.trend_tiles(org, indicators, selectors.trend(org, period, today), links)
    parent = (
        Organization.objects.filter(path=org.path[: -Organization.steplen]).first() if org.depth > 1 else None
    )
    return render(
        request,
        "insights/dashboard/page.html",
        {
            "org": org,
            "is_branch": org.kind == OrgKind.BRANCH,
            "period": period,
            "periods": periods_computed(period.kind),
            "kinds": PeriodKind.choices,
            "keep": {"org": org.pk},
            "summary": selectors.summary(org, period, today),
            "open_warnings": found.open_warnings,
            "warnings_url": links.warnings(org),
            "compared": compared,
            "computed": found.has_values() or not found.children,  # a branch: nothing to compare
            "trends": trends,
            "parent": parent if parent and access.may_view(scope_of(request), parent) else None,
        },
    )
