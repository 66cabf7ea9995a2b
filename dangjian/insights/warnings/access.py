"""Who may see and handle a warning: whoever holds HANDLE_WARNINGS over the organization that must act
(its secretary for a branch, the organizers above). One predicate for one alert, one ``Q`` for lists,
asked by the services (which refuse), the pages and the API (which answer 404) and the to-dos alike."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.links import link_rule

P = Permission


def handles_for(scope: Scope, org: Any) -> bool:
    """Handles the warnings of ``org`` and the organizations below it (the centre filtered to it)."""
    return scope.covers(P.HANDLE_WARNINGS, org.path)


def may_handle(scope: Scope, alert: Any) -> bool:
    """See the alert, take it (我来处理) and close it with a note."""
    return handles_for(scope, alert.organization)


def alerts_q(scope: Scope, path_field: str = "organization__path") -> Q:
    """The alerts where ``may_handle`` holds."""
    return scope.q(P.HANDLE_WARNINGS, path_field)


def may_export(scope: Scope) -> bool:
    """The centre's Excel: the rows on screen (already within the scope), for whoever may export."""
    return scope.has(P.HANDLE_WARNINGS) and scope.has(P.EXPORT)


@link_rule("insights:warning")
def may_open_alert(request: HttpRequest, alert: Any) -> bool:
    return may_handle(scope_of(request), alert)
