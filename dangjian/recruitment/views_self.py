"""我的入党进度: a person sees their own case — what is done, what comes next and by when (read-only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest
from dangjian.kit.access_rules import access_rule, own
from dangjian.recruitment import selectors


@access_rule(own())
@login_required
def me(request: ScopedRequest) -> HttpResponse:
    case = selectors.own_case(request.scope)
    steps = selectors.step_definitions()
    info = selectors.progress(case, timezone.localdate(), steps)
    done: dict[int, list[object]] = {}
    for record in sorted(case.steps.all(), key=lambda r: (r.step.number, r.done_on, r.pk)):
        done.setdefault(record.step.number, []).append(record)
    return render(
        request,
        "recruitment/me.html",
        {
            "case": case,
            "info": info,
            "rows": [(s, done.get(s.number, [])) for s in steps],
            "title": _("我的入党进度"),
        },
    )
