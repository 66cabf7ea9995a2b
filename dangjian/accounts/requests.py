"""``ScopedRequest``: the request a signed-in page sees, typed, with the scope the middleware resolved.

Annotate a view's request with it instead of reaching for ``request.scope  # type: ignore``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from dangjian.accounts.scope import Scope

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class ScopedRequest(HttpRequest):
    scope: Scope
    htmx: HtmxDetails
    user: Any  # dangjian.accounts.models.User once signed in


def scope_of(request: HttpRequest) -> Scope:
    """The request's scope (set by ``accounts.middleware`` on every request)."""
    return request.scope  # type: ignore[attr-defined,no-any-return]
