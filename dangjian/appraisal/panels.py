"""What 民主评议 shows on the person page: the member's decided grades of past years, to those who run
their branch's 民主评议 (or to the member themselves)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.scope import Scope


def grades_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any] | None:
    from dangjian.appraisal import access
    from dangjian.appraisal.selectors import past_grades

    org = person.organization
    if person.pk != scope.person_id and (org is None or not access.may_manage(scope, org)):
        return None
    grades = list(past_grades(person.pk)[:10])
    return {"grades": grades} if grades else None
