"""JSON API of the core module: the same scoped selectors as the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from dangjian.accounts.roles import Permission
from dangjian.core.selectors import (
    get_org_for,
    get_person_for,
    org_summaries,
    organizations_within,
    person_list,
)

router = Router(tags=["core"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    category: str
    depth: int
    parent_path: str
    is_active: bool
    term_started_on: date | None

    @staticmethod
    def resolve_parent_path(obj: Any) -> str:
        return obj.path[: -obj.steplen]


class RuleCheckOut(Schema):
    code: str
    severity: str
    message: str
    source: str


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    person_type: str
    political_status: str
    staff_number: str | None
    id_number_masked: str
    organization_id: int | None
    unit: str


class MeOut(Schema):
    username: str
    person_id: int | None
    roles: list[str]


def _scope(request: HttpRequest) -> Any:
    from dangjian.accounts.scope import resolve_scope

    return resolve_scope(request.user)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict:
    scope = _scope(request)
    return {
        "username": request.user.get_username(),
        "person_id": scope.person_id,
        "roles": sorted(scope.roles),
    }


@router.get("/orgs", response=list[OrgOut])
@paginate(PageNumberPagination, page_size=50)
def list_orgs(request: HttpRequest, kind: str = "") -> Any:
    qs = organizations_within(_scope(request)).order_by("path")
    return qs.filter(kind=kind) if kind else qs


@router.get("/orgs/{org_id}", response=OrgOut)
def get_org(request: HttpRequest, org_id: int) -> Any:
    return get_org_for(_scope(request), org_id)


@router.get("/orgs/{org_id}/rule-checks", response=list[RuleCheckOut])
def org_rule_checks(request: HttpRequest, org_id: int) -> Any:
    org = get_org_for(_scope(request), org_id)
    return org_summaries([org])[0].checks


@router.get("/people", response=list[PersonOut])
@paginate(PageNumberPagination, page_size=50)
def list_people(request: HttpRequest, q: str = "", political_status: str = "") -> Any:
    return person_list(_scope(request), query=q, political_status=political_status)


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> Any:
    return get_person_for(_scope(request), person_id, Permission.VIEW_PEOPLE)
