"""Who may act in 民主评议党员: one predicate per decision, asked by the services (a refusal), the pages
(404 or no button) and the to-dos alike.

Two sides act. The branch runs its round — its secretary and committee, or an organizer above it
(MANAGE_APPRAISAL over the branch): open it, move it on, propose and record the meeting's decision, the
handling of 不合格 and the report up. Each participant acts on their own participation
(``scope.person_id``): the self review, and — a full member — the ratings of the others. The platform
itself (the demo) acts with ``Scope.system()``.
"""

from __future__ import annotations

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.appraisal.models import Participant, Round
from dangjian.core.models import Organization, OrgKind

P = Permission


def may_manage(scope: Scope, org: Organization) -> bool:
    """Run the 民主评议 of ``org`` (or see those under it): MANAGE_APPRAISAL over it."""
    return scope.covers(P.MANAGE_APPRAISAL, org.path)


def manage_q(scope: Scope, path_field: str = "branch__path") -> Q:
    """``may_manage`` as a filter on the org path at ``path_field``."""
    return scope.q(P.MANAGE_APPRAISAL, path_field)


def may_open_in(scope: Scope, org: Organization) -> bool:
    """Open a round in ``org``: a 党支部 the scope manages."""
    return org.kind == OrgKind.BRANCH and may_manage(scope, org)


def may_manage_round(scope: Scope, round: Round) -> bool:
    return may_manage(scope, round.branch)


def is_own(scope: Scope, participant: Participant) -> bool:
    """The participation is the viewer's own."""
    return bool(scope.person_id and participant.person_id == scope.person_id)


def may_self_review(scope: Scope, participant: Participant) -> bool:
    """Write one's own 自我评价 (the platform itself, for the demo)."""
    return scope.is_system or is_own(scope, participant)


def may_rate(scope: Scope, participant: Participant) -> bool:
    """Rate the others: one's own participation, as a full member (预备党员 have no vote)."""
    return participant.votes and (scope.is_system or is_own(scope, participant))


def own_q(scope: Scope, person_field: str = "person_id") -> Q:
    """One's own participations (the to-dos, 我的民主评议)."""
    if not scope.person_id:
        return Q(pk__in=[])
    return Q(**{person_field: scope.person_id})
