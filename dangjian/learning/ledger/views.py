"""The study-hour pages: the ledger of an organization (its branches or colleges rolled up against the
32/56-hour targets, its members one by one, Excel), a person's rows, and the 专题培训 an organization
records with the people who took part."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.selectors import get_org_with_ancestors
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.learning.ledger import rules, selectors, services
from dangjian.learning.ledger.forms import TopicForm
from dangjian.learning.ledger.selectors import Targets
from dangjian.policy import get_policy

P = Permission
SHOWS = ("", "behind", "met")


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if today.year - 10 <= year <= today.year else today.year


@access_rule(anywhere(Permission.VIEW_STUDY))
@login_required
def ledger_home(request: HttpRequest) -> HttpResponse:
    """The ledger starts at the top organization of the user's grant."""
    root = selectors.ledger_roots(scope_of(request)).first()
    if root is None:
        raise Http404
    return redirect("learning:ledger", root.pk)


@access_rule(within(Permission.VIEW_STUDY))
@login_required
def ledger(request: HttpRequest, org_id: int) -> HttpResponse:
    scope = scope_of(request)
    org, breadcrumbs = get_org_with_ancestors(scope, org_id, P.VIEW_STUDY)
    year = _year(request)
    targets = Targets.of(year, timezone.localdate())
    show = request.GET.get("show", "") if request.GET.get("show") in SHOWS else ""
    whole, lines = selectors.children_rollup(org, targets)
    listing = not lines or request.GET.get("list") == "1" or bool(show)
    page = (
        CappedPaginator(selectors.member_lines(org, targets, show=show), 50).get_page(request.GET.get("page"))
        if listing
        else None
    )
    ancestors = [a for a in breadcrumbs if scope.covers(P.VIEW_STUDY, a.path)]
    return render(
        request,
        "learning/ledger/org.html",
        {
            "org": org,
            "ancestors": ancestors,
            "year": year,
            "years": selectors.years_choice(timezone.localdate()),
            "targets": targets,
            "whole": whole,
            "lines": lines,
            "page": page,
            "show": show,
            "query_string": f"year={year}&show={show}&list=1",
            "title": _("学习学时台账"),
        },
    )


def _status(line: Any, met: str, behind: str) -> str:
    return met if line.hours >= line.target else behind if line.is_behind else ""


@access_rule(within(Permission.VIEW_STUDY))
@login_required
def ledger_export(request: HttpRequest, org_id: int) -> FileResponse:
    """The members of the organization with their hours against the target (.xlsx, audited)."""
    scope = scope_of(request)
    org = selectors.ledger_org_for(scope, org_id)
    if not scope.covers(P.EXPORT, org.path):
        raise Http404
    year = _year(request)
    targets = Targets.of(year, timezone.localdate())
    show = request.GET.get("show", "") if request.GET.get("show") in SHOWS else ""
    met, behind = _("已达标"), _("落后于进度")
    lines: Any = selectors.member_lines(org, targets, show=show).iterator(chunk_size=2000)
    rows = (
        (
            m.person.staff_number or "",
            m.person.name,
            m.organization.name,
            _("书记/委员") if m.cadre else _("党员"),
            m.target,
            m.hours,
            targets.cadre_expected if m.cadre else targets.member_expected,
            _status(m, met, behind),
        )
        for m in lines
    )
    headers = [
        _("工号/学号"),
        _("姓名"),
        _("所在党支部"),
        _("类别"),
        _("全年要求学时"),
        _("已完成学时"),
        _("按进度应完成"),
        _("状态"),
    ]
    return export_response(
        request,
        action="learning.ledger_export",
        filename=f"study-hours-{org.pk}-{year}.xlsx",
        headers=headers,
        rows=rows,
        org=org,
    )


@access_rule(within(Permission.VIEW_STUDY))
@login_required
def person_rows(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's rows of a year: their own, or one in the viewer's VIEW_STUDY scope (else 404)."""
    scope = scope_of(request)
    person = selectors.person_for_ledger(scope, person_id)
    year = _year(request)
    today = timezone.localdate()
    targets = Targets.of(year, today)
    cadre = selectors.is_cadre(person.pk, targets.on)
    total = selectors.year_total(person, year)
    target = targets.cadre if cadre else targets.member
    expected = targets.cadre_expected if cadre else targets.member_expected
    page = CappedPaginator(selectors.rows_of(person, year).select_related("topic"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/ledger/person.html",
        {
            "person": person,
            "year": year,
            "years": selectors.years_choice(today),
            "total": total,
            "target": target,
            "expected": expected,
            "cadre": cadre,
            "percent": rules.percent(total, target),
            "behind": rules.behind_pace(total, target, targets.on, get_policy().study_pace_share),
            "page": page,
            "query_string": f"year={year}",
            "title": _("%(n)s 的学习学时") % {"n": person.name},
        },
    )


# ---------------------------------------------------------------- 专题培训


@access_rule(anywhere(Permission.RECORD_STUDY))
@login_required
def topic_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.RECORD_STUDY):
        raise Http404
    page = CappedPaginator(selectors.topics_visible_to(scope).order_by("-on", "-id"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "learning/ledger/topics.html", {"page": page, "title": _("专题培训")})


@access_rule(anywhere(Permission.RECORD_STUDY))
@login_required
def topic_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.RECORD_STUDY):
        raise Http404
    form = TopicForm(request.POST or None, organizers=selectors.recorders_for(scope))
    if request.method != "POST":
        form.fields["idempotency_key"].initial = uuid.uuid4().hex
    return service_form_page(
        request,
        form,
        action=lambda d: services.topic_create(
            actor=request.user,
            scope=scope,
            organizer=d["organizer"],
            title=d["title"],
            on=d["on"],
            hours=d["hours"],
            today=timezone.localdate(),
            place=d.get("place") or "",
            note=d.get("note") or "",
            idempotency_key=d.get("idempotency_key") or None,
        ),
        success=_("已登记专题培训，请添加参训人员"),
        next_url=lambda t: reverse("learning:topic", args=[t.pk]),
        context={"title": _("登记专题培训")},
    )


@access_rule(within(Permission.RECORD_STUDY))
@login_required
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    """The training, the people it counts, and a search to add more (ticked, then added at once)."""
    scope = scope_of(request)
    topic = selectors.get_topic_for(scope, topic_id)
    query = request.GET.get("q", "").strip()
    candidates: list[Any] = []
    if query:
        from dangjian.core.selectors import search_people

        counted = selectors.topic_people(topic).values("person_id")
        candidates = list(
            search_people(services.eligible_people(scope, topic), query)
            .exclude(pk__in=counted)
            .select_related("organization")
            .order_by("name_pinyin", "pk")[:50]
        )
    page = CappedPaginator(selectors.topic_people(topic), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/ledger/topic.html",
        {"topic": topic, "page": page, "q": query, "candidates": candidates, "title": topic.title},
    )


@access_rule(within(Permission.RECORD_STUDY))
@login_required
@require_POST
def topic_add(request: HttpRequest, topic_id: int) -> HttpResponse:
    scope = scope_of(request)
    topic = selectors.get_topic_for(scope, topic_id)
    try:
        ids = sorted({int(v) for v in request.POST.getlist("person")})
    except ValueError:
        ids = []
    if not ids:
        messages.error(request, _("请勾选要添加的人员"))
        return redirect("learning:topic", topic.pk)
    try:
        added = services.topic_people_add(actor=request.user, scope=scope, topic=topic, person_ids=ids)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已为 %(n)s 人登记学时") % {"n": added})
    return redirect("learning:topic", topic.pk)


@access_rule(within(Permission.RECORD_STUDY))
@login_required
@require_POST
def topic_remove(request: HttpRequest, topic_id: int, person_id: int) -> HttpResponse:
    scope = scope_of(request)
    topic = selectors.get_topic_for(scope, topic_id)
    try:
        removed = services.topic_person_remove(
            actor=request.user, scope=scope, topic=topic, person_id=person_id
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if removed:
            messages.success(request, _("已移除，其学时已冲销"))
    return redirect("learning:topic", topic.pk)
