"""What transfers shows on other pages: the person page's button and badge, the 工作台 monthly table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.scope import Scope
from dangjian.hooks.points import Badge
from dangjian.transfers.access import may_see_monthly
from dangjian.transfers.selectors import (
    monthly_counts,
    open_transfer_of,
    people_with_open_transfers,
    transfers_visible_to,
)


def person_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any]:
    """The "组织关系转接" button (its own link rule decides) and the 转接办理中 badge, linked when visible."""
    membership = getattr(person, "membership", None) if hasattr(person, "membership") else None
    open_transfer = open_transfer_of(person.pk) if membership is not None else None
    return {
        "person": person,
        "open_transfer": open_transfer,
        "open_transfer_visible": open_transfer is not None
        and transfers_visible_to(scope).filter(pk=open_transfer.pk).exists(),
    }


def person_badges(person_ids: list[int]) -> dict[int, Badge]:
    from django.utils.translation import gettext as _

    badge = Badge(_("转接办理中"), "warning")
    return dict.fromkeys(people_with_open_transfers(person_ids), badge)


def home_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not may_see_monthly(scope):
        return None
    stats = monthly_counts(scope)
    return {"transfer_stats": stats} if stats["rows"] else None
