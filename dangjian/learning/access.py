"""Who may open which 党校 page, as the link rules of ``core.links`` (a link is drawn only when the
viewer may open it; the view answers 404 with the same predicate)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.roles import Permission
from dangjian.hooks.links import link_rule

P = Permission


@link_rule("learning:class_export")
def may_export_class(request: HttpRequest, training_class: Any) -> bool:
    """The roster with results and certificates, for whoever may export at the organizer."""
    return bool(request.scope.covers(P.EXPORT, training_class.organizer.path))  # type: ignore[attr-defined]
