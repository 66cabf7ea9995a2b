"""The pipeline as Excel: the board's rows under its live filters, audited with them (``export_response``).
(The import of existing cases is the one flow of ``spreadsheets``: ``recruitment.imports`` and
``contributions.py``.)"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.selectors import org_from_query
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.recruitment import access, selectors
from dangjian.recruitment.models import Stage

P = Permission


@access_rule(anywhere(Permission.EXPORT))
@login_required
def export(request: HttpRequest) -> Any:
    """Open cases of the board's org and stage: person, branch, stage, the date of every step, the next
    step and its deadline. Written in chunks (a fixed number of queries per 2000 cases)."""
    scope = scope_of(request)
    if not (scope.has(P.MANAGE_RECRUITMENT) and scope.has(P.EXPORT)):
        raise Http404
    org = org_from_query(scope, request.GET.get("org"), P.MANAGE_RECRUITMENT)
    if not access.may_export(request, org):
        raise Http404
    stage = request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else ""
    query = request.GET.get("q", "").strip()[:50]
    cases = selectors.board_cases(scope, org, stage=stage, query=query)
    steps = selectors.step_definitions()
    today = timezone.localdate()
    headers = [
        _("姓名"),
        _("工号/学号"),
        _("党支部"),
        _("阶段"),
        *(f"{s.number}.{s.name}" for s in steps),
        _("下一步"),
        _("期限"),
        _("已超期"),
    ]

    def rows() -> Any:
        for case in cases.prefetch_related("steps__step").iterator(chunk_size=2000):
            info = selectors.progress(case, today, steps)
            by_step: dict[int, list[str]] = {}
            for r in sorted(case.steps.all(), key=lambda r: (r.done_on, r.pk)):
                by_step.setdefault(r.step.number, []).append(r.done_on.isoformat())
            yield (
                case.person.name,
                case.person.staff_number or "",
                case.branch.name,
                case.get_stage_display(),
                *("；".join(by_step.get(s.number, [])) for s in steps),
                f"{info.next_step.number}.{info.next_step.name}" if info.next_step else "",
                info.due.isoformat() if info.due else "",
                _("是") if info.overdue else "",
            )

    return export_response(
        request,
        action="recruitment.export",
        filename="recruitment.xlsx",
        headers=headers,
        rows=rows(),
        org=org,
    )
