"""Who may act in 述职评议考核: one predicate per decision, asked by the services, the pages and the
to-dos alike.

Three sides act. The assessing committee's organizers (ASSESS_ORGS over the committee) open it, name
the reviewers, move it on, grade and publish; they may also enter a 述职报告 on a secretary's behalf
(a report handed in on paper). Each assessed organization's 书记 writes its 述职报告. Each named
reviewer scores the organizations. Once published, an assessed organization's viewers (VIEW_INSIGHTS
over it) see its own grade.
"""

from __future__ import annotations

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.insights.assessment.models import Assessment, Reviewer, Target

P = Permission


def may_open_in(scope: Scope, org: Organization) -> bool:
    """Assess the organizations right below ``org``: a committee (党委, 党总支) with ASSESS_ORGS over it."""
    return org.kind != OrgKind.BRANCH and org.kind != OrgKind.GROUP and scope.covers(P.ASSESS_ORGS, org.path)


def may_run(scope: Scope, assessment: Assessment) -> bool:
    return scope.covers(P.ASSESS_ORGS, assessment.organization.path)


def run_q(scope: Scope, path_field: str = "organization__path") -> Q:
    """``may_run`` as a filter on the assessing committee's path."""
    return scope.q(P.ASSESS_ORGS, path_field)


def is_secretary(scope: Scope, target: Target) -> bool:
    return bool(scope.person_id and target.secretary_id == scope.person_id)


def may_report(scope: Scope, target: Target) -> bool:
    """Write the 述职报告: the organization's 书记, or the committee on their behalf."""
    return scope.is_system or is_secretary(scope, target) or may_run(scope, target.assessment)


def reviewer_of(scope: Scope, assessment: Assessment, on_behalf_of: int | None = None) -> Reviewer | None:
    """The viewer's reviewer row in the assessment, if named (one query). The platform itself (the
    demo) scores on behalf of a named reviewer's account."""
    user_id = on_behalf_of if scope.is_system else scope.user_id
    if not user_id:
        return None
    return Reviewer.objects.filter(assessment=assessment, user_id=user_id).first()


def own_targets_q(scope: Scope) -> Q:
    """The assessed organizations whose 书记 the viewer is (to-dos, 我的述职)."""
    if not scope.person_id:
        return Q(pk__in=[])
    return Q(secretary_id=scope.person_id)


def may_see_result(scope: Scope, target: Target) -> bool:
    """An organization's own grade, once published: its viewers and its secretary."""
    return target.assessment.stage == "published" and (
        is_secretary(scope, target) or scope.covers(P.VIEW_INSIGHTS, target.organization.path)
    )
