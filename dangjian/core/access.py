"""Who may open the core pages, as predicates the views' doors and the templates' links share.

``get_person_for`` / ``get_org_for`` (core.selectors) answer 404 outside these rules; the link rules
registered here let any module's template draw a link to a person or an org only when it opens
(``{% may_open "core:person_detail" person as ok %}``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.hooks.links import link_rule


def may_view_person(scope: Scope, person: Person) -> bool:
    """The person's responsible org lies in the viewer's people scope, or it is the viewer themself."""
    if person.pk == scope.person_id:
        return True
    org = person.organization
    return org is not None and scope.covers(Permission.VIEW_PEOPLE, org.path)


def may_view_org(scope: Scope, org: Organization) -> bool:
    return scope.covers(Permission.VIEW_ORGS, org.path)


def _scope(request: HttpRequest) -> Any:
    return scope_of(request)


@link_rule("core:person_detail")
def _person_link(request: HttpRequest, person: Person) -> bool:
    return may_view_person(_scope(request), person)


@link_rule("core:org_detail")
def _org_link(request: HttpRequest, org: Organization) -> bool:
    return may_view_org(_scope(request), org)
