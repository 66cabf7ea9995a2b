"""The committee above sends a submission back (退回) and the branch resubmits it corrected; the committee
above cancels a probationer's membership (取消预备党员资格) on the branch's resolution."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import access_rule, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.transitions import posted_state
from dangjian.recruitment import access, selectors, services
from dangjian.recruitment.forms import RULE_FIELDS, CancelProbationForm, ReturnForm, StepForm
from dangjian.recruitment.models import CaseStatus, Stage


@access_rule(within(Permission.APPROVE_RECRUITMENT))
@login_required
def step_return(request: ScopedRequest, case_id: int) -> HttpResponse:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    if not access.may_approve(scope, case):
        raise Http404
    record = services.returnable_record(case)
    return service_form_page(
        request,
        ReturnForm(request.POST or None, initial={"expected_status": services.case_state(case)}),
        action=lambda d: services.step_return(
            actor=request.user,
            scope=scope,
            case=case,
            reason=d["reason"],
            expected_status=posted_state(request),
        ),
        success=lambda r: _("已退回“%(s)s”，待党支部修改后重新提交") % {"s": r.step.name},
        next_url=reverse("recruitment:case", args=[case.pk]),
        context={
            "title": _("退回：%(n)s") % {"n": case.person.name},
            "help": (
                _("退回“%(s)s”(%(d)s)给党支部修改。")
                % {"s": record.step.name, "d": record.done_on.isoformat()}
                if record
                else _("当前没有可退回的步骤")
            ),
            "danger": True,
        },
    )


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def step_resubmit(request: ScopedRequest, case_id: int, record_id: int) -> HttpResponse:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    record = case.steps.select_related("step").filter(pk=record_id, returned_at__isnull=False).first()
    if record is None or not access.may_record(scope, case, record.step):
        raise Http404
    initial: dict[str, Any] = {
        "expected_status": services.case_state(case),
        "done_on": record.done_on,
        "resolution": record.resolution,
    }
    for key in RULE_FIELDS.get(record.step.rule, ()):
        value = record.data.get(key)
        initial[key] = "、".join(str(v) for v in value) if isinstance(value, list) else value
    form = StepForm(request.POST or None, rule=record.step.rule, initial=initial)
    return service_form_page(
        request,
        form,
        action=lambda d: services.step_resubmit(
            actor=request.user,
            scope=scope,
            record=record,
            done_on=d["done_on"],
            data=form.step_data(),
            resolution=d.get("resolution") or "",
            expected_status=posted_state(request),
        ),
        success=_("已重新提交“%(s)s”") % {"s": record.step.name},
        next_url=reverse("recruitment:case", args=[case.pk]),
        context={
            "title": _("修改并重新提交：%(s)s") % {"s": record.step.name},
            "help": _("退回原因：%(r)s") % {"r": record.return_reason},
        },
    )


@access_rule(within(Permission.APPROVE_RECRUITMENT))
@login_required
def cancel_probation(request: ScopedRequest, case_id: int) -> HttpResponse:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    if (
        not access.may_approve(scope, case)
        or case.status != CaseStatus.OPEN
        or case.stage != Stage.PROBATIONARY
    ):
        raise Http404
    return service_form_page(
        request,
        CancelProbationForm(request.POST or None, initial={"expected_status": services.case_state(case)}),
        action=lambda d: services.probation_cancel(
            actor=request.user,
            scope=scope,
            case=case,
            resolved_on=d["resolved_on"],
            approved_on=d["approved_on"],
            reason=d["reason"],
            expected_status=posted_state(request),
        ),
        success=_("已取消预备党员资格"),
        next_url=reverse("recruitment:case", args=[case.pk]),
        context={
            "title": _("取消预备党员资格：%(n)s") % {"n": case.person.name},
            "help": _("须经支部大会讨论决定并报上级党委批准。"),
            "danger": True,
        },
    )
