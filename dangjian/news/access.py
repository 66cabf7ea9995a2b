"""Who may act in 智慧宣传: one predicate per decision, asked by the services (a refusal), the pages
(404 or no button) and the to-dos alike.

An author holds PUBLISH_NEWS over the publishing organization (organizers; a branch secretary for their
branch) and edits and submits the organization's drafts. A reviewer holds REVIEW_NEWS over it (the
organizers of it and above): they approve or return at each step of the chain and withdraw what was
published — never an article they wrote themselves (三审 means other eyes). Readers see the published
articles whose audience covers them: the public ones, those for the subtree of an organization they
belong to or serve, and those for 指定人群 (named groups: 党员, 干部 …) of an organization above them
when they are in one of the groups. The platform itself (the demo, the scheduled publishing) acts with
``Scope.system()``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.groups import PersonGroups
from dangjian.core.models import Organization
from dangjian.news.models import Article, Audience, Status

P = Permission


def may_author(scope: Scope, org: Organization) -> bool:
    return scope.covers(P.PUBLISH_NEWS, org.path)


def may_manage(scope: Scope, article: Article) -> bool:
    """See the article in the management pages (its drafts, review notes, history)."""
    path = article.organization.path
    return scope.covers(P.PUBLISH_NEWS, path) or scope.covers(P.REVIEW_NEWS, path)


def manage_q(scope: Scope, path_field: str = "organization__path") -> Q:
    return scope.q(P.PUBLISH_NEWS, path_field) | scope.q(P.REVIEW_NEWS, path_field)


def may_edit(scope: Scope, article: Article) -> bool:
    """Edit or submit: a draft of an organization the scope writes for."""
    return article.status == Status.DRAFT and may_author(scope, article.organization)


def reviews_for(scope: Scope, org: Organization) -> bool:
    """Holds REVIEW_NEWS over the organization: approves, returns and withdraws its articles."""
    return scope.covers(P.REVIEW_NEWS, org.path)


def _not_own(scope: Scope, article: Article) -> bool:
    return scope.is_system or article.author_id is None or article.author_id != scope.user_id


def may_review(scope: Scope, article: Article) -> bool:
    """Approve or return at the current step: REVIEW_NEWS over the organization, not the author."""
    return (
        article.status == Status.IN_REVIEW
        and reviews_for(scope, article.organization)
        and _not_own(scope, article)
    )


def review_q(scope: Scope) -> Q:
    """``may_review`` as a filter (the to-dos and the 待审核 filter)."""
    q = Q(status=Status.IN_REVIEW) & scope.q(P.REVIEW_NEWS, "organization__path")
    if scope.user_id is not None and not scope.is_system:
        q &= ~Q(author_id=scope.user_id)
    return q


def may_withdraw(scope: Scope, article: Article) -> bool:
    return article.status in (Status.PUBLISHED, Status.SCHEDULED) and scope.covers(
        P.REVIEW_NEWS, article.organization.path
    )


def ancestor_paths(paths: list[str], steplen: int = 4) -> set[str]:
    """Each path and every path above it (the organizations whose subtree contains it)."""
    out: set[str] = set()
    for path in paths:
        out.update(path[:i] for i in range(steplen, len(path) + 1, steplen))
    return out


def groups_q(groups: Iterable[str]) -> Q:
    """Articles for 指定人群 naming any of ``groups``."""
    found = Q(pk__in=[])
    for code in groups:
        found |= Q(groups__contains=code)
    return found


def reader_q(home_paths: list[str], own: PersonGroups | None = None) -> Q:
    """Published articles whose audience covers a reader belonging to or serving ``home_paths``: the
    public ones and the subtree ones of those organizations or any above them. A 指定人群 article reaches
    the person themself (``own``: their organization and groups), not their grants: one of its groups and
    held in its organization's subtree. No paths: public only."""
    q = Q(audience=Audience.PUBLIC)
    above = ancestor_paths([p for p in home_paths if p])
    if above:
        q |= Q(audience=Audience.SUBTREE, organization__path__in=sorted(above))
    if own is not None and own.org_path and own.groups:
        q |= Q(
            Q(audience=Audience.GROUPS, organization__path__in=sorted(ancestor_paths([own.org_path])))
            & groups_q(own.groups)
        )
    return Q(status=Status.PUBLISHED) & q


def public_q() -> Q:
    return Q(status=Status.PUBLISHED, audience=Audience.PUBLIC)
