"""The 预警 centre for other systems and phone clients: ``GET /api/v1/warnings``, the warnings within
the caller's HANDLE_WARNINGS scope, filtered and paginated as the centre's list (``org`` outside the
scope answers 404, like the page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.insights.warnings import selectors
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.kit.pagination import Pages

router = Router(tags=["insights"])


class AlertOut(Schema):
    id: int
    source: str
    source_label: str
    level: str
    level_label: str
    rule: str
    summary: str
    organization_id: int
    organization_name: str
    person_id: int | None
    person_name: str | None
    url: str
    status: str
    status_label: str
    raised_on: date
    last_seen_on: date
    cleared_on: date | None
    note: str

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return selectors.source_label(obj.source)

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_person_name(obj: Any) -> str | None:
        return obj.person.name if obj.person_id else None


@access_rule(anywhere(Permission.HANDLE_WARNINGS))
@router.get("/warnings", response=list[AlertOut])
@paginate(Pages, page_size=50)
def list_warnings(
    request: HttpRequest,
    source: str = "",
    level: str = "",
    status: str = "",
    org: int | None = None,
    q: str = "",
) -> Any:
    """Newest first. ``status``: empty for 待处理 and 处理中, or open, handling, cleared (已消除 not yet
    closed), closed, all; ``org`` narrows to an organization's subtree."""
    scope = resolve_scope(request.user)
    if not scope.has(Permission.HANDLE_WARNINGS):
        raise Http404
    filters = selectors.parse_filters(
        scope, {"branch": org, "source": source, "level": level, "status": status, "q": q}
    )
    return selectors.listed(scope, filters)
