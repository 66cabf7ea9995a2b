"""Overdue cases and rule violations across the organizer's scope (the school sees all): paginated, by
college/branch and stage, with a fixed number of queries whatever the page holds."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import get_org_for
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.kit.paginator import CappedPaginator
from dangjian.recruitment import selectors
from dangjian.recruitment.models import Stage

P = Permission


@access_rule(anywhere(Permission.MANAGE_RECRUITMENT))
@login_required
def alerts(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not scope.has(P.MANAGE_RECRUITMENT):
        raise Http404
    kind = "violations" if request.GET.get("kind") == "violations" else "overdue"
    org = get_org_for(scope, request.GET["org"], P.MANAGE_RECRUITMENT) if request.GET.get("org") else None
    stage = request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else ""
    query = request.GET.get("q", "").strip()[:50]
    today = timezone.localdate()
    rows: list[Any]
    if kind == "overdue":
        ids = selectors.overdue_case_ids(scope, today, org=org, stage=stage, query=query)
        page = Paginator(ids, 30).get_page(request.GET.get("page"))
        steps = selectors.step_definitions()
        cases = selectors.cases_by_ids(scope, list(page.object_list))
        rows = [(case, selectors.progress(case, today, steps)) for case in cases]
    else:
        page = CappedPaginator(
            selectors.rule_violations(scope, org=org, stage=stage, query=query), 30
        ).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    return render(
        request,
        "recruitment/alerts.html",
        {
            "kind": kind,
            "org": org,
            "orgs": selectors.alert_orgs(scope)[:500],
            "stage": stage,
            "stages": Stage.choices,
            "page": page,
            "rows": rows,
            "q": query,
            "query_string": urlencode(
                {"kind": kind, "org": org.pk if org else "", "stage": stage, "q": query}
            ),
            "title": _("超期与违规提醒"),
        },
    )
