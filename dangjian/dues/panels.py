"""What dues shows on the person page: the 党费 button, for a member, when its link rule opens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.scope import Scope


def person_panel(request: HttpRequest, scope: Scope, person: Any) -> dict[str, Any] | None:
    return {"person": person} if hasattr(person, "membership") else None
