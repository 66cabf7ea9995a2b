"""What dues shows on other pages: the 党费 button on the person page (for a member, when its link rule
opens) and its 工作台 tiles (我的党费; the declarations waiting for the branch)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.scope import Scope


def person_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any] | None:
    return {"person": person} if hasattr(person, "membership") else None


def my_dues_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """工作台 "我的党费": months owed and how much, or months waiting for the branch, or 已交清 (three
    queries); nothing for someone who is not a member on the roll."""
    from dangjian.core.models import Person
    from dangjian.dues.selectors import member_summary

    if scope.person_id is None:
        return None
    person = Person.objects.filter(pk=scope.person_id, membership__isnull=False).first()
    if person is None:
        return None
    summary = member_summary(person)
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
