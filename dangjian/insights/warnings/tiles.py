"""The 工作台 tile of the 预警 centre: the warnings still open in the viewer's scope, by level, and the
kinds with the most of them (one grouped query, shared with the to-do), each linking into the centre."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.insights.warnings import selectors

TOP_KINDS = 4


def warnings_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has(Permission.HANDLE_WARNINGS):
        return None
    found = selectors.active_chips(scope)
    return {
        "levels": selectors.level_totals(found),
        "kinds": found[:TOP_KINDS],
        "more_kinds": max(0, len(found) - TOP_KINDS),
        "total": sum(c.total for c in found),
    }
