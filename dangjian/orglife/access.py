"""Who may do what in 组织生活: one predicate per verb, asked by the services (a refusal), the views (404,
or whether to draw a button), the link rules and the to-dos alike, so a page never offers what the
service would refuse.

Two sides act: the branch runs its own 组织生活 (MANAGE_ORGLIFE over the branch: plans, meetings,
minutes, leave, answers to 督查 problems, absence warnings), and the committee above reviews it
(REVIEW_ORGLIFE: plans to approve, the 督查 pool, draws and report). A 督查 task's feedback is filed by
the supervisor drawn for it. The platform itself (tasks, demo seeders) acts with ``Scope.system()``.

Who may open which page: the rules are those of the scoped selectors — a plan is seen within the
scope of VIEW_ORGLIFE over its branch; a meeting also by those listed to attend it and by the
supervisor drawn to supervise it. The templates ask the same predicates before they draw a link
(``{% may_open "orglife:plan" plan as ok %}``), so a page never draws a link its viewer would meet as
a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.hooks.links import link_rule
from dangjian.orglife.models import AbsenceWarning, Assignment, Attendee, Meeting, Plan, Problem

P = Permission


def _scope(request_or_scope: HttpRequest | Scope) -> Scope:
    return request_or_scope if isinstance(request_or_scope, Scope) else scope_of(request_or_scope)


# ---- acting ------------------------------------------------------------------------------------------


def may_manage(scope: Scope, org: Organization) -> bool:
    """Run a branch's 组织生活 (the branch itself, or an organizer above it): its plans, meetings, notices,
    leave decisions, check-in by hand, minutes, archiving, corrections and attachments."""
    return scope.covers(P.MANAGE_ORGLIFE, org.path)


def manage_q(scope: Scope, path_field: str = "organization__path") -> Q:
    """``may_manage`` as a filter on the org path at ``path_field``."""
    return scope.q(P.MANAGE_ORGLIFE, path_field)


def may_create_in(scope: Scope, org: Organization) -> bool:
    """Make a plan or an ad-hoc meeting in ``org``: a 党支部 whose 组织生活 the scope runs."""
    return org.kind == OrgKind.BRANCH and may_manage(scope, org)


def may_review(scope: Scope, org: Organization) -> bool:
    """Act as the committee above ``org``: review its plans; run 督查 there (the pool of supervisors whose
    home it is, draws over it, its feedback report)."""
    return scope.covers(P.REVIEW_ORGLIFE, org.path)


def review_q(scope: Scope, path_field: str = "organization__path") -> Q:
    """``may_review`` as a filter on the org path at ``path_field``."""
    return scope.q(P.REVIEW_ORGLIFE, path_field)


def may_file_feedback(scope: Scope, assignment: Assignment) -> bool:
    """File the graded feedback of a 督查 task: the supervisor drawn for it (or the platform itself, for the
    demo's story)."""
    if scope.is_system:
        return True
    return bool(scope.person_id and assignment.supervisor.person_id == scope.person_id)


def may_answer_problem(scope: Scope, problem: Problem) -> bool:
    """Answer a 督查 problem with its 整改: the branch supervised (``may_manage`` over it)."""
    return may_manage(scope, problem.feedback.assignment.meeting.organization)


def may_handle_warning(scope: Scope, warning: AbsenceWarning) -> bool:
    """Record what the branch did about an absence warning: the member's branch (``may_manage``)."""
    return may_manage(scope, warning.branch)


def may_export(scope: Scope, org: Organization) -> bool:
    """Download an org's statistics as Excel: whoever may export data there."""
    return scope.covers(P.EXPORT, org.path)


# ---- opening pages ---------------------------------------------------------------------------------


def may_view_lists(request_or_scope: HttpRequest | Scope, _obj: Any = None) -> bool:
    """The lists of plans and meetings and the statistics: those with VIEW_ORGLIFE somewhere."""
    return _scope(request_or_scope).has(P.VIEW_ORGLIFE)


def may_view_plan(request_or_scope: HttpRequest | Scope, plan: Plan) -> bool:
    """A plan: within the scope of VIEW_ORGLIFE over its branch (``meetings.selectors.plans_visible_to``)."""
    return _scope(request_or_scope).covers(P.VIEW_ORGLIFE, plan.organization.path)


def may_view_meeting(request_or_scope: HttpRequest | Scope, meeting: Meeting) -> bool:
    """A meeting: in the scope of VIEW_ORGLIFE, or listed to attend it, or drawn to supervise it."""
    scope = _scope(request_or_scope)
    if scope.covers(P.VIEW_ORGLIFE, meeting.organization.path):
        return True
    if not scope.person_id:
        return False
    attends = getattr(meeting, "viewer_attends", None)  # read with the meeting by ``viewable_meeting``
    if attends is None:
        attends = Attendee.objects.filter(meeting_id=meeting.pk, person_id=scope.person_id).exists()
    return (
        attends
        or Assignment.objects.filter(meeting_id=meeting.pk, supervisor__person_id=scope.person_id).exists()
    )


def may_view_assignment(request_or_scope: HttpRequest | Scope, assignment: Assignment) -> bool:
    """A 督查 task: its supervisor, the branch supervised and the committees above it
    (``supervision.selectors.get_assignment_visible``)."""
    scope = _scope(request_or_scope)
    org = assignment.meeting.organization
    return (
        may_review(scope, org)
        or may_manage(scope, org)
        or bool(scope.person_id and assignment.supervisor.person_id == scope.person_id)
    )


def viewable_plan(request: HttpRequest, plan_id: Any) -> Plan:
    """The plan page's object, or 404 (the same rule as its links)."""
    try:
        plan = Plan.objects.select_related("organization").get(pk=int(plan_id))
    except (Plan.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not may_view_plan(request, plan):
        raise Http404
    return plan


def viewable_meeting(request_or_scope: HttpRequest | Scope, meeting_id: Any) -> Meeting:
    """The meeting page's object (and its attachments' and the API's), or 404 (the same rule as its
    links)."""
    # The plan (its link rule reads the plan's org) and the minutes come with it: the page draws both;
    # and whether the viewer attends, which lets a member in.
    meetings = Meeting.objects.select_related(
        "organization", "group", "speaker", "plan__organization", "minutes__host", "minutes__recorder"
    )
    person_id = _scope(request_or_scope).person_id
    if person_id:
        attendee = Attendee.objects.filter(meeting=OuterRef("pk"), person_id=person_id)
        meetings = meetings.annotate(viewer_attends=Exists(attendee))
    try:
        meeting = meetings.get(pk=int(meeting_id))
    except (Meeting.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not may_view_meeting(request_or_scope, meeting):
        raise Http404
    return meeting


link_rule("orglife:meetings")(may_view_lists)
link_rule("orglife:plans")(may_view_lists)
link_rule("orglife:stats_matrix")(may_view_lists)
link_rule("orglife:plan")(may_view_plan)
link_rule("orglife:meeting")(may_view_meeting)
link_rule("orglife:sup_assignment")(may_view_assignment)
