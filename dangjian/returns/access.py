"""Who may act on 数据报送: one predicate per decision, asked by the services (which refuse), the pages and
the API (which draw buttons or answer 404) and the to-dos alike; ``Scope.system()`` for the platform.

- design, open, close, remind, return, accept, export: whoever reviews returns at the designing
  organization (``REVIEW_RETURNS`` over it — the organizers);
- fill: whoever fills returns at the assigned organization (``FILL_RETURNS`` over it — its secretary and
  the organizers above), while the return is open and the assignment not submitted."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.hooks.links import link_rule
from dangjian.returns.models import FILLABLE, Assignment, AssignmentStatus, Return, ReturnStatus

P = Permission


def may_design(scope: Scope, org: Organization) -> bool:
    """A return designed at ``org`` (and sent to organizations below it)."""
    return scope.covers(P.REVIEW_RETURNS, org.path)


def may_review(scope: Scope, ret: Return) -> bool:
    return scope.covers(P.REVIEW_RETURNS, ret.designer.path)


def review_q(scope: Scope, path_field: str = "designer__path") -> Q:
    return scope.q(P.REVIEW_RETURNS, path_field)


def fill_q(scope: Scope, path_field: str = "organization__path") -> Q:
    return scope.q(P.FILL_RETURNS, path_field)


def fills_at(scope: Scope, org: Organization) -> bool:
    return scope.covers(P.FILL_RETURNS, org.path)


def may_see_assignment(scope: Scope, assignment: Assignment) -> bool:
    return scope.covers(P.FILL_RETURNS, assignment.organization.path) or may_review(scope, assignment.ret)


def may_fill(scope: Scope, assignment: Assignment) -> bool:
    return (
        scope.covers(P.FILL_RETURNS, assignment.organization.path)
        and assignment.ret.status == ReturnStatus.OPEN
        and assignment.status in FILLABLE
    )


def may_decide(scope: Scope, assignment: Assignment) -> bool:
    """Return with a reason, or accept: a submitted assignment of an open (or closed) return."""
    return (
        may_review(scope, assignment.ret)
        and assignment.status == AssignmentStatus.SUBMITTED
        and assignment.ret.status in (ReturnStatus.OPEN, ReturnStatus.CLOSED)
    )


def may_remind(scope: Scope, assignment: Assignment) -> bool:
    return (
        may_review(scope, assignment.ret)
        and assignment.ret.status == ReturnStatus.OPEN
        and assignment.status in FILLABLE
    )


def to_fill_q(scope: Scope) -> Q:
    """Assignments the user fills and does not review: their own organization's work (a to-do)."""
    return fill_q(scope) & ~review_q(scope, "ret__designer__path")


# ---------------------------------------------------------------- link rules (hooks.links)


@link_rule("returns:detail")
def may_open_return(request: HttpRequest, ret: Any) -> bool:
    return may_review(scope_of(request), ret)


@link_rule("returns:fill")
def may_open_assignment(request: HttpRequest, assignment: Any) -> bool:
    return may_see_assignment(scope_of(request), assignment)
