"""Reads of 发展党员, through the scope: cases of the branches the user handles recruitment for, and the
person's own case. Where a case stands: the next step, what is due by when, and whether it is overdue."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy
from dangjian.recruitment import rules
from dangjian.recruitment.models import Case, CaseStatus, Stage, StepDefinition, StepRecord

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


def case_records(case: Case) -> list[StepRecord]:
    """The case's records with their step, actor and documents (two queries), prefetched onto the case:
    ``progress`` and the case page then read them without another query."""
    records = StepRecord.objects.select_related("step", "actor__person").prefetch_related("documents")
    prefetch_related_objects([case], Prefetch("steps", queryset=records))
    return list(case.steps.all())


def progress(case: Case, today: date, steps: list[StepDefinition] | None = None) -> Progress:
    """The next step to record and, where a timing rule applies, the date it is due by. With the step
    list given and the case's records prefetched (``steps__step``) this runs no query."""
    steps = steps if steps is not None else step_definitions()
    records = list(case.steps.all())
    returned = next((r for r in records if r.returned_at is not None), None)
    if returned is not None:  # the case waits for the branch to correct the returned record
        return Progress(returned.step, None, False, "returned")
    done: dict[str, date] = {}
    for r in records:
        done[r.step.code] = max(done.get(r.step.code, r.done_on), r.done_on)
    numbers = {r.step.number for r in records}
    next_step = next((s for s in steps if s.number not in numbers), None)
    due: date | None = None
    note = ""
    if next_step is not None:
        code = next_step.code
        if code == "talk":
            due = rules.talk_due(case.applied_on)
        elif code == "evaluation" and "activist" in done:
            due = rules.evaluation_due(done["activist"])
        elif code == "candidate" and "activist" in done:
            due, note = rules.activist_duration(done["activist"], done["activist"]).due, "earliest"
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


def board_cases(scope: Scope, org: Organization, *, stage: str = "", query: str = "") -> QuerySet[Case]:
    """The board's rows — open cases in the org's subtree, by stage and search — in the board's order.
    The Excel export reads the same rows (the file holds what the screen shows)."""
    cases = cases_visible_to(scope).filter(branch__path__startswith=org.path, status=CaseStatus.OPEN)
    if stage in Stage.values:
        cases = cases.filter(stage=stage)
    return search_cases(cases, query).order_by("applied_on", "pk")


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


# ---------------------------------------------------------------- the person's own case


def has_own_case(person_id: int) -> bool:
    return Case.objects.filter(person_id=person_id).exists()


def open_cases_of(person_ids: Iterable[int], *, step_done: str = "") -> dict[int, Case]:
    """The open 发展党员 cases of these people, by person id (one query; for other modules, e.g. the 党校
    recording step 11 at a class's close). With ``step_done`` (a step code) each case carries
    ``step_done``: whether that step is already recorded."""
    qs = Case.objects.filter(person_id__in=list(person_ids), status=CaseStatus.OPEN)
    if step_done:
        qs = qs.annotate(
            step_done=Exists(StepRecord.objects.filter(case=OuterRef("pk"), step__code=step_done))
        )
    return {c.person_id: c for c in qs}


def people_with_open_cases(person_ids: list[int]) -> set[int]:
    """Which of these people have an open 发展党员 case (one query; for other modules' lists)."""
    return set(
        Case.objects.filter(person_id__in=person_ids, status=CaseStatus.OPEN).values_list(
            "person_id", flat=True
        )
    )


def own_case(scope: Scope) -> Case:
    """The signed-in person's case (the open one, else the latest); 404 when they have none."""
    if not scope.person_id:
        raise Http404
    cases = list(
        Case.objects.filter(person_id=scope.person_id)
        .select_related("person__membership", "branch")
        .prefetch_related("steps__step", "steps__documents")
        .order_by("-applied_on", "-pk")
    )
    if not cases:
        raise Http404
    return next((c for c in cases if c.status == CaseStatus.OPEN), cases[0])


# ---------------------------------------------------------------- overdue and rule-violation lists


def _cutoff(due_of: Callable[[date], date], today: date, months: int) -> date:
    """The earliest start date whose due date is not before ``today``: a case whose start lies before it
    is overdue. ``due_of`` is the rule's own function, so month ends are handled exactly as the case page
    does; the search starts near the answer and moves a day at a time."""
    x = add_months(today, -months)
    while due_of(x - timedelta(days=1)) >= today:
        x -= timedelta(days=1)
    while due_of(x) < today:
        x += timedelta(days=1)
    return x


def overdue_rules() -> list[tuple[str, str, Callable[[date], date], int]]:
    """The steps with a deadline: (the step's code, the annotation of ``with_step_dates`` (or the
    case's field) the deadline counts from, the rule's due-date function, the policy's months)."""
    policy = get_policy()
    return [
        ("talk", "applied_on", rules.talk_due, policy.recruit_talk_within_months),
        ("evaluation", "on_activist", rules.evaluation_due, policy.recruit_evaluation_months),
        (
            "branch_meeting",
            "on_prereview",
            lambda d: rules.branch_meeting(d, d).due or d,
            policy.recruit_meeting_within_months,
        ),
        (
            "approval",
            "on_branch_meeting",
            lambda d: rules.approval(d, d).due or d,
            policy.recruit_approval_within_months,
        ),
        ("oath", "on_approval", lambda d: rules.oath(d, d).due or d, policy.recruit_oath_within_months),
    ]


def overdue_condition(today: date) -> Q:
    """Open cases whose next step has a deadline that has passed (the same rules as ``progress``): as a
    condition on ``last_step`` (the highest step recorded) and the dates of earlier steps, so the database
    filters and paginates. A case with a returned record waits on its correction, not on a deadline."""
    numbers = dict(StepDefinition.objects.values_list("code", "number"))
    rows = overdue_rules()
    q = Q(pk__in=[])
    for code, field, due_of, months in rows:
        if code in numbers:
            q |= Q(last_step=numbers[code] - 1, **{f"{field}__lt": _cutoff(due_of, today, months)})
    return q & Q(n_returned=0)


OVERDUE_STEP_CODES = ("talk", "evaluation", "branch_meeting", "approval", "oath")  # overdue_condition's


def with_step_dates(qs: QuerySet[Case, Any]) -> QuerySet[Case, Any]:
    def on(code: str) -> Max:
        return Max("steps__done_on", filter=Q(steps__step__code=code))

    return qs.annotate(
        n_returned=Count("steps", filter=Q(steps__returned_at__isnull=False)),
        on_activist=on("activist"),
        on_prereview=on("prereview"),
        on_branch_meeting=on("branch_meeting"),
        on_approval=on("approval"),
    )


def alert_orgs(scope: Scope) -> QuerySet[Organization]:
    """The committees and branches an organizer may filter the lists by."""
    from dangjian.core.models import OrgKind

    return (
        Organization.objects.filter(scope.q(P.MANAGE_RECRUITMENT, "path"), is_active=True)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )


def search_cases(qs: QuerySet[Any], query: str, person_field: str = "person") -> QuerySet[Any]:
    """Name, pinyin initials, staff/student number or ID number (the people search), as a subquery."""
    if not (query or "").strip():
        return qs
    from dangjian.core.models import Person
    from dangjian.core.selectors import search_people

    return qs.filter(**{f"{person_field}__in": search_people(Person.objects.all(), query).values("pk")})


def _overdue_ids(
    scope: Scope, today: date, org: Organization | None, stage: str, query: str
) -> QuerySet[Case, Any]:
    """The ids of the open cases in the scope whose next step is overdue. The step dates are aggregated
    over case ids alone (grouping by the joined person and branch columns made the school's list sort
    to disk)."""
    lean = Case.objects.filter(scope.q(P.MANAGE_RECRUITMENT, "branch__path"), status=CaseStatus.OPEN)
    if org is not None:
        lean = lean.filter(branch__path__startswith=org.path)
    if stage in Stage.values:
        lean = lean.filter(stage=stage)
    return overdue_among(search_cases(lean, query), today)


def overdue_among(cases: QuerySet[Case, Any], today: date) -> QuerySet[Case, Any]:
    """The ids of those of ``cases`` whose next step is overdue on ``today`` (``overdue_condition``)."""
    # Only cases stopped just before a step with a deadline can be overdue: a WHERE on the indexed
    # column before the step dates are aggregated.
    waiting = StepDefinition.objects.filter(code__in=OVERDUE_STEP_CODES).values_list("number", flat=True)
    lean = cases.filter(last_step__in=[n - 1 for n in waiting])
    return with_step_dates(lean.values("pk")).filter(overdue_condition(today)).values("pk")


def overdue_cases(
    scope: Scope, today: date, *, org: Organization | None = None, stage: str = "", query: str = ""
) -> QuerySet[Case]:
    """Open cases in the scope whose next step is overdue, oldest application first. Prefetches the
    records so ``progress`` runs per row without a query."""
    return (
        cases_visible_to(scope)
        .filter(pk__in=_overdue_ids(scope, today, org, stage, query))
        .prefetch_related("steps__step")
        .order_by("applied_on", "pk")
    )


OVERDUE_LIST_CAP = 100_000


def overdue_case_ids(
    scope: Scope, today: date, *, org: Organization | None = None, stage: str = "", query: str = ""
) -> list[int]:
    """The same cases as ``overdue_cases``, as ids in their order: one aggregate query serves both the
    count and the page of the list (the page then loads its 30 cases by id)."""
    ids = _overdue_ids(scope, today, org, stage, query).order_by("applied_on", "pk")
    return list(ids.values_list("pk", flat=True)[:OVERDUE_LIST_CAP])


def overdue_count(scope: Scope, today: date) -> int:
    """How many open cases in the scope have an overdue next step (one counting query)."""
    return _overdue_ids(scope, today, None, "", "").count()


def cases_by_ids(scope: Scope, ids: list[int]) -> list[Case]:
    """Cases in the scope with these ids, in the given order, records prefetched."""
    found = {c.pk: c for c in cases_visible_to(scope).filter(pk__in=ids).prefetch_related("steps__step")}
    return [found[pk] for pk in ids if pk in found]


def rule_violations(
    scope: Scope, *, org: Organization | None = None, stage: str = "", query: str = ""
) -> QuerySet[StepRecord]:
    """Step records kept with a failing "warn" rule (the checks that did not block), newest first."""
    qs = StepRecord.objects.filter(scope.q(P.MANAGE_RECRUITMENT, "case__branch__path")).exclude(warnings=[])
    if org is not None:
        qs = qs.filter(case__branch__path__startswith=org.path)
    if stage in Stage.values:
        qs = qs.filter(case__stage=stage)
    qs = search_cases(qs, query, "case__person")
    return qs.select_related("case__person", "case__branch", "step").order_by("-done_on", "-pk")


BATCH_LIMIT = 2000  # the cases a batch page reads at most


def batch_candidates(
    scope: Scope, today: date, steps: list[StepDefinition], *, plain_steps: frozenset[str]
) -> list[tuple[Case, Progress]]:
    """Open cases whose next step the scope may record now, for recording the same step for several at
    once: not waiting for a returned record to be corrected, not before the earliest date its rule
    allows, and only steps of ``plain_steps`` (those that need nothing but a date and a resolution — a
    vote or a list of names differs per person). Overdue first, then by due date. Two queries."""
    from dangjian.recruitment import access

    cases = (
        cases_visible_to(scope)
        .filter(access.manage_q(scope) | access.approve_q(scope), status=CaseStatus.OPEN)
        .prefetch_related("steps__step")
        .order_by("applied_on", "pk")[:BATCH_LIMIT]
    )
    rows = []
    for case in cases:
        info = progress(case, today, steps)
        step = info.next_step
        if step is None or info.note == "returned" or step.code not in plain_steps:
            continue
        if info.note == "earliest" and info.due is not None and info.due > today:
            continue
        if access.may_record(scope, case, step):
            rows.append((case, info))
    rows.sort(key=lambda row: (not row[1].overdue, row[1].due or date.max))
    return rows
