"""组织生活 statistics pages (/orglife/stats/): the compliance matrix, attendance, 党课 by secretaries
and leading cadres with 双重组织生活, the absence warnings, and their Excel exports. Everything is read
through the scope of VIEW_ORGLIFE (branch and above); handling a warning needs MANAGE_ORGLIFE and an
export the EXPORT permission over the org."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.models import Organization, OrgKind
from dangjian.core.selectors import org_from_query
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.dates import add_months
from dangjian.kit.errors import DomainError
from dangjian.kit.paginator import CappedPaginator
from dangjian.orglife import access
from dangjian.orglife.compliance import exports, services, stats, warnings
from dangjian.orglife.compliance.forms import HandleForm
from dangjian.orglife.models import Meeting, MeetingKind, WarningStatus
from dangjian.orglife.pages import state_form_page
from dangjian.policy import get_policy

P = Permission
PICKER_LIMIT = 300


def _org(request: ScopedRequest) -> Organization:
    return org_from_query(request.scope, request.GET.get("org"), P.VIEW_ORGLIFE)


def _year(request: ScopedRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _picker(request: ScopedRequest, org: Organization) -> list[Organization]:
    """The orgs to switch to (one query): the scope's roots, the org's ancestors within the scope and
    its children that are not 党小组 — bounded, so a school-wide scope is not a 3,000-line select."""
    from django.db.models import Q

    scope = request.scope
    step = Organization.steplen
    ancestors = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    prefixes = [p for p in scope.prefixes(P.VIEW_ORGLIFE) if p]
    near = Q(path__in=ancestors + prefixes) | Q(path__startswith=org.path, depth=org.depth + 1)
    if "" in scope.prefixes(P.VIEW_ORGLIFE):
        near |= Q(depth=1)
    qs = (
        Organization.objects.filter(near, scope.q(P.VIEW_ORGLIFE, "path"))
        .exclude(kind=OrgKind.GROUP)
        .only("pk", "name", "short_name", "path", "depth", "kind")
        .order_by("path")
    )
    return list(qs[:PICKER_LIMIT])


def _context(request: ScopedRequest, org: Organization, year: int, **extra: Any) -> dict[str, Any]:
    this_year = timezone.localdate().year
    return {
        "org": org,
        "year": year,
        "years": list(range(this_year + 1, this_year - 6, -1)),
        "picker": _picker(request, org),
        "query_string": f"org={org.pk}&year={year}",
        **extra,
    }


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def matrix(request: ScopedRequest) -> HttpResponse:
    """Branches × months, red / yellow / green, each cell opening the branch's meetings of that month."""
    org = _org(request)
    year = _year(request)
    today = timezone.localdate()
    page = CappedPaginator(stats.matrix_branches(org), 50).get_page(request.GET.get("page"))
    rows = stats.compliance_matrix(page.object_list, year, today)
    months = [date(year, m, 1) for m in range(1, 13)]
    return render(
        request,
        "orglife/stats/matrix.html",
        _context(
            request,
            org,
            year,
            title=_("组织生活达标情况"),
            page=page,
            rows=rows,
            months=months,
            frequencies=[
                (MeetingKind(k).label, stats.PERIOD_LABELS[per], n)
                for k, per, n in get_policy().orglife_frequencies
            ],
            can_export=access.may_export(request.scope, org),
        ),
    )


def _month(value: Any) -> date:
    try:
        year, month = (int(x) for x in str(value).split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise Http404 from None


def _branch(request: ScopedRequest, org_id: Any, perm: Permission) -> Organization:
    from dangjian.core.selectors import get_org_for

    org = get_org_for(request.scope, org_id, perm)
    if org.kind != OrgKind.BRANCH:
        raise Http404
    return org


@access_rule(within(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def cell(request: ScopedRequest) -> HttpResponse:
    """One cell of the matrix: what the branch is short of that month, its meetings, and 提醒支部."""
    branch = _branch(request, request.GET.get("org"), P.VIEW_ORGLIFE)
    month = _month(request.GET.get("month"))
    today = timezone.localdate()
    judged = stats.branch_month(branch, month, today)
    meetings = list(
        Meeting.objects.filter(organization=branch, date__gte=month, date__lt=add_months(month, 1))
        .select_related("organization")
        .order_by("date", "start_time")[:50]
    )
    return render(
        request,
        "orglife/stats/cell.html",
        {
            "title": _("%(b)s %(m)s 组织生活") % {"b": branch.display_name, "m": f"{month:%Y-%m}"},
            "org": branch,
            "month": month,
            "cell": judged,
            "meetings": meetings,
            "can_remind": bool(judged.missing or judged.due) and access.may_review(request.scope, branch),
        },
    )


@access_rule(within(Permission.REVIEW_ORGLIFE))
@login_required
@require_POST
def remind(request: ScopedRequest) -> HttpResponse:
    """提醒支部: a notice to the branch's secretaries (once per branch, month and day)."""
    branch = _branch(request, request.POST.get("org"), P.REVIEW_ORGLIFE)
    month = _month(request.POST.get("month"))
    back = reverse("orglife:stats_cell") + f"?org={branch.pk}&month={month:%Y-%m}"
    try:
        sent = services.branch_remind(actor=request.user, scope=request.scope, branch=branch, month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if sent:
            messages.success(request, _("已提醒支部书记（%(n)s 人）") % {"n": sent})
        else:
            messages.info(request, _("今天已提醒过该支部，未重复发送"))
    return redirect(back)


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def attendance(request: ScopedRequest) -> HttpResponse:
    """A branch: each member's attendance and 主题党日 participation. Above: each branch's rate."""
    org = _org(request)
    year = _year(request)
    start, end = date(year, 1, 1), date(year, 12, 31)
    total = stats.rate_of(org, start, end)
    if org.kind == OrgKind.BRANCH:
        page = CappedPaginator(stats.branch_members(org), 30).get_page(request.GET.get("page"))
        rates = stats.rates_by_member(org, [m.person_id for m in page.object_list], start, end)
        lines = [(m.person.name, m, rates.get(m.person_id, stats.Rate())) for m in page.object_list]
    else:
        page = CappedPaginator(stats.matrix_branches(org), 50).get_page(request.GET.get("page"))
        rates = stats.rates_by_branch([b.pk for b in page.object_list], start, end)
        lines = [(b.name, b, rates.get(b.pk, stats.Rate())) for b in page.object_list]
    return render(
        request,
        "orglife/stats/attendance.html",
        _context(
            request,
            org,
            year,
            title=_("出勤统计"),
            page=page,
            lines=lines,
            total=total,
            per_member=org.kind == OrgKind.BRANCH,
            can_export=access.may_export(request.scope, org),
        ),
    )


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def lectures(request: ScopedRequest) -> HttpResponse:
    """党课 given by branch secretaries (at least the policy's number a year), and leading cadres'
    党课 and attendance at their 双重组织生活 branch."""
    org = _org(request)
    year = _year(request)
    start, end = date(year, 1, 1), date(year, 12, 31)
    tab = "cadres" if request.GET.get("tab") == "cadres" else "secretaries"
    need = get_policy().orglife_secretary_lectures_per_year
    on = min(end, timezone.localdate())
    if tab == "secretaries":
        page = CappedPaginator(stats.secretaries_under(org, on), 50).get_page(request.GET.get("page"))
        given = stats.lectures_by_speaker([p.person_id for p in page.object_list], start, end)
        lines: list[Any] = [(p, given.get(p.person_id, 0), None) for p in page.object_list]
    else:
        page = CappedPaginator(stats.leading_cadres_under(org), 50).get_page(request.GET.get("page"))
        cadres = list(page.object_list)
        given = stats.lectures_by_speaker([c.person_id for c in cadres], start, end)
        dual = stats.dual_life_rates(cadres, start, end)
        lines = [(c, given.get(c.person_id, 0), dual.get(c.person_id, stats.Rate())) for c in cadres]
    context = _context(
        request, org, year, title=_("党课与双重组织生活"), page=page, lines=lines, tab=tab, need=need
    )
    context["query_string"] += f"&tab={tab}"
    return render(request, "orglife/stats/lectures.html", context)


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def warnings_list(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    org = _org(request)
    status = request.GET.get("status", "") if request.GET.get("status") in WarningStatus.values else ""
    qs = warnings.warnings_visible_to(scope).filter(branch__path__startswith=org.path)
    if status:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-raised_at", "-id"), 30).get_page(request.GET.get("page"))
    context = _context(
        request,
        org,
        _year(request),
        title=_("连续未参加组织生活预警"),
        page=page,
        status=status,
        statuses=WarningStatus.choices,
        months=get_policy().orglife_absence_warning_months,
        lines=[(w, access.may_handle_warning(scope, w)) for w in page.object_list],
    )
    context["query_string"] = f"org={org.pk}&status={status}"
    return render(request, "orglife/stats/warnings.html", context)


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def warning_handle(request: ScopedRequest, warning_id: int) -> HttpResponse:
    scope = request.scope
    warning = warnings.get_warning_for(scope, warning_id, P.MANAGE_ORGLIFE)
    form = HandleForm(request.POST or None)
    return state_form_page(
        request,
        form,
        state=warning.status,
        back=reverse("orglife:stats_warnings") + f"?org={warning.branch_id}",
        action=lambda d, seen: warnings.absence_warning_handle(
            actor=request.user, scope=scope, warning=warning, note=d["note"], expected_status=seen
        ),
        success=_("已记录处理情况"),
        next_url=reverse("orglife:stats_warnings") + f"?org={warning.branch_id}",
        context={
            "title": _("处理预警：%(name)s") % {"name": warning.person.name},
            "help": _("%(name)s 在 %(s)s 至 %(e)s 期间连续未参加组织生活（缺席 %(n)s 次，无请假）。")
            % {
                "name": warning.person.name,
                "s": f"{warning.window_start:%Y-%m}",
                "e": f"{warning.window_end:%Y-%m}",
                "n": warning.missed,
            },
        },
    )


# ---- exports ------------------------------------------------------------------------------------------


def _export_org(request: ScopedRequest) -> Organization:
    """The org of an export, if the viewer may export there (else 404, like any org out of scope)."""
    org = _org(request)
    if not access.may_export(request.scope, org):
        raise Http404
    return org


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def matrix_export(request: ScopedRequest) -> FileResponse:
    year = _year(request)
    org = _export_org(request)
    return export_response(
        request,
        action="orglife.export.matrix",
        filename=f"orglife-matrix-{org.code}-{year}.xlsx",
        headers=exports.matrix_headers(year),
        rows=exports.matrix_rows(org, year, timezone.localdate()),
        org=org,
    )


def _period(request: ScopedRequest) -> tuple[date, date, str]:
    """A month (``month=YYYY-MM``) or else the year."""
    from dangjian.kit.dates import add_months

    value = request.GET.get("month", "")
    try:
        y, m = value.split("-")
        first = date(int(y), int(m), 1)
        return first, date.fromordinal(add_months(first, 1).toordinal() - 1), f"{first:%Y%m}"
    except (ValueError, TypeError):
        year = _year(request)
        return date(year, 1, 1), date(year, 12, 31), str(year)


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def meetings_export(request: ScopedRequest) -> FileResponse:
    start, end, label = _period(request)
    org = _export_org(request)
    return export_response(
        request,
        action="orglife.export.meetings",
        filename=f"orglife-meetings-{org.code}-{label}.xlsx",
        headers=exports.meeting_headers(),
        rows=exports.meeting_rows(org, start, end),
        org=org,
    )


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
@requires(P.VIEW_ORGLIFE)
def attendance_export(request: ScopedRequest) -> FileResponse:
    start, end, label = _period(request)
    org = _export_org(request)
    if org.kind != OrgKind.BRANCH:  # the page lists the branches, so does the file
        headers, rows = exports.branch_headers(), exports.branch_rows(org, start, end)
    else:
        headers, rows = exports.member_headers(), exports.member_rows(org, start, end)
    return export_response(
        request,
        action="orglife.export.attendance",
        filename=f"orglife-attendance-{org.code}-{label}.xlsx",
        headers=headers,
        rows=rows,
        org=org,
    )
