"""Transfer pages: the register, starting a transfer, the detail with the actions of the user's side,
and the 介绍信 PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.audit.exports import export_response
from dangjian.core.models import OrgKind, Person
from dangjian.kit.access_rules import NOT_FOUND, access_rule, anywhere, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.pdf import pdf_response
from dangjian.kit.transitions import posted_state
from dangjian.transfers import access, pdf, selectors, services
from dangjian.transfers.forms import AcceptForm, ReasonForm, ReceiptForm, RecordInForm, ReissueForm, StartForm
from dangjian.transfers.models import OUT_KINDS, Letter, Transfer, TransferKind, TransferStatus


def _register_filters(request: ScopedRequest) -> dict[str, Any]:
    """The register's filters from the query string; anything invalid is ignored."""
    from datetime import date

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    org_path = ""
    if request.GET.get("org"):
        from dangjian.core.selectors import get_org_for

        org_path = get_org_for(request.scope, request.GET["org"]).path
    return {
        "org_path": org_path,
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in TransferKind.values else "",
        "status": request.GET.get("status", "") if request.GET.get("status") in TransferStatus.values else "",
        "open_only": request.GET.get("open") == "1",
        "since": day("since"),
        "until": day("until"),
    }


@access_rule(signed_in())
@login_required
def transfer_list(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    filters = _register_filters(request)
    kind, status, open_only = filters["kind"], filters["status"], filters["open_only"]
    qs = selectors.transfer_list(scope, **filters)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "transfers/list.html",
        {
            "page": page,
            "kinds": TransferKind.choices,
            "statuses": TransferStatus.choices,
            "kind": kind,
            "status": status,
            "open_only": open_only,
            "since": filters["since"],
            "until": filters["until"],
            "org_choices": _org_choices(scope),
            "org_selected": request.GET.get("org", ""),
            "title": _("组织关系转接"),
            "can_record_in": access.may_record_in(scope),
            "can_graduates": access.may_send_graduates(scope) and selectors.graduate_colleges(scope).exists(),
            "can_export": access.may_export(scope),
            "stats": selectors.monthly_counts(scope) if access.may_see_monthly(scope) else None,
        },
    )


def _org_choices(scope: Scope) -> list[Any]:
    """The user's top orgs and their direct children (colleges, branches), for the register's filter."""
    from dangjian.core.models import Organization
    from dangjian.core.selectors import scope_roots

    roots = list(scope_roots(scope)[:20])
    q = [r.path for r in roots]
    children = Organization.objects.none()
    for root in roots:
        children |= Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    found = (
        list(children.filter(is_active=True).exclude(kind=OrgKind.GROUP).order_by("path")[:300]) if q else []
    )
    return sorted([*roots, *found], key=lambda o: o.path)


def _person_for_start(request: ScopedRequest, person_id: int) -> Person:
    """The member themself, or someone whose branch the user handles transfers for."""
    person = Person.objects.select_related("membership__organization").filter(pk=person_id).first()
    if person is None or not access.may_start(request.scope, person):
        raise Http404
    return person


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
def transfer_start(request: ScopedRequest, person_id: int) -> HttpResponse:
    person = _person_for_start(request, person_id)
    form = StartForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda d: services.transfer_start(
            actor=request.user,
            scope=request.scope,
            person=person,
            kind=d["kind"],
            reason=d["reason"],
            to_college=d.get("to_college"),
            external_org=d.get("external_org") or "",
        ),
        success=_("已提交组织关系转接申请，待支部审核"),
        next_url=lambda t: reverse("transfers:detail", args=[t.pk]),
        context={
            "title": _("组织关系转接：%(n)s") % {"n": person.name},
            "help": _("校内转接选择接收的院系党组织；转往校外请填写接收党组织全称(省内或全国)。"),
        },
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
def transfer_detail(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    """The transfer and the actions of the user's side: each button is drawn by the predicate of
    ``transfers.access`` that its view and service ask (``{% may_open %}``)."""
    scope = request.scope
    transfer = selectors.get_transfer_for(scope, transfer_id)
    letters = list(transfer.letters.all().order_by("-id"))
    for letter in letters:
        letter.transfer = transfer  # the link rules read the transfer; no query per letter
    return render(
        request,
        "transfers/detail.html",
        {
            "transfer": transfer,
            "events": transfer.events.select_related("actor"),
            "letters": letters,
            "can_see_letters": access.may_see_letters(scope, transfer),
            "title": _("组织关系转接：%(n)s") % {"n": transfer.person.name},
        },
    )


def _act(request: ScopedRequest, transfer_id: int, action: Any, success: str) -> HttpResponse:
    """A one-button step: the service checks the posted state first (a double-click is stale)."""
    transfer = selectors.get_transfer_for(request.scope, transfer_id)
    try:
        action(transfer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("transfers:detail", transfer.pk)


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
@require_POST
def transfer_approve(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    return _act(
        request,
        transfer_id,
        lambda t: services.transfer_approve(
            actor=request.user, scope=request.scope, transfer=t, expected_status=posted_state(request)
        ),
        _("已审核同意"),
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
@require_POST
def transfer_withdraw(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    return _act(
        request,
        transfer_id,
        lambda t: services.transfer_withdraw(
            actor=request.user, scope=request.scope, transfer=t, expected_status=posted_state(request)
        ),
        _("已撤回"),
    )


def _step_page(request: ScopedRequest, transfer_id: int, may: Any) -> Transfer:
    """The transfer of a step's form page. The page opens only when its button is drawn (the same
    predicate); a posted form always reaches the service, which answers a stale state first."""
    transfer = selectors.get_transfer_for(request.scope, transfer_id)
    if request.method != "POST" and not may(request.scope, transfer):
        raise Http404
    return transfer


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
def transfer_reject(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    transfer = _step_page(request, transfer_id, access.may_reject)
    return service_form_page(
        request,
        ReasonForm(request.POST or None, state=transfer.status),
        action=lambda d: services.transfer_reject(
            actor=request.user,
            scope=request.scope,
            transfer=transfer,
            reason=d["reason"],
            expected_status=d["expected_status"],
        ),
        success=_("已退回"),
        next_url=reverse("transfers:detail", args=[transfer.pk]),
        context={"title": _("退回组织关系转接：%(n)s") % {"n": transfer.person.name}, "danger": True},
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
def transfer_accept(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    transfer = _step_page(request, transfer_id, access.may_accept)
    if transfer.to_college is None:
        raise Http404
    return service_form_page(
        request,
        AcceptForm(request.POST or None, college=transfer.to_college, state=transfer.status),
        action=lambda d: services.transfer_accept(
            actor=request.user,
            scope=request.scope,
            transfer=transfer,
            branch=d["branch"],
            expected_status=d["expected_status"],
        ),
        success=_("已接收，党员组织关系已转入"),
        next_url=reverse("transfers:detail", args=[transfer.pk]),
        context={"title": _("接收组织关系：%(n)s") % {"n": transfer.person.name}},
    )


# The form (GET) opens only for whoever may act now; a POST by anyone who sees the transfer reaches the
# service, which answers a stale or unentitled one with its reason (a double-submit, a tab left open).
@access_rule(within(Permission.MANAGE_TRANSFERS, **{"branch_secretary:GET": NOT_FOUND}))
@login_required
def transfer_complete(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    transfer = _step_page(request, transfer_id, access.may_complete)
    form = ReceiptForm(request.POST or None, request.FILES or None, state=transfer.status)
    return service_form_page(
        request,
        form,
        action=lambda d: services.transfer_complete(
            actor=request.user,
            scope=request.scope,
            transfer=transfer,
            receipt_on=d["receipt_on"],
            scan=d.get("scan"),
            expected_status=d["expected_status"],
        ),
        success=_("已登记回执，组织关系转出完成"),
        next_url=reverse("transfers:detail", args=[transfer.pk]),
        context={"title": _("登记回执：%(n)s") % {"n": transfer.person.name}, "multipart": True},
    )


def _letter_for(request: ScopedRequest, letter_id: int) -> Letter:
    """A letter of a transfer the user sees, for its sending side (404 otherwise)."""
    scope = request.scope
    letter = Letter.objects.select_related("issuing_org").filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    letter.transfer = selectors.get_transfer_for(scope, letter.transfer_id)  # 404 outside the scope
    if not access.may_see_letters(scope, letter.transfer):
        raise Http404
    return letter


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
def letter_pdf(request: ScopedRequest, letter_id: int) -> HttpResponse:
    """A live letter as a PDF; the full ID number only for who may see it (else masked)."""
    letter = _letter_for(request, letter_id)
    if letter.voided_at is not None:
        raise Http404
    show_id = access.may_see_id_number(request.scope, letter.transfer)
    return pdf_response(pdf.render_letter(letter, show_id_number=show_id), f"letter-{letter.serial}.pdf")


# The form (GET) opens only for whoever may act now; a POST by anyone who sees the transfer reaches the
# service, which answers a stale or unentitled one with its reason (a double-submit, a tab left open).
@access_rule(within(Permission.MANAGE_TRANSFERS, **{"branch_secretary:GET": NOT_FOUND}))
@login_required
def letter_reissue(request: ScopedRequest, letter_id: int) -> HttpResponse:
    letter = _letter_for(request, letter_id)
    if request.method != "POST" and not access.may_reissue(request.scope, letter):
        raise Http404
    return service_form_page(
        request,
        ReissueForm(request.POST or None, state=letter.status),
        action=lambda d: services.letter_reissue(
            actor=request.user,
            scope=request.scope,
            letter=letter,
            reason=d["reason"],
            valid_days=d.get("valid_days"),
            expected_status=d["expected_status"],
        ),
        success=lambda new: _("原介绍信已作废，新介绍信编号 %(s)s") % {"s": new.serial},
        next_url=reverse("transfers:detail", args=[letter.transfer_id]),
        context={"title": _("作废并重开介绍信 %(s)s") % {"s": letter.serial}, "danger": True},
    )


@access_rule(anywhere(Permission.MANAGE_TRANSFERS))
@login_required
def transfer_record_in(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not access.may_record_in(scope):
        raise Http404
    form = RecordInForm(request.POST or None, branches=selectors.record_in_branches(scope))

    def action(d: dict[str, Any]) -> Any:
        person_data = {
            k: d.get(k) or "" for k in ("name", "id_number", "gender", "ethnicity", "person_type", "phone")
        }
        return services.transfer_record_in(
            actor=request.user,
            scope=scope,
            branch=d["branch"],
            from_org_name=d["from_org_name"],
            letter_serial=d["letter_serial"],
            reason=d.get("reason") or "",
            person_data=person_data,
            membership_type=d["membership_type"],
            joined_on=d["joined_on"],
            full_on=d.get("full_on"),
        )

    return service_form_page(
        request,
        form,
        action=action,
        success=_("已登记转入，请打印回执寄回转出党组织"),
        next_url=lambda t: reverse("transfers:detail", args=[t.pk]),
        context={
            "title": _("登记组织关系转入"),
            "help": _("按收到的介绍信填写；本校已有此人(按身份证号码)时不会重复登记。"),
        },
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@login_required
def receipt_pdf(request: ScopedRequest, transfer_id: int) -> HttpResponse:
    """The 回执 of an incoming transfer, to send back to the sending organization."""
    transfer = selectors.get_transfer_for(request.scope, transfer_id)
    if not access.may_print_receipt(request.scope, transfer):
        raise Http404
    return pdf_response(pdf.render_receipt(transfer), f"receipt-{transfer.pk}.pdf")


@access_rule(anywhere(Permission.APPROVE_TRANSFERS))
@login_required
def graduates(request: ScopedRequest) -> HttpResponse:
    """A college's graduating student members: destinations, problems, and one job for all the letters."""
    from dangjian.transfers.graduates import candidates, graduate_letters_start

    scope = request.scope
    colleges = list(selectors.graduate_colleges(scope)[:200])
    if not colleges:
        raise Http404
    college = next((c for c in colleges if str(c.pk) == request.GET.get("college")), colleges[0])
    grade = request.GET.get("grade", "").strip()[:10]
    rows = candidates(college, grade=grade)
    if request.method == "POST":
        chosen = []
        for c in rows:
            pid = c.membership.person_id
            if request.POST.get(f"pick-{pid}"):
                chosen.append(
                    {
                        "person": pid,
                        "name": c.membership.person.name,
                        "destination": request.POST.get(f"dest-{pid}", "")[:200],
                        "kind": request.POST.get(f"kind-{pid}", TransferKind.OUT_NATIONAL),
                    }
                )
        if not chosen:
            messages.error(request, _("请至少选择一名毕业生"))
        elif request.POST.get("action") == "keep":
            kept, refused = 0, []
            for row in chosen:
                try:
                    services.graduate_keep(
                        actor=request.user,
                        scope=scope,
                        person=Person.objects.get(pk=int(str(row["person"]))),
                        reason="",
                        expected_status=request.POST.get(f"state-{row['person']}", ""),
                    )
                    kept += 1
                except DomainError as exc:
                    refused.append(exc.message)
            messages.success(request, _("已为 %(n)s 人保留组织关系") % {"n": kept})
            for message in refused[:10]:
                messages.error(request, message)
            return redirect(request.get_full_path())
        else:
            job = graduate_letters_start(
                actor=request.user,
                college=college,
                rows=chosen,
                title=_("毕业生组织关系介绍信：%(c)s %(n)s 人")
                % {"c": college.display_name, "n": len(chosen)},
            )
            return redirect("jobs:detail", job.pk)
    return render(
        request,
        "transfers/graduates.html",
        {
            "colleges": colleges,
            "college": college,
            "grade": grade,
            "rows": rows,
            "kinds": [c for c in TransferKind.choices if c[0] in OUT_KINDS],
            "title": _("毕业生组织关系转接"),
        },
    )


@access_rule(anywhere(Permission.EXPORT))
@login_required
def transfer_export(request: ScopedRequest) -> FileResponse:
    """The register (转入 / 转出 / 校内) with the list's filters, as .xlsx; audited ("transfer.export",
    with the filters and the row count)."""
    scope = request.scope
    if not access.may_export(scope):
        raise Http404
    qs = selectors.transfer_list(scope, **_register_filters(request))
    headers = [
        _("姓名"),
        _("类型"),
        _("状态"),
        _("转出支部"),
        _("接收党组织"),
        _("转入支部"),
        _("校外党组织"),
        _("转接原因"),
        _("申请时间"),
        _("完成日期"),
    ]
    rows = (
        (
            t.person.name,
            t.get_kind_display(),
            t.get_status_display(),
            t.from_org.name if t.from_org else "",
            t.to_college.name if t.to_college else "",
            t.to_org.name if t.to_org else "",
            t.external_org,
            t.reason,
            t.created_at.date().isoformat(),
            t.completed_on.isoformat() if t.completed_on else "",
        )
        for t in qs.iterator(chunk_size=2000)
    )
    return export_response(
        request, action="transfer.export", filename="transfers.xlsx", headers=headers, rows=rows
    )
