from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from dangjian import hooks
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import OrgCategory, OrgKind, PoliticalStatus
from dangjian.core.selectors import dashboard_counts, rule_check_digest
from dangjian.kit.access_rules import access_rule, public, signed_in
from dangjian.web.health import broker_status, cache_status, database_status
from dangjian.workbench.todos import todos_for


@access_rule(public())
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the site serves — "degraded" when the cache or the broker is down (pages still serve, jobs
    wait in the queue); 503 only when the database is down."""
    database, cache, broker = database_status(), cache_status(), broker_status()
    status = "error" if database != "ok" else "degraded" if "down" in (cache, broker) else "ok"
    body = {"status": status, "database": database, "cache": cache, "broker": broker}
    return JsonResponse(body, status=200 if database == "ok" else 503)


@access_rule(signed_in())
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The 工作台: the person's own items first (to-dos, the modules' tiles), then, for those who look
    after more than one branch, the overview of their scope with its charts."""
    scope = scope_of(request)
    user = request.user
    registered = hooks.tiles.all()
    questions = {  # the tiles' counts ride in the to-dos' one statement
        f"tile.{t.key}:{name}": qs for t in registered if t.ask for name, qs in t.ask(request, scope).items()
    }
    context: dict[str, object] = {"todos": todos_for(user, scope, also=questions)}
    if scope.has(Permission.VIEW_ORGS):
        context.update(_overview(scope))
    tiles = [(t, c) for t in registered if (c := t.context(request, scope)) is not None]
    context["tiles"] = [(t.template, c) for t, c in tiles]
    context["tile_charts"] = any(t.charts for t, _c in tiles)
    context["guide"] = _guide(scope) if user.guide_dismissed_at is None else None  # type: ignore[union-attr]
    context["title"] = _("工作台")
    return render(request, "web/home.html", context)


def _overview(scope: Scope) -> dict[str, object]:
    counts = dashboard_counts(scope)
    digest = rule_check_digest(scope)
    branches = counts["orgs_by_kind"].get(OrgKind.BRANCH, 0)
    overview: dict[str, object] = {
        "org_kind_counts": [(OrgKind(k).label, counts["orgs_by_kind"].get(k, 0)) for k in OrgKind.values],
        "status_counts": [
            (PoliticalStatus(k).label, counts["people_by_status"].get(k, 0)) for k in PoliticalStatus.values
        ],
        "rule_checks": digest.top,
        "rule_check_total": digest.total,
        "many_branches": branches > 1,
    }
    if branches > 1:  # a chart of one branch says nothing its numbers don't
        # Plain data: the template writes it into json_script blocks that web/charts.js reads (the CSP
        # allows no inline script).
        overview["chart_status"] = [
            {"name": str(PoliticalStatus(k).label), "value": counts["people_by_status"].get(k, 0)}
            for k in PoliticalStatus.values
        ]
        overview["chart_category"] = {
            "labels": [str(OrgCategory(k).label) for k in OrgCategory.values],
            "values": [counts["members_by_category"].get(k, 0) for k in OrgCategory.values],
        }
    return overview


def _guide(scope: Scope) -> list[str]:
    """The first visit's few lines: what this person does here, by what their roles allow."""
    lines = [_("“待办”列出等你处理的事，点一下直接去办。")]
    if scope.person_id is not None:
        lines.append(
            _(
                "卡片里是你自己的组织生活、党费和学时：开会时扫支部书记出示的二维码签到；交纳党费后点“我已交纳”，等支部确认。"
            )
        )
    if scope.has(Permission.VIEW_AUDIT) and not scope.has(Permission.VIEW_ORGS):
        lines.append(_("审计日志记录每一次修改与导出，可按操作、人员、组织和日期筛选，并可导出。"))
    if scope.has(Permission.MANAGE_ORGLIFE):
        lines.append(_("每月底前制定下月组织生活计划(可复制上月)，开会前发通知，会后填写纪要并归档。"))
    if scope.has(Permission.REVIEW_ORGLIFE) or scope.has(Permission.CONFIRM_DUES):
        lines.append(_("审核下级提交的计划、党费和发展党员材料；可以勾选多条一起处理。"))
    if scope.has(Permission.VIEW_PEOPLE):
        lines.append(_("顶部搜索框可按姓名、拼音首字母(如 lxh)或学号工号找人，只在你的管理范围内查找。"))
    lines.append(_("手机上从底部的标签栏进入常用功能，其余功能在左上角 ☰ 菜单里。"))
    return lines


SEARCH_LIMIT = 8  # hits per kind: the search is a way in, not a list page


@access_rule(signed_in())
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The header's search: each kind of thing a module finds (``hooks.search``), within the scope."""
    scope = scope_of(request)
    text = request.GET.get("q", "").strip()[:50]
    groups = []
    if text:
        for provider in hooks.search.all():
            if not provider.serves(scope):
                continue
            hits = provider.search(scope, text, SEARCH_LIMIT)
            groups.append((str(provider.label), hits))
    context = {
        "title": _("搜索"),
        "search_q": text,
        "groups": groups,
        "found": sum(len(h) for _l, h in groups),
    }
    return render(request, "web/search.html", context)


@access_rule(public())
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the site can be added to a phone's home screen and opens like an app."""
    icons = [
        {"src": static("web/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("web/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": f"{settings.SCHOOL_NAME} · {_('智慧党建')}",
        "short_name": _("智慧党建"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7a0d1d",
        "lang": request.LANGUAGE_CODE,
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@access_rule(public())
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico before reading the page's icon links."""
    return HttpResponsePermanentRedirect(static("web/icons/favicon.ico"))
