"""Reads of 发展党员, through the scope: cases of the branches the user handles recruitment for, and the
person's own case. Where a case stands: the next step, what is due by when, and whether it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.dates import add_years
from dangjian.core.models import Organization
from dangjian.policy import get_policy
from dangjian.recruitment import rules
from dangjian.recruitment.models import Case, CaseStatus, Stage, StepDefinition

P = Permission


def cases_visible_to(scope: Scope) -> QuerySet[Case]:
    q = scope.q(P.MANAGE_RECRUITMENT, "branch__path") if scope.has(P.MANAGE_RECRUITMENT) else Q(pk__in=[])
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    # person__membership: the board's due date for 转正 reads the probation extension (no query per row).
    return Case.objects.filter(q).select_related("person__membership", "branch")


def get_case_for(scope: Scope, case_id: Any) -> Case:
    try:
        return cases_visible_to(scope).get(pk=int(case_id))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@dataclass
class Progress:
    next_step: StepDefinition | None
    due: date | None
    overdue: bool
    note: str


def step_definitions() -> list[StepDefinition]:
    return list(StepDefinition.objects.order_by("number"))


def progress(case: Case, today: date, steps: list[StepDefinition] | None = None) -> Progress:
    """The next step to record and, where a timing rule applies, the date it is due by. With the step
    list given and the case's records prefetched (``steps__step``) this runs no query."""
    steps = steps if steps is not None else step_definitions()
    records = list(case.steps.all())
    done: dict[str, date] = {}
    for r in records:
        done[r.step.code] = max(done.get(r.step.code, r.done_on), r.done_on)
    numbers = {r.step.number for r in records}
    next_step = next((s for s in steps if s.number not in numbers), None)
    due: date | None = None
    note = ""
    policy = get_policy()
    if next_step is not None:
        code = next_step.code
        if code == "talk":
            due = rules.talk_due(case.applied_on)
        elif code == "evaluation" and "activist" in done:
            due = rules.evaluation_due(done["activist"])
        elif code == "candidate" and "activist" in done:
            due, note = add_years(done["activist"], policy.recruit_activist_min_years), "earliest"
        elif code == "branch_meeting" and "prereview" in done:
            due = rules.branch_meeting(done["prereview"], done["prereview"]).due
        elif code == "approval" and "branch_meeting" in done:
            due = rules.approval(done["branch_meeting"], done["branch_meeting"]).due
        elif code == "oath" and "approval" in done:
            due = rules.oath(done["approval"], done["approval"]).due
        elif code == "full_application" and "branch_meeting" in done:
            membership = getattr(case.person, "membership", None)
            extended = membership.probation_extended_months if membership else 0
            due, note = rules.probation_end(done["branch_meeting"], extended), "earliest"
    overdue = bool(due and note != "earliest" and today > due)
    return Progress(next_step, due, overdue, note)


def board(scope: Scope, org: Organization) -> dict[str, int]:
    """Open cases per stage in the org's subtree (one grouped query)."""
    rows = (
        cases_visible_to(scope)
        .filter(branch__path__startswith=org.path, status=CaseStatus.OPEN)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {r["stage"]: r["n"] for r in rows}
    return {stage: counts.get(stage, 0) for stage in Stage.values}
