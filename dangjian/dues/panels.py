"""What dues shows on other pages: the 党费 button on the person page (for a member, when its link rule
opens) and its 工作台 tiles (我的党费; the declarations waiting for the branch)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import HttpRequest

from dangjian.accounts.scope import Scope


def person_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any] | None:
    return {"person": person} if hasattr(person, "membership") else None


def my_dues_questions(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    """Whether the user is a member on the dues roll and how many of their bills are unpaid: counted in
    the 工作台's one statement."""
    from dangjian.core.models import Membership
    from dangjian.dues.models import Bill

    if scope.person_id is None:
        return {}
    return {
        "member": Membership.objects.filter(person_id=scope.person_id),
        "unpaid": Bill.objects.filter(person_id=scope.person_id, paid_amount__lt=F("amount")),
    }


def my_dues_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """工作台 "我的党费": months owed and how much, or months waiting for the branch, or 已交清 — from the
    counts of ``my_dues_questions``, and two queries only when some bill is unpaid; nothing for someone
    who is not a member on the roll."""
    from dangjian.dues.selectors import ZERO, member_summary
    from dangjian.kit.counting import recall_count

    person_id = scope.person_id
    if person_id is None:
        return None
    asked = my_dues_questions(request, scope)
    if not recall_count(scope, "tile.dues.mine:member", asked["member"]):
        return None
    if not recall_count(scope, "tile.dues.mine:unpaid", asked["unpaid"]):
        return {"owed_count": 0, "owed_total": ZERO, "pending_count": 0, "pending_total": ZERO}
    summary = member_summary(person_id)
    return {
        "owed_count": len(summary.owed),
        "owed_total": summary.owed_total,
        "pending_count": len(summary.pending),
        "pending_total": summary.pending_total,
    }


def declarations_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """工作台: how many members' declarations wait for this collector's confirmation (the to-do's count)."""
    from dangjian.dues import access
    from dangjian.dues.selectors import pending_declarations
    from dangjian.kit.counting import recall_count

    if not access.may_manage_some(scope):
        return None
    count = recall_count(scope, "dues:declarations", pending_declarations(scope))
    return {"count": count} if count else None
