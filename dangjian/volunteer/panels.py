"""志愿服务 on the person page: the volunteer hours per year (the person themselves, or whoever runs
组织生活 over their organization). One query; nothing drawn for someone who never served."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope


def hours_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any] | None:
    from dangjian.volunteer.selectors import yearly_hours

    org = person.organization
    own = person.pk == scope.person_id
    if not own and (org is None or not scope.covers(Permission.MANAGE_ORGLIFE, org.path)):
        return None
    years = yearly_hours(person.pk)[:5]
    return {"years": years, "own": own} if years else None
