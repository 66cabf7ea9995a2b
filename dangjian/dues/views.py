"""Dues pages: reconciliation at every level, a member's dues, payments, reliefs, declarations, 我的党费."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.models import ON_ROLL_STANDINGS, Organization, OrgKind, Person
from dangjian.core.selectors import get_org_for, get_org_with_ancestors
from dangjian.dues import access, reconciliation, rules, selectors, services
from dangjian.dues.forms import (
    AssessmentForm,
    DecisionForm,
    DeclarationForm,
    LargePaymentForm,
    PaymentForm,
    ReasonForm,
    ReliefForm,
    SubmitForm,
)
from dangjian.dues.models import Declaration, Entry, MonthReport, Relief, ReportStatus
from dangjian.kit.access_rules import access_rule, anywhere, person, public, signed_in, within
from dangjian.kit.dates import add_months
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.pdf import pdf_response, render_pdf
from dangjian.kit.transitions import posted_state
from dangjian.policy import get_policy

P = Permission


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@access_rule(signed_in())
@login_required
def home(request: ScopedRequest) -> HttpResponse:
    roots = selectors.dues_scope_roots(request.scope)
    first = roots.first() if request.scope.has(P.VIEW_DUES) else None
    if first is None:
        return redirect("dues:me")
    return redirect("dues:org", first.pk)


@access_rule(within(Permission.VIEW_DUES))
@login_required
@requires(P.VIEW_DUES)
def org_page(request: ScopedRequest, org_id: int) -> HttpResponse:
    scope = request.scope
    org, breadcrumbs = get_org_with_ancestors(scope, org_id, P.VIEW_DUES)
    month = _month(request)
    report = selectors.report_of(org, month)
    is_branch = org.kind == OrgKind.BRANCH
    can_submit = access.may_submit(scope, org) and (report is None or report.status in ("open", "returned"))
    page: Any
    if is_branch:
        all_lines = selectors.member_lines(org, month)
        page = Paginator(all_lines, 50).get_page(request.GET.get("page"))
        lines = page.object_list
        # The branch's own entries are its whole ledger (they always land on the branch, never on a
        # 党小组), and every person with an entry of the month has a line: summed here, not queried again.
        ledger_total: Decimal | None = selectors.collected_total(all_lines)
        totals = selectors.branch_totals(report)
    else:  # a page of children first, then their totals: bounded whatever the number of children
        page = Paginator(selectors.direct_children_qs(org), 50).get_page(request.GET.get("page"))
        lines = selectors.child_lines(org, month, children=list(page.object_list))
        totals = selectors.org_totals(org, month)
        # The hand-up form's figure: what the branches' reports say was collected. Each is its branch's
        # ledger total, refreshed in the transaction of every entry, so this is the subtree's ledger
        # without summing a month of a province's entries (0.13 s at the school); the hand-up itself
        # still checks the amount against the live ledger (``reconciliation.report_submit``).
        ledger_total = totals["collected_amount"] if can_submit else None
    diffs = reconciliation.differences(report) if report and report.status == ReportStatus.SUBMITTED else []
    context = {
        "org": org,
        "month": month,
        "prev_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "breadcrumbs": breadcrumbs,
        "totals": totals,
        "report": report,
        "report_status": report.status if report is not None else ReportStatus.OPEN,
        "lines": lines,
        "page": page,
        "query_string": f"month={month:%Y-%m}",
        "is_branch": is_branch,
        "diffs": diffs,
        "ledger_total": ledger_total,
        "can_submit": can_submit,
        "can_confirm": access.may_confirm(scope, org)
        and report is not None
        and report.status == ReportStatus.SUBMITTED,
        "can_confirm_children": access.may_confirm_below(scope, org),
        "can_manage": access.may_manage(scope, org),
        "can_generate": access.may_generate_bills_at(scope, org),
        "submit_form": SubmitForm(initial={"handed_up_amount": ledger_total}),
        "lapse_months": get_policy().dues_lapse_months,
        "warn_months": get_policy().dues_unpaid_warning_months,
        "title": _("党费"),
    }
    return render(request, "dues/org.html", context)


@access_rule(within(Permission.EXPORT))
@login_required
@requires(P.VIEW_DUES)
def org_export(request: ScopedRequest, org_id: int) -> FileResponse:
    scope = request.scope
    org = get_org_for(scope, org_id, P.VIEW_DUES)
    if not access.may_export(scope, org):
        raise Http404
    month = _month(request)
    is_branch = org.kind == OrgKind.BRANCH
    lines = selectors.member_lines(org, month) if is_branch else selectors.child_lines(org, month)
    headers = [
        _("党员") if is_branch else _("党组织"),
        _("应交人数"),
        _("应交金额"),
        _("已交清人数"),
        _("未交人数"),
        _("未交金额"),
        _("本月入账"),
        _("其中补交/冲正"),
        _("其中大额党费"),
        _("状态") if not is_branch else _("累计未交月数"),
    ]
    rows = (
        (
            line.name,
            line.due_count,
            line.due_amount,
            line.paid_count,
            line.unpaid_count,
            line.unpaid_amount,
            line.collected_amount,
            line.adjustment_amount,
            line.large_amount,
            line.months_unpaid if is_branch else line.status_label,
        )
        for line in lines
    )
    return export_response(
        request,
        action="dues.export",
        filename=f"dues-{org.code}-{month:%Y-%m}.xlsx",
        headers=headers,
        rows=rows,
        org=org,
    )


@access_rule(within(Permission.VIEW_DUES))
@login_required
@requires(P.VIEW_DUES)
def org_sheet_pdf(request: ScopedRequest, org_id: int) -> HttpResponse:
    """The branch's 党费收缴表 for a month, A4, to print and sign (经办人, 支部书记)."""
    org = get_org_for(request.scope, org_id, P.VIEW_DUES)
    if org.kind != OrgKind.BRANCH:
        raise Http404
    month = _month(request)
    context = {
        "org": org,
        "month": month,
        "printed_on": timezone.localdate(),
        **selectors.collection_sheet(org, month),
    }
    content = render_pdf("dues/sheet_pdf.html", context)
    return pdf_response(content, f"dues-sheet-{org.code}-{month:%Y-%m}.pdf")


@access_rule(within(Permission.VIEW_DUES))
@login_required
@requires(P.VIEW_DUES)
def annual(request: ScopedRequest, org_id: int) -> HttpResponse:
    org = get_org_for(request.scope, org_id, P.VIEW_DUES)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    rows = selectors.annual_rows(org, year)
    totals = {k: sum((r[k] for r in rows), 0) for k in selectors.TOTAL_FIELDS}
    return render(
        request,
        "dues/annual.html",
        {"org": org, "year": year, "rows": rows, "totals": totals, "title": _("年度党费报表")},
    )


def _redirect_org(org: Organization, month: date) -> HttpResponse:
    return redirect(reverse("dues:org", args=[org.pk]) + f"?month={month:%Y-%m}")


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@require_POST
@requires(P.VIEW_DUES)
def report_submit(request: ScopedRequest, org_id: int) -> HttpResponse:
    scope = request.scope
    org = get_org_for(scope, org_id, P.VIEW_DUES)
    if not access.may_submit(scope, org):
        raise Http404
    month = _month(request)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return _redirect_org(org, month)
    try:
        reconciliation.report_submit(
            actor=request.user,
            org=org,
            month=month,
            handed_up_amount=form.cleaned_data["handed_up_amount"],
            expected_status=posted_state(request),
            scope=scope,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上交 %(m)s 党费，等待上级确认") % {"m": f"{month:%Y-%m}"})
    return _redirect_org(org, month)


def _report_for_confirmer(request: ScopedRequest, report_id: int) -> MonthReport:
    scope = request.scope
    report = MonthReport.objects.select_related("organization").filter(pk=report_id).first()
    if report is None or not access.may_confirm(scope, report.organization):
        raise Http404
    return report


@access_rule(within(Permission.CONFIRM_DUES))
@login_required
@require_POST
@requires(P.CONFIRM_DUES)
def report_confirm(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report_for_confirmer(request, report_id)
    try:
        reconciliation.report_confirm(
            actor=request.user, report=report, expected_status=posted_state(request), scope=request.scope
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已确认 %(org)s %(m)s 党费") % {"org": report.organization.name, "m": f"{report.month:%Y-%m}"},
        )
    return redirect(request.POST.get("next") or reverse("dues:confirm_queue"))


@access_rule(within(Permission.CONFIRM_DUES))
@login_required
@requires(P.CONFIRM_DUES)
def report_return(request: ScopedRequest, report_id: int) -> HttpResponse:
    report = _report_for_confirmer(request, report_id)
    return service_form_page(
        request,
        ReasonForm(request.POST or None, state=report.status),
        action=lambda d: reconciliation.report_return(
            actor=request.user,
            report=report,
            reason=d["reason"],
            expected_status=posted_state(request),
            scope=request.scope,
        ),
        success=_("已退回"),
        next_url=reverse("dues:confirm_queue"),
        context={
            "title": _("退回党费月报：%(org)s %(m)s")
            % {"org": report.organization.name, "m": f"{report.month:%Y-%m}"}
        },
    )


@access_rule(anywhere(Permission.CONFIRM_DUES))
@login_required
@requires(P.CONFIRM_DUES)
def confirm_queue(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    page = Paginator(selectors.reports_to_confirm(scope), 30).get_page(request.GET.get("page"))
    diffs = reconciliation.mismatch_counts(list(page.object_list))
    return render(
        request, "dues/confirm_queue.html", {"page": page, "diffs": diffs, "title": _("党费月报待确认")}
    )


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@require_POST
@requires(P.CONFIRM_DUES)
def generate_bills(request: ScopedRequest) -> HttpResponse:
    """The school's organizer may (re)run the month's bill generation by hand; it is idempotent."""
    if not access.may_generate_bills(request.scope):
        raise Http404
    month = _month(request)
    created = services.bills_run(actor=request.user, scope=request.scope, month=month)
    messages.success(request, _("已生成 %(m)s 应交党费 %(n)s 条") % {"m": f"{month:%Y-%m}", "n": created})
    return redirect(request.POST.get("next") or reverse("dues:home"))


# ---------------------------------------------------------------- a member's dues


@access_rule(within(Permission.VIEW_DUES))
@login_required
@requires(P.VIEW_DUES)
def person_page(request: ScopedRequest, person_id: int) -> HttpResponse:
    scope = request.scope
    person = selectors.get_member_for(scope, person_id)
    branch = person.membership.organization
    data = selectors.person_dues(person)
    return render(
        request,
        "dues/person.html",
        {
            "person": person,
            "branch": branch,
            "standard": data["assessments"][0] if data["assessments"] else None,
            **data,
            "can_manage": access.may_manage(scope, branch),
            "show_rule_code": True,  # organizers read the code; members read the rule in words
            "ledger_actions": True,
            "title": _("%(n)s 的党费") % {"n": person.name},
        },
    )


def _manage_member(request: ScopedRequest, person_id: int) -> Person:
    return selectors.get_member_for(request.scope, person_id, to_manage=True)


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def assessment_edit(request: ScopedRequest, person_id: int) -> HttpResponse:
    person = _manage_member(request, person_id)
    current = selectors.standard_in_force(person, timezone.localdate())
    initial = {
        "from_month": timezone.localdate().replace(day=1),
        "category": current.category if current else "employee",
    }
    if current is not None:
        initial.update({"base": current.base, **current.pay_items})
    form = AssessmentForm(request.POST or None, initial=initial)

    def action(d: dict[str, Any]) -> Any:
        items = form.pay_items()
        return services.assessment_set(
            actor=request.user,
            scope=request.scope,
            person=person,
            from_month=d["from_month"],
            category=d["category"],
            base=d.get("base") if items is None else None,
            pay_items=items,
            fixed_amount=d.get("fixed_amount"),
            note=d.get("note") or "",
        )

    return service_form_page(
        request,
        form,
        action=action,
        success=lambda a: _("已设定党费标准：每月 %(a)s 元") % {"a": a.amount},
        next_url=reverse("dues:person", args=[person.pk]),
        context={
            "title": _("设定党费标准：%(n)s") % {"n": person.name},
            "help": _(
                "基数 = 岗位工资 + 薪级工资 + 基础性绩效工资 + 固定津贴补贴 − 个人所得税 − 社会保险"
                " − 住房公积金 − 职业年金；按全额适用比例，不累进。"
            ),
        },
    )


def _paid_message(entries: list[Entry]) -> str:
    return _("已登记交纳 %(n)s 个月，共 %(a)s 元") % {
        "n": len(entries),
        "a": sum((e.amount for e in entries), rules.CENT * 0),
    }


def _replay(request: HttpRequest, find: Any, message: Any, next_url: str) -> HttpResponse | None:
    """A form posted again with a one-time key already used: the first submission's result (its
    message and page), before any validation — the form's choices may no longer offer what it paid."""
    if request.method != "POST":
        return None
    first = find(request.POST.get("idempotency_key"))
    if not first:
        return None
    messages.success(request, "{} {}".format(message(first), _("已记录(重复提交)")))
    return redirect(next_url)


def _replay_first(request: HttpRequest, find: Any, message: Any, next_url: str, page: Any) -> HttpResponse:
    """The replay, else the form page; after a refused form, the replay again: an identical twin may
    have committed while this one was validated against the choices it changed."""
    replay = _replay(request, find, message, next_url)
    if replay is not None:
        return replay
    response: HttpResponse = page()
    if request.method == "POST" and response.status_code == 200:
        return _replay(request, find, message, next_url) or response
    return response


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def payment_new(request: ScopedRequest, person_id: int) -> HttpResponse:
    person = _manage_member(request, person_id)
    next_url = reverse("dues:person", args=[person.pk])

    def page() -> HttpResponse:
        options = selectors.payable_months(
            person, timezone.localdate(), ahead=get_policy().dues_advance_max_months
        )
        form = PaymentForm(request.POST or None, options=options)
        return service_form_page(
            request,
            form,
            action=lambda d: services.payment_record(
                actor=request.user,
                person=person,
                months=form.month_dates(),
                method=d["method"],
                reference=d.get("reference") or "",
                reason=d.get("reason") or "",
                idempotency_key=d["idempotency_key"],
                paid_on=d.get("paid_on"),
                scope=request.scope,
            ),
            success=_paid_message,
            next_url=next_url,
            context={
                "title": _("登记交纳：%(n)s") % {"n": person.name},
                "help": _("预交须经支部同意；补交超过 6 个月须说明原因。"),
            },
        )

    return _replay_first(
        request, lambda key: selectors.payment_batch(key, person), _paid_message, next_url, page
    )


def _large_message(entries: list[Entry]) -> str:
    return str(_("已登记大额党费，全额上交上级党委"))


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def large_payment_new(request: ScopedRequest, person_id: int) -> HttpResponse:
    person = _manage_member(request, person_id)
    next_url = reverse("dues:person", args=[person.pk])

    def page() -> HttpResponse:
        form = LargePaymentForm(request.POST or None)
        return service_form_page(
            request,
            form,
            action=lambda d: services.large_payment_record(
                actor=request.user,
                person=person,
                amount=d["amount"],
                method=d["method"],
                reference=d.get("reference") or "",
                reason=d.get("reason") or "",
                idempotency_key=d["idempotency_key"],
                paid_on=d.get("paid_on"),
                scope=request.scope,
            ),
            success=lambda entry: _large_message([entry]),
            next_url=next_url,
            context={
                "title": _("大额党费：%(n)s") % {"n": person.name},
                "help": _("自愿一次性交纳 %(t)s 元以上的党费，全额上交。")
                % {"t": get_policy().dues_large_payment_threshold},
            },
        )

    return _replay_first(
        request, lambda key: selectors.payment_batch(key, person), _large_message, next_url, page
    )


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def entry_reverse(request: ScopedRequest, entry_id: int) -> HttpResponse:
    entry = Entry.objects.select_related("person", "organization").filter(pk=entry_id).first()
    if entry is None or not access.may_reverse(request.scope, entry):
        raise Http404
    return service_form_page(
        request,
        ReasonForm(request.POST or None, state=services.entry_state(entry)),
        action=lambda d: services.entry_reverse(
            actor=request.user,
            entry=entry,
            reason=d["reason"],
            expected_status=posted_state(request),
            scope=request.scope,
        ),
        success=_("已冲正"),
        next_url=reverse("dues:person", args=[entry.person_id]),
        context={
            "title": _("冲正：%(n)s %(a)s 元") % {"n": entry.person.name, "a": entry.amount},
            "danger": True,
            "help": _("交纳记录不能修改；冲正生成一条金额相反的记录，计入当前未确认的月份。"),
        },
    )


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def relief_new(request: ScopedRequest, person_id: int) -> HttpResponse:
    person = _manage_member(request, person_id)
    return service_form_page(
        request,
        ReliefForm(request.POST or None),
        action=lambda d: services.relief_request(
            actor=request.user,
            scope=request.scope,
            person=person,
            kind=d["kind"],
            from_month=d["from_month"],
            to_month=d["to_month"],
            reason=d["reason"],
            monthly_amount=d.get("monthly_amount") or rules.CENT * 0,
        ),
        success=_("已提交减免申请，等待审批"),
        next_url=reverse("dues:person", args=[person.pk]),
        context={
            "title": _("申请党费减免：%(n)s") % {"n": person.name},
            "help": _("生活困难的党员经上一级党委批准可减交或免交；离退休党员由支部批准。"),
        },
    )


@access_rule(anywhere(Permission.VIEW_DUES))
@login_required
def relief_queue(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not access.may_decide_some_relief(scope):
        raise Http404
    page = Paginator(selectors.pending_reliefs(scope).order_by("requested_at"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "dues/relief_queue.html", {"page": page, "title": _("党费减免审批")})


@access_rule(within(Permission.CONFIRM_DUES))
@login_required
def relief_decide(request: ScopedRequest, relief_id: int) -> HttpResponse:
    scope = request.scope
    relief = Relief.objects.select_related("person", "approver_org").filter(pk=relief_id).first()
    if relief is None or not access.may_decide_relief(scope, relief.approver_org):
        raise Http404
    return service_form_page(
        request,
        DecisionForm(request.POST or None, state=relief.status),
        action=lambda d: services.relief_decide(
            actor=request.user,
            relief=relief,
            approve=d["decision"] == "approve",
            note=d.get("note") or "",
            expected_status=posted_state(request),
            scope=scope,
        ),
        success=_("已审批"),
        next_url=reverse("dues:reliefs"),
        context={
            "title": _("审批减免：%(n)s") % {"n": relief.person.name},
            "help": f"{relief.get_kind_display()} {relief.from_month:%Y-%m} — {relief.to_month:%Y-%m}："
            f"{relief.reason}",
        },
    )


@access_rule(anywhere(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def declaration_queue(request: ScopedRequest) -> HttpResponse:
    page = Paginator(selectors.pending_declarations(request.scope).order_by("created_at"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "dues/declaration_queue.html", {"page": page, "title": _("党员交费申报")})


BATCH_MAX = 100  # more rows than a queue page shows (30): a hand-made request, refused


def _posted_row_state(request: HttpRequest, declaration: Declaration) -> str:
    """The state one row of the batch showed (``expected_status_<id>``); "" is a refusal, not a pass."""
    return (request.POST.get(f"expected_status_{declaration.pk}") or "").strip()


@access_rule(anywhere(Permission.MANAGE_DUES))
@login_required
@require_POST
@requires(P.MANAGE_DUES)
def declarations_confirm(request: ScopedRequest) -> HttpResponse:
    """Confirm the ticked declarations of the queue at once; each row checked against its own state."""
    raw = request.POST.getlist("declaration")
    ids = {int(x) for x in raw if x.isascii() and x.isdigit()}
    next_url = reverse("dues:declarations")
    if not ids:
        messages.error(request, _("请先勾选要确认的申报"))
        return redirect(next_url)
    if len(ids) > BATCH_MAX or len(ids) != len(raw):
        messages.error(request, _("一次最多确认 %(n)s 条申报") % {"n": BATCH_MAX})
        return redirect(next_url)
    found = selectors.declarations_for(request.scope, ids)
    if len(found) != len(ids):  # a row the user was never shown: nothing is done
        raise Http404
    outcome = services.declarations_confirm(
        actor=request.user,
        scope=request.scope,
        rows=[(d, _posted_row_state(request, d)) for d in found],
    )
    if outcome.confirmed:
        messages.success(request, _("已确认 %(n)s 条申报，已记入台账") % {"n": len(outcome.confirmed)})
    for declaration, reason in outcome.skipped[:20]:
        messages.warning(
            request, _("%(name)s 的申报未确认：%(why)s") % {"name": declaration.person.name, "why": reason}
        )
    return redirect(next_url)


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def declaration_decide(request: ScopedRequest, declaration_id: int) -> HttpResponse:
    declaration = selectors.get_declaration_for(request.scope, declaration_id)
    return service_form_page(
        request,
        DecisionForm(request.POST or None, state=declaration.status),
        action=lambda d: services.declaration_decide(
            actor=request.user,
            declaration=declaration,
            approve=d["decision"] == "approve",
            note=d.get("note") or "",
            expected_status=posted_state(request),
            scope=request.scope,
        ),
        success=_("已处理"),
        next_url=reverse("dues:declarations"),
        context={
            "title": _("确认交费申报：%(n)s") % {"n": declaration.person.name},
            "help": _("%(months)s，共 %(a)s 元，%(d)s %(m)s %(r)s")
            % {
                "months": "、".join(m[:7] for m in declaration.months),
                "d": f"{declaration.paid_on:%Y-%m-%d}" if declaration.paid_on else "",
                "a": declaration.amount,
                "m": declaration.get_method_display(),
                "r": declaration.reference,
            },
        },
    )


@access_rule(within(Permission.MANAGE_DUES))
@login_required
@requires(P.MANAGE_DUES)
def year_confirm(request: ScopedRequest, org_id: int) -> HttpResponse:
    scope = request.scope
    org = get_org_for(scope, org_id, P.MANAGE_DUES)
    if org.kind != OrgKind.BRANCH:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if request.method == "POST":
        try:
            services.year_confirm(
                actor=request.user, org=org, year=year, expected_status=posted_state(request), scope=scope
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已核定 %(y)s 年度党费") % {"y": year})
        return redirect(reverse("dues:year_confirm", args=[org.pk]) + f"?year={year}")
    from dangjian.dues.models import YearConfirmation

    rows = []
    for m in (
        org.memberships.filter(standing__in=ON_ROLL_STANDINGS)
        .select_related("person")
        .order_by("person__name_pinyin")[:200]
    ):
        rows.append((m.person, selectors.standard_for_year(m.person, year)))
    return render(
        request,
        "dues/year_confirm.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "confirmation": YearConfirmation.objects.filter(organization=org, year=year).first(),
            "year_state": services.year_state(org, year),
            "title": _("%(y)s 年度党费核定") % {"y": year},
        },
    )


# ---------------------------------------------------------------- 我的党费


def _own_person(request: HttpRequest) -> Person | None:
    person_id = getattr(request.user, "person_id", None)
    return (
        Person.objects.select_related("membership__organization").filter(pk=person_id).first()
        if person_id
        else None
    )


@access_rule(signed_in())
@login_required
def my_dues(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    data = selectors.person_dues(person) if person is not None and hasattr(person, "membership") else None
    summary = (
        selectors.member_summary(person, set(data["declared_months"]), data["unpaid_bills"])
        if data is not None and person is not None
        else None
    )
    return render(
        request,
        "dues/me.html",
        {
            "person": person,
            "data": data,
            "standard": data["assessments"][0] if data and data["assessments"] else None,
            "how_to_pay": get_how_to_pay(),
            "online": bool(getattr(settings, "DUES_PAYMENT_PROVIDER", "")),
            "summary": summary,
            "unpaid_count": len(summary.owed) if summary else 0,
            "unpaid_total": summary.owed_total if summary else rules.CENT * 0,
            "title": _("我的党费"),
        },
    )


def get_how_to_pay() -> str:
    return str(
        getattr(settings, "DUES_HOW_TO_PAY", "")
        or _("请向所在党支部书记或组织委员交纳，或通过银行转账后在此申报。")
    )


@access_rule(person())
@login_required
def declare(request: ScopedRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None or not hasattr(person, "membership"):
        raise Http404
    next_url = reverse("dues:me")

    def message(declaration: Declaration) -> str:
        return str(_("已提交，等待支部确认"))

    def page() -> HttpResponse:
        # Months already declared and waiting for the branch are not offered again.
        options = [(b.month, b.amount - b.paid_amount, True) for b in selectors.member_summary(person).owed]
        form = DeclarationForm(request.POST or None, options=options)
        return service_form_page(
            request,
            form,
            action=lambda d: services.declaration_submit(
                actor=request.user,
                scope=request.scope,
                person=person,
                months=form.month_dates(),
                method=d["method"],
                reference=d.get("reference") or "",
                paid_on=d.get("paid_on"),
                idempotency_key=d["idempotency_key"],
            ),
            success=message,
            next_url=next_url,
            context={
                "title": _("我已交纳"),
                "help": _("通过现金或转账交纳后在此申报，支部确认后记入台账。"),
            },
        )

    return _replay_first(
        request, lambda key: selectors.declaration_by_key(key, person), message, next_url, page
    )


@access_rule(person())
@login_required
@require_POST
def pay_online(request: ScopedRequest) -> HttpResponse:
    """Start an online payment of all outstanding months (only when a provider is configured)."""
    from dangjian.dues.payments import get_provider

    provider = get_provider()
    person = _own_person(request)
    if provider is None or person is None or not hasattr(person, "membership"):
        raise Http404
    # Months declared paid and waiting for the branch are not paid a second time.
    months = [b.month for b in selectors.member_summary(person).owed]
    try:
        _order, url = services.online_order_create(
            actor=request.user, scope=request.scope, person=person, months=months, provider=provider
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("dues:me")
    return redirect(url)


@access_rule(public())
@csrf_exempt
@require_POST
def online_notify(request: HttpRequest, provider_name: str) -> HttpResponse:
    """The gateway's server-to-server notification; its signature is the authentication."""
    from dangjian.dues.payments import get_provider

    provider = get_provider()
    if provider is None or provider.name != provider_name:
        raise Http404
    try:
        notice = provider.parse_notice(request.body, dict(request.headers))
        services.online_notice_apply(notice=notice, provider_name=provider_name)
    except (ValueError, KeyError, DomainError) as exc:
        return HttpResponse(
            str(getattr(exc, "message", "invalid notice")), status=400, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
