"""Who may open which 组织生活 page: one predicate per page, asked by its view (404 when it says no) and
by the templates before they draw a link to it (``{% may_open "orglife:plan" plan as ok %}``), so a
page never draws a link its viewer would meet as a 404.

Each predicate takes the request (or the scope resolved from it) and the object; the rules are those
of the scoped selectors: a plan is seen within the scope of VIEW_ORGLIFE over its branch; a meeting
also by those listed to attend it and by the supervisor drawn to supervise it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.links import link_rule
from dangjian.orglife.models import Assignment, Attendee, Meeting, Plan

P = Permission


def _scope(request_or_scope: HttpRequest | Scope) -> Scope:
    scope: Scope = getattr(request_or_scope, "scope", request_or_scope)  # type: ignore[arg-type]
    return scope


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
    return (
        Attendee.objects.filter(meeting_id=meeting.pk, person_id=scope.person_id).exists()
        or Assignment.objects.filter(meeting_id=meeting.pk, supervisor__person_id=scope.person_id).exists()
    )


def may_view_assignment(request_or_scope: HttpRequest | Scope, assignment: Assignment) -> bool:
    """A 督查 task: its supervisor, the branch supervised and the committees above it
    (``supervision.selectors.get_assignment_visible``)."""
    scope = _scope(request_or_scope)
    path = assignment.meeting.organization.path
    return (
        scope.covers(P.REVIEW_ORGLIFE, path)
        or scope.covers(P.MANAGE_ORGLIFE, path)
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
    try:
        meeting = Meeting.objects.select_related("organization", "group", "speaker").get(pk=int(meeting_id))
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
