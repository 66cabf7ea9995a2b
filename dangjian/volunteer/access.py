"""Who may act in 志愿服务: one predicate per decision, asked by the services (a refusal), the pages (404
or no button), the to-dos alike.

The organizing side holds MANAGE_ORGLIFE (开展组织生活: the branch secretary and committee, the
organizers above) over the publishing organization: it drafts, publishes, cancels and finishes the
activity, sees its sign-ups and corrects the hours. The audience are the members on the roll whose
branch lies in the publishing organization's subtree (``Audience.SUBTREE``, the default) or every member
of the school (``Audience.SCHOOL``); they see the published activity and sign up. A member also sees an
activity they signed up for whatever happens to it. The platform itself (the demo) acts with
``Scope.system()``.
"""

from __future__ import annotations

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.volunteer.models import Activity
from dangjian.volunteer.rules import ActivityStatus, Audience

P = Permission
PUBLISHERS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)
VISIBLE = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED, ActivityStatus.CANCELLED)


def may_publish_for(scope: Scope, org: Organization) -> bool:
    """Draft an activity for ``org``: a branch or a committee the scope organizes 组织生活 for."""
    return org.kind in PUBLISHERS and org.is_active and scope.covers(P.MANAGE_ORGLIFE, org.path)


def may_manage(scope: Scope, activity: Activity) -> bool:
    return scope.is_system or scope.covers(P.MANAGE_ORGLIFE, activity.organization.path)


def manage_q(scope: Scope, path_field: str = "organization__path") -> Q:
    return scope.q(P.MANAGE_ORGLIFE, path_field)


def ancestor_paths(path: str, steplen: int = 4) -> list[str]:
    """The path and every path above it (the organizations whose subtree holds it)."""
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def in_audience(activity: Activity, home_path: str) -> bool:
    """A member whose branch is ``home_path`` ("" for no membership on the roll) is among those asked."""
    if not home_path:
        return False
    return activity.audience == Audience.SCHOOL or home_path.startswith(activity.organization.path)


def audience_q(home_path: str, prefix: str = "") -> Q:
    """``in_audience`` as a filter over activities (``prefix`` for a related query, e.g. ``"activity__"``)."""
    if not home_path:
        return Q(pk__in=[])
    return Q(**{f"{prefix}audience": Audience.SCHOOL}) | Q(
        **{
            f"{prefix}audience": Audience.SUBTREE,
            f"{prefix}organization__path__in": ancestor_paths(home_path),
        }
    )


def may_see(scope: Scope, activity: Activity, home_path: str, *, signed_up: bool = False) -> bool:
    if may_manage(scope, activity) or signed_up:
        return True
    return activity.status in VISIBLE and in_audience(activity, home_path)
