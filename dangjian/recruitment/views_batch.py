"""Recording the same next step for several cases at once (批量记录下一步), from the board.

The page lists the open cases whose next step the user may record now and that needs nothing but a
date (``selectors.batch_candidates``), one step at a time; the chosen rows are recorded by
``services.step_record_batch`` — each case checked against the state its row showed, its rules and its
checks, audited on its own; a refused row is listed with its reason, the others are recorded.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.recruitment import selectors, services
from dangjian.recruitment.forms import DATE, RULE_FIELDS
from dangjian.recruitment.models import Case, StepDefinition


class BatchForm(forms.Form):
    done_on = forms.DateField(
        label=gettext_lazy("日期"), widget=DATE, error_messages={"required": gettext_lazy("请填写日期。")}
    )
    resolution = forms.CharField(label=gettext_lazy("结论/说明"), max_length=300, required=False)


def _plain_steps(steps: list[StepDefinition]) -> frozenset[str]:
    """Steps that need nothing but a date and a resolution (no per-person data, no material rule)."""
    return frozenset(s.code for s in steps if not RULE_FIELDS.get(s.rule))


def _posted_state(request: ScopedRequest, case_id: int) -> str:
    """The state of one row as the page showed it (``expected_status_<case id>``)."""
    return (request.POST.get(f"expected_status_{case_id}") or "").strip()


def _chosen_ids(request: ScopedRequest) -> list[int]:
    return sorted({int(x) for x in request.POST.getlist("case") if x.isascii() and x.isdigit()})


@access_rule(anywhere(Permission.MANAGE_RECRUITMENT))
@login_required
def batch(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not scope.has(Permission.MANAGE_RECRUITMENT) and not scope.has(Permission.APPROVE_RECRUITMENT):
        raise Http404
    today = timezone.localdate()
    steps = selectors.step_definitions()
    candidates = selectors.batch_candidates(scope, today, steps, plain_steps=_plain_steps(steps))
    counts: dict[str, tuple[StepDefinition, int]] = {}
    for _case, info in candidates:
        step = info.next_step
        assert step is not None
        counts[step.code] = (step, counts.get(step.code, (step, 0))[1] + 1)
    code = request.GET.get("step") or ""
    if code not in counts:
        code = min(counts.values(), key=lambda c: c[0].number)[0].code if counts else ""
    rows = [
        (case, info, services.case_state(case))
        for case, info in candidates
        if info.next_step is not None and info.next_step.code == code
    ]
    form = BatchForm(request.POST or None, initial={"done_on": today})
    if request.method == "POST":
        response = _record(request, form, code, rows, steps)
        if response is not None:
            return response
    return render(
        request,
        "recruitment/batch.html",
        {
            "counts": sorted(counts.values(), key=lambda c: c[0].number),
            "code": code,
            "step": counts[code][0] if code else None,
            "rows": rows,
            "form": form,
            "title": _("批量记录下一步"),
        },
    )


def _record(
    request: ScopedRequest, form: BatchForm, code: str, rows: list[Any], steps: list[StepDefinition]
) -> HttpResponse | None:
    chosen = _chosen_ids(request)
    if not form.is_valid() or not chosen:
        if not chosen:
            messages.error(request, _("请勾选要记录的人员。"))
        return None
    shown = {case.pk: case for case, _info, _state in rows}
    missing = [pk for pk in chosen if pk not in shown]
    # A case out of the user's scope is answered 404, as on its own page; one in scope whose next step
    # is no longer this one (recorded meanwhile, returned…) is listed as refused.
    visible = set(
        selectors.cases_visible_to(request.scope).filter(pk__in=missing).values_list("pk", flat=True)
    )
    if set(missing) - visible:
        raise Http404
    step_name = next((s.name for s in steps if s.code == code), code)
    moved = [
        (case, _("下一步已不是“%(s)s”，请刷新后再看") % {"s": step_name})
        for case in Case.objects.filter(pk__in=missing).select_related("person")
    ]
    outcome = services.step_record_batch(
        actor=request.user,
        scope=request.scope,
        code=code,
        done_on=form.cleaned_data["done_on"],
        resolution=form.cleaned_data.get("resolution") or "",
        picks=[
            (shown[pk], request.POST.get(f"expected_status_{pk}", "").strip()) for pk in chosen if pk in shown
        ],
    )
    if outcome.recorded:
        messages.success(
            request, _("已为 %(n)s 人记录“%(s)s”") % {"n": len(outcome.recorded), "s": step_name}
        )
    refused = moved + outcome.refused
    if refused:
        messages.error(request, _("以下 %(n)s 人未记录：") % {"n": len(refused)})
        for case, reason in refused[:50]:
            messages.error(request, f"{case.person.name}：{reason}")
    return redirect(request.get_full_path())
