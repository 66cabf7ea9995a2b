"""党内统计 pages: an organization's figures as of a snapshot, the people (or organizations) behind a
cell, the Excel of both, and starting a recomputation (a background job)."""

from __future__ import annotations

from datetime import date
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
from dangjian.core.models import Organization
from dangjian.core.selectors import get_org_for
from dangjian.kit.access_rules import NOT_FOUND, access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.paginator import CappedPaginator
from dangjian.reporting import access, jobs, rules, selectors
from dangjian.reporting.definitions import definitions
from dangjian.reporting.figures import CHANGE_DECREASES, CHANGE_INCREASES, figures, tables
from dangjian.reporting.models import Snapshot

P = Permission
# The figures the children's breakdown shows, in its columns.
CHILD_COLUMNS = ("members_total", "members_probationary", "new_total", "inc_total", "dec_total", "org_branch")


def _on(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return None


def _org(request: HttpRequest, org_id: int) -> Organization:
    org = get_org_for(scope_of(request), org_id, P.VIEW_STATISTICS)
    if not access.may_view(scope_of(request), org):
        raise Http404
    return org


def _root() -> Organization | None:
    return Organization.objects.get_first_root_node()  # type: ignore[attr-defined,no-any-return]


@access_rule(anywhere(Permission.VIEW_STATISTICS))
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The statistics of the viewer's highest organization."""
    prefixes = scope_of(request).prefixes(P.VIEW_STATISTICS)
    if not prefixes:
        raise Http404
    top = Organization.objects.filter(path__in=[p for p in prefixes if p]).order_by("depth", "path").first()
    top = top or _root()
    if top is None:
        raise Http404
    return redirect("reporting:org", org_id=top.pk)


@access_rule(within(Permission.VIEW_STATISTICS))
@login_required
def org_statistics(request: HttpRequest, org_id: int) -> HttpResponse:
    scope = scope_of(request)
    org = _org(request, org_id)
    snapshot = selectors.pick_snapshot(_on(request))
    context: dict[str, Any] = {
        "org": org,
        "snapshot": snapshot,
        "snapshots": selectors.snapshots_for_choice(),
        "parent": _parent_in_scope(scope, org),
        "may_recompute": access.may_recompute_from(scope, org),
        "may_list": access.may_list_people(scope, org),
        "may_export": access.may_list_people(scope, org) and scope.covers(P.EXPORT, org.path),
        "today": timezone.localdate(),
        "title": _("党内统计"),
    }
    if snapshot is not None:
        headers = {k: figures()[k].label for k in CHILD_COLUMNS}
        values = selectors.figures_of(snapshot, [org.pk])[org.pk]
        last_closing = selectors.year_end_closing(org, snapshot.on.year - 1)
        page, children = selectors.children_page(snapshot, org, request.GET.get("page"))
        explain = (
            reverse("reporting:explain", args=[org.pk, "__key__"]) + f"?on={snapshot.on:%Y-%m-%d}"
            if context["may_list"]
            else ""
        )
        context.update(
            tables=_tables(values, explain),
            failures=rules.check(values, last_closing=last_closing),
            children=[(child, [(headers[k], v.get(k, 0)) for k in CHILD_COLUMNS]) for child, v in children],
            child_headers=list(headers.values()),
            page=page,
            query_string=f"on={snapshot.on:%Y-%m-%d}",
        )
    return render(request, "reporting/org.html", context)


def _parent_in_scope(scope: Any, org: Organization) -> Organization | None:
    if org.depth <= 1:
        return None
    parent = Organization.objects.filter(path=org.path[: -Organization.steplen]).first()
    return parent if parent is not None and access.may_view(scope, parent) else None


def _tables(values: dict[str, int], explain: str = "") -> list[dict[str, Any]]:
    """The six tables' rows as (key, label, value, link to the people counted or ""): ``explain`` is the
    explanation URL with ``__key__`` for the figure (reversed once, not once per cell)."""
    shown = figures()
    return [
        {
            "key": table.key,
            "title": table.title,
            "sections": [
                {
                    "title": s.title,
                    "rows": [
                        (
                            k,
                            shown[k].label,
                            values.get(k, 0),
                            explain.replace("__key__", k) if explain and values.get(k, 0) else "",
                        )
                        for k in s.keys
                    ],
                }
                for s in table.sections
            ],
        }
        for table in tables()
    ]


def _cell(request: HttpRequest, org_id: int, key: str) -> tuple[Organization, Snapshot, str]:
    org = _org(request, org_id)
    if key not in definitions() or not access.may_list_people(scope_of(request), org):
        raise Http404
    snapshot = selectors.pick_snapshot(_on(request))
    if snapshot is None:
        raise Http404
    return org, snapshot, key


@access_rule(within(Permission.VIEW_STATISTICS))
@login_required
def explain(request: HttpRequest, org_id: int, key: str) -> HttpResponse:
    """The people (or organizations) one cell counts, within the viewer's scope."""
    org, snapshot, key = _cell(request, org_id, key)
    rows = selectors.counted(snapshot, org, key)
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    changes = {k.split("_", 1)[1]: label for k, label in (*CHANGE_INCREASES, *CHANGE_DECREASES)}
    for row in page:
        row.changes = " / ".join(  # type: ignore[attr-defined]
            str(changes[c])
            for c in (getattr(row, "in_kind", ""), getattr(row, "out_kind", ""))
            if c in changes
        )
    return render(
        request,
        "reporting/explain.html",
        {
            "org": org,
            "snapshot": snapshot,
            "key": key,
            "figure": figures()[key],
            "side": definitions()[key].side,
            "page": page,
            "query_string": f"on={snapshot.on.isoformat()}",
            "may_export": scope_of(request).covers(P.EXPORT, org.path),
            "title": _("统计数据明细"),
        },
    )


@access_rule(within(Permission.EXPORT))
@login_required
def explain_export(request: HttpRequest, org_id: int, key: str) -> FileResponse:
    org, snapshot, key = _cell(request, org_id, key)
    if not scope_of(request).covers(P.EXPORT, org.path):
        raise Http404
    side = definitions()[key].side
    rows = selectors.counted(snapshot, org, key)
    if side == "org":
        headers = [_("党组织"), _("组织类型"), _("组织类别")]
        data: Any = (
            (r.organization.name, r.organization.get_kind_display(), r.category) for r in rows.iterator()
        )
    else:
        org_field = "org_close" if side == "close" else "org_open"
        headers = [_("姓名"), _("性别"), _("当时所在党组织"), _("政治面貌"), _("年龄")]
        data = (
            (
                r.person.name,
                r.person.get_gender_display(),
                getattr(getattr(r, org_field), "name", ""),
                r.status_close,
                r.age if r.age is not None else "",
            )
            for r in rows.iterator(chunk_size=2000)
        )
    label = figures()[key].label
    return export_response(
        request,
        action="reporting.explain_export",
        filename=f"统计明细-{org.display_name}-{label}-{snapshot.on.isoformat()}.xlsx",
        headers=headers,
        rows=data,
        org=org,
        target=snapshot,
    )


@access_rule(within(Permission.EXPORT))
@login_required
def org_export(request: HttpRequest, org_id: int) -> FileResponse:
    """The tables of the organization and of each organization right under it, one column each."""
    org = _org(request, org_id)
    if not scope_of(request).covers(P.EXPORT, org.path):
        raise Http404
    snapshot = selectors.pick_snapshot(_on(request))
    if snapshot is None:
        raise Http404
    children = selectors.children_figures(snapshot, org)
    total = selectors.figures_of(snapshot, [org.pk])[org.pk]
    shown = figures()
    rows = (
        [str(table.title), str(section.title), str(shown[key].label), total.get(key, 0)]
        + [values.get(key, 0) for _child, values in children]
        for table in tables()
        for section in table.sections
        for key in section.keys
    )
    return export_response(
        request,
        action="reporting.export",
        filename=f"党内统计-{org.display_name}-{snapshot.on.isoformat()}.xlsx",
        headers=[_("表"), _("分组"), _("指标"), _("合计")] + [c.display_name for c, _v in children],
        rows=rows,
        org=org,
        target=snapshot,
    )


# The whole tree is recomputed: only whoever reviews returns at the root (a college's organizer is 404).
@access_rule(anywhere(Permission.REVIEW_RETURNS, college_organizer=NOT_FOUND, outsider_organizer=NOT_FOUND))
@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Start computing the snapshot of a date (today by default) as a background job."""
    scope = scope_of(request)
    if not access.may_recompute(scope, _root()):
        raise Http404
    try:
        on = (
            date.fromisoformat(request.POST.get("on", "")) if request.POST.get("on") else timezone.localdate()
        )
        job = jobs.snapshot_job_start(user=request.user, on=on)
    except (ValueError, DomainError) as error:
        messages.error(request, getattr(error, "message", "") or _("请填写正确的统计时点(年-月-日)"))
        return redirect(reverse("reporting:index"))
    messages.success(request, _("已开始计算 %(on)s 的统计，完成后即可查看") % {"on": on.isoformat()})
    return redirect("jobs:detail", job_id=job.pk)
