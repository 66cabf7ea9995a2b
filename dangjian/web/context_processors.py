from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dangjian import hooks
from dangjian.accounts.requests import scope_of
from dangjian.web.navigation import menu_for
from dangjian.workbench.selectors import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs: navigation for the user's roles, unread count, scope label."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"school_name": settings.SCHOOL_NAME, "demo_mode": settings.DEMO_MODE}
    scope = scope_of(request)
    grants = [g for g in scope.grants if g.org_name]
    return {
        "school_name": settings.SCHOOL_NAME,
        "demo_mode": settings.DEMO_MODE,
        "menu": menu_for(request, scope),
        "can_search": any(p.serves(scope) for p in hooks.search.all()),
        "unread_notifications": unread_count(request.user),
        "scope_label": "、".join(sorted({g.org_name for g in grants})) if grants else "",
        "role_labels": sorted({str(_role_label(g.role)) for g in scope.grants}),
    }


def _role_label(role: str) -> str:
    from dangjian.accounts.roles import Role

    return str(Role(role).label)
