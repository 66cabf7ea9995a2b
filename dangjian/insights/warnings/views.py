"""The pages of the 预警 centre (/insights/warnings/): the list with its counts and filters, its Excel,
one warning with 我来处理 and closing it with a note. Everything is read within HANDLE_WARNINGS; an
alert or organization outside answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.insights.models import Alert, AlertLevel, AlertStatus
from dangjian.insights.warnings import access, selectors, services
from dangjian.insights.warnings.forms import CloseForm, TakeForm
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.errors import DomainError, StaleState
from dangjian.kit.form_errors import add_service_error
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state

P = Permission
PAGE_SIZE = 30


def _centre_scope(request: HttpRequest) -> Any:
    scope = scope_of(request)
    if not scope.has(P.HANDLE_WARNINGS):
        raise Http404
    return scope


@access_rule(anywhere(Permission.HANDLE_WARNINGS))
@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    scope = _centre_scope(request)
    filters = selectors.parse_filters(scope, request.GET)
    found = selectors.chips(selectors.filtered(scope, filters, kinds=False))
    page = CappedPaginator(selectors.listed(scope, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    colleges = selectors.college_choices(scope)
    branches, more_branches = selectors.branch_choices(scope, filters.college)
    return render(
        request,
        "insights/warnings/list.html",
        {
            "title": _("预警中心"),
            "filters": filters,
            "chips": [
                (c, "?" + filters.query(source="" if c.source == filters.source else c.source)) for c in found
            ],
            "level_chips": [
                (code, label, n, "?" + filters.query(level="" if code == filters.level else code))
                for code, label, n in selectors.level_totals(found)
            ],
            "page": page,
            "labels": {s.code: str(s.label) for s in selectors.stored_sources()},
            "query_string": filters.query(),
            "filters_without_org": filters.query(college="", branch=""),
            "colleges": colleges,
            "branches": branches,
            "more_branches": more_branches,
            "level_choices": AlertLevel.choices,
            "source_choices": [(s.code, str(s.label)) for s in selectors.stored_sources()],
            "status_choices": selectors.STATUS_CHOICES,
            "counted": selectors.counted_sources(scope),
            "may_export": access.may_export(scope),
        },
    )


@access_rule(anywhere(Permission.HANDLE_WARNINGS))
@login_required
def warning_export(request: HttpRequest) -> FileResponse:
    """The filtered list as .xlsx (every matching row, not one page), audited with the filters."""
    scope = _centre_scope(request)
    if not access.may_export(scope):
        raise Http404
    filters = selectors.parse_filters(scope, request.GET)
    qs = selectors.listed(scope, filters).select_related("handled_by")
    cleared = _("已消除")
    rows = (
        (
            a.get_level_display(),
            selectors.source_label(a.source),
            a.summary,
            a.rule,
            a.organization.name,
            a.person.name if a.person else "",
            a.raised_on,
            a.last_seen_on,
            a.get_status_display() + (f"（{cleared} {a.cleared_on:%Y-%m-%d}）" if a.cleared_on else ""),
            getattr(a.handled_by, "display_name", "") or getattr(a.handled_by, "username", "") or "",
            a.handled_at.date() if a.handled_at else "",
            a.note,
        )
        for a in qs.iterator(chunk_size=2000)
    )
    headers = [
        _("级别"),
        _("类型"),
        _("情况"),
        _("依据"),
        _("责任组织"),
        _("人员"),
        _("预警日期"),
        _("最近发现"),
        _("状态"),
        _("处理人"),
        _("处理日期"),
        _("处理情况"),
    ]
    return export_response(
        request,
        action="insights.warnings_export",
        filename="warnings.xlsx",
        headers=headers,
        rows=rows,
        org=filters.org,
    )


def _detail(
    request: HttpRequest,
    alert: Alert,
    *,
    take_form: TakeForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    take_form = take_form or TakeForm(state=alert.status)
    close_form = close_form or CloseForm(state=alert.status)
    return render(
        request,
        "insights/warnings/alert.html",
        {
            "title": alert.summary,
            "alert": alert,
            "source": selectors.source_label(alert.source),
            "take_form": take_form,
            "close_form": close_form,
            "forms": [take_form, close_form],
            "may_take": alert.status == AlertStatus.OPEN,
            "may_close": alert.status in selectors.ACTIVE,
            "detail": [
                (str(k), v) for k, v in (alert.detail or {}).items() if not isinstance(v, dict | list)
            ],
        },
        status=status,
    )


@access_rule(within(Permission.HANDLE_WARNINGS))
@login_required
def warning_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _detail(request, selectors.get_alert_for(scope_of(request), alert_id))


def _act(request: HttpRequest, alert: Alert, form: Any, call: Any, success: str, slot: str) -> HttpResponse:
    """Run one step from the alert's page: back to it with a message, or the page again with the
    refusal beside the form (409 when someone acted first)."""
    status = 200
    if form.is_valid():
        try:
            call(form.cleaned_data, posted_state(request))
        except (DomainError, ValidationError) as exc:
            add_service_error(form, exc)
            if isinstance(exc, StaleState):
                status = exc.status
            alert.refresh_from_db()  # the page shows where the warning stands now
        else:
            messages.success(request, success)
            return redirect("insights:warning", alert.pk)
    return _detail(request, alert, status=status, **{slot: form})


@access_rule(within(Permission.HANDLE_WARNINGS))
@login_required
@require_POST
def warning_take(request: HttpRequest, alert_id: int) -> HttpResponse:
    scope = scope_of(request)
    alert = selectors.get_alert_for(scope, alert_id)
    return _act(
        request,
        alert,
        TakeForm(request.POST),
        lambda d, seen: services.alert_take(
            actor=request.user, scope=scope, alert=alert, expected_status=seen
        ),
        _("已认领，该预警处理中"),
        "take_form",
    )


@access_rule(within(Permission.HANDLE_WARNINGS))
@login_required
@require_POST
def warning_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    scope = scope_of(request)
    alert = selectors.get_alert_for(scope, alert_id)
    return _act(
        request,
        alert,
        CloseForm(request.POST),
        lambda d, seen: services.alert_close(
            actor=request.user, scope=scope, alert=alert, note=d.get("note") or "", expected_status=seen
        ),
        _("预警已关闭"),
        "close_form",
    )
