from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dangjian import hooks
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import OrgCategory, OrgKind, PoliticalStatus
from dangjian.core.selectors import dashboard_counts, rule_check_digest
from dangjian.web.health import broker_status, cache_status, database_status
from dangjian.workbench.todos import todos_for


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_status()
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "cache": cache_status(),
        "broker": broker_status(),
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    context: dict[str, object] = {"todos": todos_for(request.user, scope)}
    if scope.has(Permission.VIEW_ORGS):
        counts = dashboard_counts(scope)
        digest = rule_check_digest(scope)
        context.update(
            {
                "org_kind_counts": [
                    (OrgKind(k).label, counts["orgs_by_kind"].get(k, 0)) for k in OrgKind.values
                ],
                "status_counts": [
                    (PoliticalStatus(k).label, counts["people_by_status"].get(k, 0))
                    for k in PoliticalStatus.values
                ],
                "category_counts": [
                    (OrgCategory(k).label, v) for k, v in counts["members_by_category"].items() if k
                ],
                "rule_checks": digest.top,
                "rule_check_total": digest.total,
                "chart_status": json.dumps(
                    [
                        {"name": str(PoliticalStatus(k).label), "value": counts["people_by_status"].get(k, 0)}
                        for k in PoliticalStatus.values
                    ],
                    ensure_ascii=False,
                ),
                "chart_category": json.dumps(
                    {
                        "labels": [str(OrgCategory(k).label) for k in OrgCategory.values],
                        "values": [counts["members_by_category"].get(k, 0) for k in OrgCategory.values],
                    },
                    ensure_ascii=False,
                ),
            }
        )
    tiles = [(t, c) for t in hooks.tiles.all() if (c := t.context(request, scope)) is not None]
    context["tiles"] = [(t.template, c) for t, c in tiles]
    context["tile_charts"] = any(t.charts for t, _c in tiles)
    context["title"] = _("工作台")
    return render(request, "web/home.html", context)
