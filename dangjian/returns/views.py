"""数据报送 pages: the list (to fill, to review), designing a table, opening it, its status per
organization with the review actions and the consolidated Excel, and the fill form (stacked on a phone)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_recorded, export_response, live_filters
from dangjian.core.models import Organization
from dangjian.kit.access_rules import NOT_FOUND, access_rule, anywhere, within
from dangjian.kit.errors import DomainError, StaleState
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.kit.xlsx import text_row
from dangjian.returns import access, annual, rules, selectors, services
from dangjian.returns.forms import DesignForm, FieldForm, ReasonForm, ReopenForm, TargetsForm, YearForm
from dangjian.returns.models import FILLABLE, Assignment, AssignmentStatus, FieldType, ReturnStatus
from dangjian.returns.selectors import is_overdue, status_label

P = Permission


def _locked(request: HttpRequest, ret: Any) -> HttpResponse | None:
    """A write to a locked annual return: 409 with the reason on the page (the services refuse it too)."""
    if request.method == "POST" and ret.status == ReturnStatus.LOCKED:
        return render(
            request,
            "returns/locked.html",
            {"ret": ret, "message": services.locked_message(ret), "title": ret.title},
            status=409,
        )
    return None


# ---------------------------------------------------------------- list


@access_rule(anywhere(P.FILL_RETURNS))
@login_required
def return_list(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not scope.has(P.FILL_RETURNS):
        raise Http404
    today = timezone.localdate()
    to_fill = CappedPaginator(selectors.assignments_to_fill(scope), 30).get_page(request.GET.get("fpage"))
    for a in to_fill:
        a.label = status_label(a)  # type: ignore[attr-defined]
        a.overdue = is_overdue(a, today)  # type: ignore[attr-defined]
    reviewed = CappedPaginator(selectors.returns_reviewed_by(scope), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "returns/list.html",
        {
            "to_fill": to_fill,
            "page": reviewed,
            "can_design": scope.has(P.REVIEW_RETURNS),
            "can_open_annual": scope.covers(P.REVIEW_RETURNS, _root_path()),
            "title": _("数据报送"),
        },
    )


# ---------------------------------------------------------------- design


@access_rule(anywhere(P.REVIEW_RETURNS))
@login_required
def return_new(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not scope.has(P.REVIEW_RETURNS):
        raise Http404
    designers = selectors.designers_for(scope)
    form = DesignForm(request.POST or None, designers=designers, initial={"designer": designers.first()})
    return service_form_page(
        request,
        form,
        action=lambda d: services.return_create(
            actor=request.user,
            scope=scope,
            designer=d["designer"],
            title=d["title"],
            instructions=d["instructions"],
            rows_per=d["rows_per"],
            deadline=d["deadline"],
        ),
        success=_("报表已创建，请添加字段"),
        next_url=lambda r: reverse("returns:detail", args=[r.pk]),
        context={"title": _("设计报表")},
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def return_edit(request: ScopedRequest, return_id: int) -> HttpResponse:
    ret = selectors.get_return_for(request.scope, return_id)
    if (refused := _locked(request, ret)) is not None:
        return refused
    initial = {
        "title": ret.title,
        "instructions": ret.instructions,
        "rows_per": ret.rows_per,
        "deadline": ret.deadline,
    }
    form = DesignForm(request.POST or None, initial=initial, state=ret.status)
    return service_form_page(
        request,
        form,
        action=lambda d: services.return_update(
            actor=request.user,
            scope=request.scope,
            ret=ret,
            expected_status=posted_state(request),
            title=d["title"],
            instructions=d["instructions"],
            rows_per=d["rows_per"],
            deadline=d["deadline"],
        ),
        success=_("已保存"),
        next_url=reverse("returns:detail", args=[ret.pk]),
        context={"title": _("修改报表：%(t)s") % {"t": ret.title}},
        state=ret.status,
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def field_add(request: ScopedRequest, return_id: int) -> HttpResponse:
    from dangjian.reporting.figures import figure_choices

    ret = selectors.get_return_for(request.scope, return_id)
    if (refused := _locked(request, ret)) is not None:
        return refused
    numbers = [(f.key, f.label) for f in selectors.fields_of(ret) if f.type == FieldType.NUMBER]
    form = FieldForm(request.POST or None, numbers=numbers, figures=figure_choices())

    def add(d: dict[str, Any]) -> Any:
        return services.field_add(
            actor=request.user,
            scope=request.scope,
            ret=ret,
            label=d["label"],
            type=d["type"],
            required=d["required"],
            min_value=d["min_value"],
            max_value=d["max_value"],
            choices=(d["choices"] or "").splitlines(),
            sum_of=d["sum_of"],
            figure=d["figure"],
        )

    return service_form_page(
        request,
        form,
        action=add,
        success=_("已添加字段"),
        next_url=reverse("returns:detail", args=[ret.pk]),
        context={"title": _("添加字段：%(t)s") % {"t": ret.title}},
    )


def _act(
    request: HttpRequest, back: str, action: Callable[[], Any], success: str | Callable[[Any], str]
) -> HttpResponse:
    """A one-button step: the service refuses a stale or wrong state with a message."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(back)


@access_rule(within(P.REVIEW_RETURNS))
@login_required
@require_POST
def field_remove(request: ScopedRequest, field_id: int) -> HttpResponse:
    field = selectors.get_field_for(request.scope, field_id)
    if (refused := _locked(request, field.ret)) is not None:
        return refused
    return _act(
        request,
        reverse("returns:detail", args=[field.ret_id]),
        lambda: services.field_remove(
            actor=request.user, scope=request.scope, field=field, expected_status=posted_state(request)
        ),
        _("已删除字段"),
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def return_open(request: ScopedRequest, return_id: int) -> HttpResponse:
    ret = selectors.get_return_for(request.scope, return_id)
    if (refused := _locked(request, ret)) is not None:
        return refused
    targets = selectors.targets_of(ret.designer)
    form = TargetsForm(request.POST or None, candidates=targets.all, state=ret.status)

    def open_(d: dict[str, Any]) -> Any:
        chosen = {"branches": targets.branches, "children": targets.children}.get(d["targets"])
        if chosen is None:
            picked = set(d["picked"])
            chosen = [o for o in targets.all if str(o.pk) in picked]
        return services.return_open(
            actor=request.user,
            scope=request.scope,
            ret=ret,
            organizations=chosen,
            expected_status=posted_state(request),
        )

    return service_form_page(
        request,
        form,
        action=open_,
        success=lambda a: _("已发布给 %(n)s 个组织") % {"n": len(a)},
        next_url=reverse("returns:detail", args=[ret.pk]),
        context={
            "title": _("发布报表：%(t)s") % {"t": ret.title},
            "help": _("发布后各组织的书记和组织员会收到通知，报表设计不能再修改。"),
        },
        state=ret.status,
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
@require_POST
def return_close(request: ScopedRequest, return_id: int) -> HttpResponse:
    ret = selectors.get_return_for(request.scope, return_id)
    if (refused := _locked(request, ret)) is not None:
        return refused
    return _act(
        request,
        reverse("returns:detail", args=[ret.pk]),
        lambda: services.return_close(
            actor=request.user, scope=request.scope, ret=ret, expected_status=posted_state(request)
        ),
        _("已结束填报"),
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
@require_POST
def return_remind(request: ScopedRequest, return_id: int) -> HttpResponse:
    ret = selectors.get_return_for(request.scope, return_id)
    if (refused := _locked(request, ret)) is not None:
        return refused
    return _act(
        request,
        reverse("returns:detail", args=[ret.pk]),
        lambda: services.return_remind(actor=request.user, scope=request.scope, ret=ret),
        lambda n: _("已催报 %(n)s 个组织（今天已催过的不再重复）") % {"n": n},
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def return_detail(request: ScopedRequest, return_id: int) -> HttpResponse:
    """A draft's design; once opened, its status per organization (a page at a time: a school-wide return
    has thousands) with the review actions. The annual return's school total loads on its own
    (``annual_total``): it reads every organization's figures."""
    ret = selectors.get_return_for(request.scope, return_id)
    today = timezone.localdate()
    counts = selectors.status_counts(ret)
    page = CappedPaginator(selectors.status_page(ret), 50).get_page(request.GET.get("page"))
    for a in page:
        a.ret = ret  # the same object: no query per row
        a.label = status_label(a)  # type: ignore[attr-defined]
        a.overdue = is_overdue(a, today)  # type: ignore[attr-defined]
    total = sum(counts.values())
    return render(
        request,
        "returns/detail.html",
        {
            "ret": ret,
            "fields": selectors.fields_of(ret),
            "assignments": page,
            "page": page,
            "total": total,
            "counts": counts,
            "overdue": selectors.overdue_count(ret, today),
            "unsubmitted": sum(n for status, n in counts.items() if status in FILLABLE),
            "today": today,
            "all_accepted": total > 0 and counts.get(AssignmentStatus.ACCEPTED, 0) == total,
            "title": ret.title,
        },
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def annual_total(request: ScopedRequest, return_id: int) -> HttpResponse:
    """The annual return's school total and its checks (a partial the detail page loads)."""
    ret = selectors.get_return_for(request.scope, return_id)
    if not ret.is_annual:
        raise Http404
    school_total = annual.school_total(ret, selectors.figures_of_all(ret))
    return render(request, "returns/_school_total.html", {"ret": ret, "school_total": school_total})


def _number(text: str) -> Decimal | None:
    return rules.parse_number(text) if text else None


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def return_export(request: ScopedRequest, return_id: int) -> FileResponse:
    """Every row of every organization, a column per field, a totals row for the number fields."""
    ret = selectors.get_return_for(request.scope, return_id)
    if ret.is_annual:
        return _annual_export(request, ret)
    fields = selectors.fields_of(ret)
    assignments = {a.pk: a for a in selectors.status_of(ret)}
    headers = [_("组织"), _("状态")]
    if ret.rows_per == "member":
        headers.append(_("姓名"))
    headers += [f.label for f in fields]
    totals: dict[str, Decimal] = {f.key: Decimal(0) for f in fields if f.type == FieldType.NUMBER}

    def rows() -> Any:
        for row in selectors.consolidated_rows(ret):
            assignment = assignments[row.assignment_id]
            files = {f.key: f.name for f in row.files.all()}
            line: list[Any] = [assignment.organization.name, status_label(assignment)]
            if ret.rows_per == "member":
                line.append(row.person.name if row.person else "")
            for f in fields:
                text = str(row.values.get(f.key, ""))
                if f.type == FieldType.NUMBER:
                    number = _number(text)
                    if number is not None:
                        totals[f.key] += number
                    line.append(number if number is not None else text)
                elif f.type == FieldType.FILE:
                    line.append(files.get(f.key, ""))
                else:
                    line.append(text)
            yield line
        total_line: list[Any] = [_("合计"), ""] + ([""] if ret.rows_per == "member" else [])
        total_line += [totals.get(f.key, "") for f in fields]
        yield total_line

    return export_response(
        request,
        action="returns.export",
        filename=f"{ret.title}.xlsx",
        headers=headers,
        rows=rows(),
        org=ret.designer,
        target=ret,
    )


# ---------------------------------------------------------------- fill


def _posted_values(
    request: HttpRequest, rows: list[Any], fields: list[Any]
) -> tuple[dict[int, dict[str, str]], dict[tuple[int, str], Any]]:
    values: dict[int, dict[str, str]] = {}
    uploads: dict[tuple[int, str], Any] = {}
    for row in rows:
        typed: dict[str, str] = {}
        for f in fields:
            name = f"r{row.pk}_{f.key}"
            if f.type == FieldType.FILE:
                if name in request.FILES:
                    uploads[(row.pk, f.key)] = request.FILES[name]
            elif name in request.POST:
                typed[f.key] = request.POST[name]
        values[row.pk] = typed
    return values, uploads


@access_rule(within(P.FILL_RETURNS))
@login_required
def assignment_fill(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    """The table of one organization: editable while it may be filled, read-only once submitted (and for
    the reviewer, who finds the return and accept buttons here)."""
    scope = request.scope
    assignment = selectors.get_assignment_for(scope, assignment_id)
    ret = assignment.ret
    if request.method == "POST" and not access.fills_at(scope, assignment.organization):
        raise Http404
    if (refused := _locked(request, ret)) is not None:
        return refused
    if ret.is_annual:
        return _annual_fill(request, assignment)
    fields = selectors.fields_of(ret)
    rows = selectors.rows_of(assignment)
    errors: list[str] = []
    posted: dict[int, dict[str, str]] = {}
    status = 200
    if request.method == "POST":
        if not access.fills_at(scope, assignment.organization):
            raise Http404
        posted, uploads = _posted_values(request, rows, fields)
        submit = request.POST.get("submit") == "1"
        try:
            services.assignment_fill(
                actor=request.user,
                scope=scope,
                assignment=assignment,
                values=posted,
                uploads=uploads,
                expected_status=posted_state(request),
                submit=submit,
            )
        except services.CellErrors as exc:
            errors = [e.message for e in exc.errors]
        except (DomainError, ValidationError) as exc:
            errors = [getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))]
            if isinstance(exc, StaleState):
                status = exc.status
        else:
            messages.success(request, _("已提交") if submit else _("已暂存"))
            return redirect("returns:fill", assignment.pk)
    editable = access.may_fill(scope, assignment)
    cells = []
    for row in rows:
        files = {f.key: f for f in row.files.all()}
        typed = posted.get(row.pk, {})
        cells.append(
            {
                "row": row,
                "label": row.person.name if row.person else assignment.organization.name,
                "cells": [
                    {
                        "field": f,
                        "name": f"r{row.pk}_{f.key}",
                        "value": typed.get(f.key, row.values.get(f.key, "")),
                        "file": files.get(f.key),
                    }
                    for f in fields
                ],
            }
        )
    reviewer = access.may_review(scope, ret)
    return render(
        request,
        "returns/fill.html",
        {
            "assignment": assignment,
            "ret": ret,
            "fields": fields,
            "table": cells,
            "errors": errors,
            "editable": editable,
            "expected": posted_state(request) if request.method == "POST" else assignment.status,
            "label": status_label(assignment),
            "overdue": is_overdue(assignment, timezone.localdate()),
            "can_decide": reviewer and access.may_decide(scope, assignment),
            "can_remind": reviewer and access.may_remind(scope, assignment),
            "reviewer": reviewer,
            "title": ret.title,
        },
        status=status,
    )


@access_rule(within(P.FILL_RETURNS))
@login_required
def row_file(request: ScopedRequest, file_id: int) -> FileResponse:
    item = selectors.get_file_for(request.scope, file_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


# ---------------------------------------------------------------- review


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def assignment_return(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.scope, assignment_id, review=True)
    if (refused := _locked(request, assignment.ret)) is not None:
        return refused
    if request.method != "POST" and not access.may_decide(request.scope, assignment):
        raise Http404
    return service_form_page(
        request,
        ReasonForm(request.POST or None, state=assignment.status),
        action=lambda d: services.assignment_return(
            actor=request.user,
            scope=request.scope,
            assignment=assignment,
            reason=d["reason"],
            expected_status=posted_state(request),
        ),
        success=_("已退回"),
        next_url=reverse("returns:detail", args=[assignment.ret_id]),
        context={
            "title": _("退回：%(o)s") % {"o": assignment.organization.name},
            "danger": True,
        },
        state=assignment.status,
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
@require_POST
def assignment_accept(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.scope, assignment_id, review=True)
    if (refused := _locked(request, assignment.ret)) is not None:
        return refused
    return _act(
        request,
        reverse("returns:detail", args=[assignment.ret_id]),
        lambda: services.assignment_accept(
            actor=request.user,
            scope=request.scope,
            assignment=assignment,
            expected_status=posted_state(request),
        ),
        _("已通过"),
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
@require_POST
def assignment_remind(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.scope, assignment_id, review=True)
    if (refused := _locked(request, assignment.ret)) is not None:
        return refused
    return _act(
        request,
        reverse("returns:detail", args=[assignment.ret_id]),
        lambda: services.assignment_remind(actor=request.user, scope=request.scope, assignment=assignment),
        lambda sent: _("已催报") if sent else _("今天已催报过，不再重复发送"),
    )


# ---------------------------------------------------------------- the annual return (党内统计年报)


def _root_path() -> str:
    root = Organization.objects.get_root_nodes().only("path").first()
    return root.path if root is not None else "~"


def _school_reviewer(request: ScopedRequest) -> Any:
    root = Organization.objects.get_root_nodes().first()
    if root is None or not access.may_design(request.scope, root):
        raise Http404
    return root


@access_rule(anywhere(P.REVIEW_RETURNS, college_organizer=NOT_FOUND, outsider_organizer=NOT_FOUND))
@login_required
def annual_new(request: ScopedRequest) -> HttpResponse:
    """The school opens year Y's return (Y defaults to last year: the return is filed in January)."""
    _school_reviewer(request)
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    return service_form_page(
        request,
        form,
        action=lambda d: annual.annual_open(actor=request.user, scope=request.scope, year=d["year"]),
        success=_("年报已发起"),
        next_url=lambda r: reverse("returns:detail", args=[r.pk]),
        context={
            "title": _("发起党内统计年报"),
            "help": _("各院系党组织将收到以 12 月 31 日统计快照预填的年报。每年只能发起一次。"),
        },
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
@require_POST
def annual_lock(request: ScopedRequest, return_id: int) -> HttpResponse:
    ret = selectors.get_return_for(request.scope, return_id)
    if (refused := _locked(request, ret)) is not None:
        return refused
    return _act(
        request,
        reverse("returns:detail", args=[ret.pk]),
        lambda: annual.annual_lock(
            actor=request.user, scope=request.scope, ret=ret, expected_status=posted_state(request)
        ),
        _("年报已锁定"),
    )


@access_rule(within(P.REVIEW_RETURNS))
@login_required
def annual_reopen(request: ScopedRequest, return_id: int) -> HttpResponse:
    ret = selectors.get_return_for(request.scope, return_id)
    return service_form_page(
        request,
        ReopenForm(request.POST or None, state=ret.status),
        action=lambda d: annual.annual_reopen(
            actor=request.user,
            scope=request.scope,
            ret=ret,
            reason=d["reason"],
            expected_status=posted_state(request),
        ),
        success=_("年报已重新开放"),
        next_url=reverse("returns:detail", args=[ret.pk]),
        context={"title": _("重新开放：%(t)s") % {"t": ret.title}, "danger": True},
        state=ret.status,
    )


def _annual_fill(request: ScopedRequest, assignment: Assignment) -> HttpResponse:
    """The annual return of one organization: every table, the snapshot's value beside each cell, an
    adjusted value with its reason (kept and shown to the reviewer)."""
    from dangjian.reporting.figures import tables

    scope = request.scope
    errors: list[str] = []
    status = 200
    posted: dict[str, tuple[str, str]] = {}
    if request.method == "POST":
        for key in (k[2:] for k in request.POST if k.startswith("v_")):
            posted[key] = (request.POST.get(f"v_{key}", ""), request.POST.get(f"why_{key}", ""))
        submit = request.POST.get("submit") == "1"
        try:
            annual.annual_fill(
                actor=request.user,
                scope=scope,
                assignment=assignment,
                cells=posted,
                expected_status=posted_state(request),
                submit=submit,
            )
        except DomainError as exc:
            errors = [exc.message]
            status = exc.status if isinstance(exc, StaleState | services.Locked) else 200
        else:
            messages.success(request, _("已提交") if submit else _("已暂存"))
            return redirect("returns:fill", assignment.pk)
    computed = assignment.computed or {}
    adjustments = assignment.adjustments or {}
    from dangjian.reporting.figures import figures

    catalogue = figures()
    sheet = []
    for table in tables():
        sections = []
        for section in table.sections:
            rows = []
            for key in section.keys:
                typed = posted.get(key)
                adjusted = adjustments.get(key)
                rows.append(
                    {
                        "key": key,
                        "label": catalogue[key].label,
                        "computed": int(computed.get(key, 0)),
                        "value": typed[0] if typed else (adjusted["value"] if adjusted else ""),
                        "reason": typed[1] if typed else (adjusted["reason"] if adjusted else ""),
                        "adjusted": adjusted,
                    }
                )
            sections.append({"title": section.title, "rows": rows})
        sheet.append({"title": table.title, "sections": sections})
    reviewer = access.may_review(scope, assignment.ret)
    return render(
        request,
        "returns/annual_fill.html",
        {
            "assignment": assignment,
            "ret": assignment.ret,
            "sheet": sheet,
            "errors": errors,
            "editable": access.may_fill(scope, assignment),
            "expected": posted_state(request) if request.method == "POST" else assignment.status,
            "label": status_label(assignment),
            "can_decide": reviewer and access.may_decide(scope, assignment),
            "reviewer": reviewer,
            "title": assignment.ret.title,
        },
        status=status,
    )


def _annual_export(request: ScopedRequest, ret: Any) -> FileResponse:
    """One sheet per table: its sections and figures as rows, a column per organization and the total."""
    from dangjian.reporting.figures import figures, tables

    assignments = selectors.status_of(ret)
    values = [annual.values_of(a) for a in assignments]
    school = annual.school_total(ret, assignments, check_last=False)
    own = school.own if school is not None else {}
    catalogue = figures()

    def rows() -> Any:
        for table in tables():
            for section in table.sections:
                for key in section.keys:
                    numbers = [v.get(key, 0) for v in values]
                    yield (
                        str(table.title),
                        str(section.title),
                        str(catalogue[key].label),
                        [*numbers, own.get(key, 0)],
                        sum(numbers) + own.get(key, 0),
                    )

    def write(counted: Any) -> FileResponse:
        import tempfile

        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheets: dict[str, Any] = {}
        header = [
            _("分组"),
            _("项目"),
            *[a.organization.name for a in assignments],
            _("学校党委直属"),
            _("全校合计"),
        ]
        for table_title, section, label, numbers, total in counted:
            sheet = sheets.get(table_title)
            if sheet is None:
                sheet = workbook.create_sheet(title=table_title[:31])
                sheet.append(header)
                sheets[table_title] = sheet
            sheet.append(text_row(sheet, [section, label, *numbers, total]))
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        workbook.save(spool)
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"{ret.title}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    return export_recorded(
        actor=request.user,
        action="returns.export",
        filters=live_filters(request),
        rows=rows(),
        write=write,
        org=ret.designer,
        target=ret,
    )


@access_rule(within(P.FILL_RETURNS))
@login_required
def annual_compare(request: ScopedRequest, assignment_id: int) -> HttpResponse:
    """This year against last year per figure of the organization (the annual return only)."""
    assignment = selectors.get_assignment_for(request.scope, assignment_id)
    groups = annual.comparison(assignment) if assignment.ret.is_annual else []
    return render(
        request,
        "returns/compare.html",
        {
            "assignment": assignment,
            "ret": assignment.ret,
            "groups": groups,
            "title": _("同比：%(o)s") % {"o": assignment.organization.name},
        },
    )
