"""发展党员 in the 体检报告 (hooks.report_sections): the funnel of the organization's open cases by stage
today, how many of them are overdue (the module's own rule, as the 超期提醒), and the applications of the
period. Five queries (the overdue rule reads the step deadlines)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count

from dangjian.core.models import Organization
from dangjian.recruitment.models import Case, CaseStatus, Stage
from dangjian.recruitment.selectors import overdue_among

FUNNEL = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


def funnel_section(org: Organization, start: date, end: date, today: date) -> dict[str, Any] | None:
    cases = Case.objects.filter(branch__path__startswith=org.path, status=CaseStatus.OPEN)
    by_stage = dict(cases.values_list("stage").annotate(n=Count("id")).order_by().values_list("stage", "n"))
    applied = Case.objects.filter(
        branch__path__startswith=org.path, applied_on__gte=start, applied_on__lte=end
    ).count()
    if not by_stage and not applied:
        return None
    top = max([by_stage.get(s, 0) for s in FUNNEL] + [1])
    return {
        "stages": [
            (Stage(s).label, by_stage.get(s, 0), round(by_stage.get(s, 0) * 100 / top)) for s in FUNNEL
        ],
        "overdue": Case.objects.filter(pk__in=overdue_among(cases, today)).count(),
        "applied": applied,
        "today": today,
    }
