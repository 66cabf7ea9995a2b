"""Organization pages: tree, detail with rule checks, create/edit/move/dissolve, 换届, positions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_recorded, live_filters
from dangjian.core import services
from dangjian.core.exports import org_export_headers, org_export_rows
from dangjian.core.forms import (
    NewTermForm,
    OrganizationForm,
    OrgDissolveForm,
    OrgMoveForm,
    PositionAssignForm,
    PositionEndForm,
)
from dangjian.core.models import ON_ROLL_STANDINGS, Organization, OrgKind, Person, Position
from dangjian.core.rules import SEVERITY_ORDER, default_term_years, term_expires_on
from dangjian.core.selectors import (
    ancestors_and_children,
    children_of,
    committee_of,
    get_org_for,
    open_positions,
    org_members,
    org_summaries,
    organizations_within,
    rule_check_list,
    scope_roots,
)
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.kit.xlsx import xlsx_response
from dangjian.policy import get_policy

P = Permission


def _scope(request: HttpRequest) -> Any:
    return scope_of(request)


# The tree shows at most this many children of one org at a time; a last row loads the next ones.
CHILDREN_PAGE = 100


@access_rule(anywhere(Permission.VIEW_ORGS))
@login_required
@requires(P.VIEW_ORGS)
def org_tree(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    roots = list(scope_roots(scope)[:CHILDREN_PAGE])
    orgs: list[Organization] = []
    expanded: set[int] = set()
    more = None
    for root in roots:  # open the top level so the page starts useful: roots and their children
        orgs.append(root)
        if len(roots) <= 3 and root.numchild:
            children = list(children_of(scope, root)[: CHILDREN_PAGE + 1])
            orgs.extend(children[:CHILDREN_PAGE])
            expanded.add(root.pk)
            if len(children) > CHILDREN_PAGE and len(roots) == 1:
                more = {"org": root, "offset": CHILDREN_PAGE}
    return render(
        request,
        "core/org_tree.html",
        {
            "rows": org_summaries(orgs, with_subtree=True),
            "more": more,
            "expanded": expanded,
            "can_import": scope.has(P.MANAGE_ORGS),
            "can_export": scope.has(P.EXPORT),
            "title": _("组织"),
        },
    )


@access_rule(within(Permission.VIEW_ORGS))
@login_required
@requires(P.VIEW_ORGS)
def org_children(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_org_for(_scope(request), org_id)
    try:
        offset = max(int(request.GET.get("offset", 0)), 0)
    except ValueError:
        offset = 0
    children = list(children_of(_scope(request), org)[offset : offset + CHILDREN_PAGE + 1])
    more = {"org": org, "offset": offset + CHILDREN_PAGE} if len(children) > CHILDREN_PAGE else None
    return render(
        request,
        "core/org_tree.html#rows",
        {"rows": org_summaries(children[:CHILDREN_PAGE], with_subtree=True), "more": more},
    )


@access_rule(within(Permission.VIEW_ORGS))
@login_required
@requires(P.VIEW_ORGS)
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    scope = _scope(request)
    org = get_org_for(scope, org_id)
    ancestors, children = ancestors_and_children(scope, org, limit=CHILDREN_PAGE)
    # One summary pass for the org and its children, with the children's subtree counts. A branch holds
    # its members itself (never its 党小组: services.membership_admit_problems), so its own count is the
    # list's and its 党小组 need no subtree count; above a branch the list counts its subtree live.
    is_branch = org.kind == OrgKind.BRANCH
    positions = open_positions([org, *children])  # the committee below, and the children's facts
    summaries = org_summaries([org, *children], subtree_of=[] if is_branch else children, positions=positions)
    summary = summaries[0]
    policy = get_policy()
    term_years = org.term_years or default_term_years(org.kind, policy)
    on_roll = org_members(org).filter(standing__in=ON_ROLL_STANDINGS)
    # The summaries have counted the list already, so the page needs no COUNT of its own: a branch's
    # members on the roll are its own; above a branch, when every child is on the page, they are its own
    # and its children's subtrees. Only an org with more children than a page counts them live.
    every_child = is_branch or len(children) < CHILDREN_PAGE
    known = summary.facts.members + sum(c.subtree_members for c in summaries[1:] if not is_branch)
    paginator = CappedPaginator(on_roll, 50, known_count=(lambda: known) if every_child else None)
    members = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "core/org_detail.html",
        {
            "org": org,
            "summary": summary,
            "term_years": term_years,
            "term_expires_on": term_expires_on(org.term_started_on, term_years),
            "committee": committee_of(org, positions),
            "members": members,
            "children": summaries[1:],
            "more_children": org.numchild > CHILDREN_PAGE,
            "ancestors": ancestors,
            "can_manage": scope.covers(P.MANAGE_ORGS, org.path),
            "can_manage_positions": scope.covers(P.MANAGE_POSITIONS, org.path),
            "can_view_people": scope.covers(P.VIEW_PEOPLE, org.path),
            "title": org.name,
        },
    )


@access_rule(anywhere(Permission.VIEW_ORGS))
@login_required
@requires(P.VIEW_ORGS)
def rule_checks(request: HttpRequest) -> HttpResponse:
    severity = request.GET.get("severity", "")
    if severity not in SEVERITY_ORDER:
        severity = ""
    rows = rule_check_list(_scope(request), severity=severity or None)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/rule_checks.html",
        {"page": page, "severity": severity, "total": len(rows), "title": _("规范检查")},
    )


def _org_url(org: Organization) -> str:
    return reverse("core:org_detail", args=[org.pk])


@access_rule(within(Permission.MANAGE_ORGS))
@login_required
@requires(P.MANAGE_ORGS)
def org_create(request: HttpRequest, org_id: int) -> HttpResponse:
    parent = get_org_for(_scope(request), org_id, P.MANAGE_ORGS)
    default_kind = OrgKind.GROUP if parent.kind == OrgKind.BRANCH else OrgKind.BRANCH
    initial = {"kind": default_kind, "category": parent.category, "unit": parent.unit}
    return service_form_page(
        request,
        OrganizationForm(request.POST or None, initial=initial),
        action=lambda data: services.organization_create(actor=request.user, parent=parent, **data),
        success=lambda org: _("已成立 %(name)s。") % {"name": org.name},
        next_url=_org_url,
        context={"org": parent, "title": _("在 %(p)s 下新建党组织") % {"p": parent.name}},
    )


@access_rule(within(Permission.MANAGE_ORGS))
@login_required
@requires(P.MANAGE_ORGS)
def org_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_org_for(_scope(request), org_id, P.MANAGE_ORGS)
    initial = {f: getattr(org, f) for f in services.ORG_FIELDS}
    return service_form_page(
        request,
        OrganizationForm(request.POST or None, initial=initial),
        action=lambda data: services.organization_update(
            actor=request.user, org=org, expected_status=posted_state(request), **data
        ),
        success=_("已保存。"),
        next_url=_org_url,
        context={"org": org, "title": _("编辑 %(n)s") % {"n": org.name}},
        state=org.state,
    )


@access_rule(within(Permission.MANAGE_ORGS))
@login_required
@requires(P.MANAGE_ORGS)
def org_move(request: HttpRequest, org_id: int) -> HttpResponse:
    scope = _scope(request)
    org = get_org_for(scope, org_id, P.MANAGE_ORGS)
    if org.is_root():
        raise Http404
    parents = (
        organizations_within(scope, P.MANAGE_ORGS)
        .filter(is_active=True)
        .exclude(path__startswith=org.path)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )
    return service_form_page(
        request,
        OrgMoveForm(request.POST or None, parents=parents),
        action=lambda data: services.organization_move(
            actor=request.user, org=org, new_parent=data["new_parent"], expected_status=posted_state(request)
        ),
        success=_("已调整隶属关系。"),
        next_url=_org_url,
        context={"org": org, "title": _("调整 %(n)s 的上级组织") % {"n": org.name}},
        state=org.state,
    )


@access_rule(within(Permission.MANAGE_ORGS))
@login_required
@requires(P.MANAGE_ORGS)
def org_dissolve(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_org_for(_scope(request), org_id, P.MANAGE_ORGS)
    return service_form_page(
        request,
        OrgDissolveForm(request.POST or None, initial={"on": timezone.localdate()}),
        action=lambda data: services.organization_dissolve(
            actor=request.user, org=org, expected_status=posted_state(request), **data
        ),
        success=_("已撤销 %(n)s。") % {"n": org.name},
        next_url=_org_url,
        context={"org": org, "danger": True, "title": _("撤销 %(n)s") % {"n": org.name}},
        state=org.state,
    )


def _org_people(org: Organization) -> Any:
    return Person.objects.filter(
        membership__organization__path__startswith=org.path, membership__standing__in=ON_ROLL_STANDINGS
    ).order_by("name_pinyin")


@access_rule(within(Permission.MANAGE_ORGS))
@login_required
@requires(P.MANAGE_POSITIONS)
def org_new_term(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_org_for(_scope(request), org_id, P.MANAGE_POSITIONS)
    form = NewTermForm(
        request.POST or None, people=_org_people(org), initial={"started_on": timezone.localdate()}
    )

    def start_term(data: dict[str, Any]) -> Organization:
        positions = [services.NewPosition(person=p, title=t) for p, t in form.positions()]
        return services.organization_start_new_term(
            actor=request.user,
            org=org,
            started_on=data["started_on"],
            positions=positions,
            expected_status=posted_state(request),
        )

    return service_form_page(
        request,
        form,
        action=start_term,
        success=_("换届已完成。"),
        next_url=_org_url,
        context={
            "org": org,
            "title": _("%(n)s 换届") % {"n": org.name},
            "help": _("原委员会成员的职务将于新一届开始日期免去。"),
        },
        state=org.term_state,
    )


@access_rule(within(Permission.MANAGE_POSITIONS))
@login_required
@requires(P.MANAGE_POSITIONS)
def position_assign(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_org_for(_scope(request), org_id, P.MANAGE_POSITIONS)
    return service_form_page(
        request,
        PositionAssignForm(
            request.POST or None, people=_org_people(org), initial={"started_on": timezone.localdate()}
        ),
        action=lambda data: services.position_assign(actor=request.user, organization=org, **data),
        success=_("已任职。"),
        next_url=_org_url(org),
        context={"org": org, "title": _("%(n)s 任职") % {"n": org.name}},
    )


@access_rule(within(Permission.MANAGE_POSITIONS))
@login_required
@requires(P.MANAGE_POSITIONS)
def position_end(request: HttpRequest, position_id: int) -> HttpResponse:
    scope = _scope(request)
    try:
        position = (
            Position.objects.select_related("organization", "person")
            .filter(scope.q(P.MANAGE_POSITIONS, "organization__path"))
            .get(pk=position_id)
        )
    except Position.DoesNotExist:
        raise Http404 from None
    return service_form_page(
        request,
        PositionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()}),
        action=lambda data: services.position_end(
            actor=request.user, position=position, expected_status=posted_state(request), **data
        ),
        success=_("已免职。"),
        next_url=_org_url(position.organization),
        context={"org": position.organization, "title": _("免去 %(p)s") % {"p": str(position)}},
        state=position.state,
    )


@access_rule(anywhere(Permission.EXPORT))
@login_required
@requires(P.EXPORT)
def org_export(request: HttpRequest) -> FileResponse:
    """The organization tree on screen as .xlsx: every org in scope the tree can show (dissolved ones
    marked as on the tree), with counts, term and rule checks; audited with the row count."""
    orgs = list(
        organizations_within(_scope(request), P.EXPORT)
        .filter(_scope(request).q(P.VIEW_ORGS, "path"))
        .order_by("path")
    )
    return export_recorded(  # type: ignore[no-any-return]
        actor=request.user,
        action="organization.export",
        filters=live_filters(request),
        rows=org_export_rows(orgs),
        write=lambda rows: xlsx_response(
            f"organizations-{timezone.localdate():%Y%m%d}.xlsx", org_export_headers(), rows
        ),
    )
