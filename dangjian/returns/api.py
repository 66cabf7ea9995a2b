"""数据报送 API: the returns the caller designs or must fill, and one return's status per organization.
Same selectors as the pages; out of scope answers 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import ALLOWED, access_rule, signed_in, within
from dangjian.kit.pagination import Pages
from dangjian.returns import access, selectors

router = Router(tags=["returns"])


class ReturnOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    status_label: str
    designer_id: int
    designer_name: str
    deadline: date | None
    year: int | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_designer_name(obj: Any) -> str:
        return str(obj.designer.name)


class AssignmentOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    status: str
    status_label: str
    late: bool
    submitted_at: datetime | None
    returned_reason: str

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return selectors.status_label(obj)


class ReturnDetailOut(ReturnOut):
    organizations: list[AssignmentOut]


@access_rule(signed_in())
@router.get("", response=list[ReturnOut])
@paginate(Pages, page_size=50)
def list_returns(request: HttpRequest) -> Any:
    """The returns the caller designs (reviews) or must fill, newest first."""
    return selectors.returns_visible_to(scope_of(request))


@access_rule(within(Permission.FILL_RETURNS, branch_secretary=ALLOWED))
@router.get("/{return_id}", response=ReturnDetailOut)
def get_return(request: HttpRequest, return_id: int) -> Any:
    """The return with the status of each organization: all of them for a reviewer, the caller's own
    for a filler."""
    scope = scope_of(request)
    ret = selectors.get_visible_return_for(scope, return_id)
    assignments = selectors.status_of(ret)
    if not access.may_review(scope, ret):
        assignments = [a for a in assignments if access.fills_at(scope, a.organization)]
    ret.organizations = assignments  # type: ignore[attr-defined]
    return ret
