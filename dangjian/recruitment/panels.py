"""What recruitment shows on the person page: the person's 发展党员 file, or the button that opens one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.scope import Scope
from dangjian.recruitment.access import may_manage
from dangjian.recruitment.selectors import cases_visible_to


def person_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any] | None:
    case = cases_visible_to(scope).filter(person=person).order_by("-pk").first()
    member = hasattr(person, "membership")
    org = person.organization
    may_open_case = not member and org is not None and may_manage(scope, org)
    if case is None and not may_open_case:
        return None
    return {"person": person, "case": case}
