"""JSON API of the core module: the same scoped selectors and services as the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core import services
from dangjian.core.models import Membership, OrgKind
from dangjian.core.selectors import (
    children_of,
    get_org_for,
    get_person_for,
    memberships_visible_to,
    org_summaries,
    organizations_within,
    person_list,
    subtree_stats,
)
from dangjian.kit.access_rules import access_rule, signed_in, within
from dangjian.kit.pagination import Pages

router = Router(tags=["core"])
P = Permission


def _scope(request: HttpRequest) -> Scope:
    return resolve_scope(request.user)


# ---------------------------------------------------------------- schemas


class GrantOut(Schema):
    role: str
    org_id: int | None
    org_name: str


class MeOut(Schema):
    username: str
    person_id: int | None
    name: str | None
    political_status: str | None
    organization_id: int | None
    roles: list[GrantOut]


class OrgOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    category: str
    unit: str
    depth: int
    path: str
    has_children: bool
    is_active: bool
    established_on: date | None
    term_started_on: date | None

    @staticmethod
    def resolve_has_children(obj: Any) -> bool:
        return bool(obj.numchild)


class RuleCheckOut(Schema):
    code: str
    severity: str
    message: str
    source: str


class StatsOut(Schema):
    org_id: int
    people: int
    members: int
    by_political_status: dict[str, int]
    by_gender: dict[str, int]
    by_education: dict[str, int]
    members_by_category: dict[str, int]
    by_age_band: dict[str, int]


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    person_type: str
    political_status: str
    staff_number: str | None
    id_number_masked: str
    organization_id: int | None
    unit: str


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str | None = Field(None, max_length=18)
    gender: str = Field(..., pattern="^(male|female)$")
    birth_date: date
    ethnicity: str = Field("汉族", max_length=20)
    phone: str = Field("", max_length=20)
    staff_number: str | None = Field(None, max_length=30)
    person_type: str = Field(..., pattern="^(staff|student|retired|other)$")
    organization_id: int
    unit: str = Field("", max_length=120)


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=50)
    id_number: str | None = Field(None, max_length=18)
    ethnicity: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=20)
    staff_number: str | None = Field(None, max_length=30)
    unit: str | None = Field(None, max_length=120)
    title: str | None = Field(None, max_length=60)


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    membership_type: str
    joined_on: date
    full_on: date | None
    standing: str


class MembershipIn(Schema):
    person_id: int
    organization_id: int
    membership_type: str = Field(..., pattern="^(probationary|full)$")
    joined_on: date
    full_on: date | None = None


class StandingIn(Schema):
    # The standing the client showed (core.transitions): another change in between answers 409.
    expected_status: str = Field(..., max_length=20)
    standing: str = Field(..., max_length=20)
    since: date
    note: str = Field("", max_length=200)
    flow_destination: str = Field("", max_length=120)


# ---------------------------------------------------------------- me and organizations


@access_rule(signed_in())
@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    scope = _scope(request)
    person = getattr(request.user, "person", None)
    return {
        "username": request.user.get_username(),
        "person_id": scope.person_id,
        "name": person.name if person else None,
        "political_status": person.political_status if person else None,
        "organization_id": person.organization_id if person else None,
        "roles": [{"role": str(g.role), "org_id": g.org_id, "org_name": g.org_name} for g in scope.grants],
    }


@access_rule(signed_in())
@router.get("/orgs", response=list[OrgOut])
@paginate(Pages, page_size=50)
def list_orgs(
    request: HttpRequest, parent: int | None = None, kind: str = "", category: str = "", q: str = ""
) -> Any:
    scope = _scope(request)
    qs = organizations_within(scope).order_by("path")
    if parent is not None:
        qs = children_of(scope, get_org_for(scope, parent))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(name__contains=q.strip()[:60]) | qs.filter(code__istartswith=q.strip()[:40])
    return qs


@access_rule(within(Permission.VIEW_ORGS))
@router.get("/orgs/{org_id}", response=OrgOut)
def get_org(request: HttpRequest, org_id: int) -> Any:
    return get_org_for(_scope(request), org_id)


@access_rule(within(Permission.VIEW_ORGS))
@router.get("/orgs/{org_id}/children", response=list[OrgOut])
@paginate(Pages, page_size=100)
def org_children(request: HttpRequest, org_id: int) -> Any:
    scope = _scope(request)
    return children_of(scope, get_org_for(scope, org_id))


@access_rule(within(Permission.VIEW_ORGS))
@router.get("/orgs/{org_id}/rule-checks", response=list[RuleCheckOut])
def org_rule_checks(request: HttpRequest, org_id: int) -> Any:
    org = get_org_for(_scope(request), org_id)
    return org_summaries([org])[0].checks


@access_rule(within(Permission.VIEW_ORGS))
@router.get("/orgs/{org_id}/stats", response=StatsOut)
def org_stats(request: HttpRequest, org_id: int) -> dict[str, Any]:
    """Counts for the whole subtree; needs the right to view people there."""
    org = get_org_for(_scope(request), org_id, P.VIEW_PEOPLE)
    return {"org_id": org.pk, **subtree_stats(org)}


# ---------------------------------------------------------------- people and members


@access_rule(signed_in())
@router.get("/people", response=list[PersonOut])
@paginate(Pages, page_size=50)
def list_people(
    request: HttpRequest,
    q: str = "",
    political_status: str = "",
    org: int | None = None,
    person_type: str = "",
) -> Any:
    scope = _scope(request)
    org_obj = get_org_for(scope, org, P.VIEW_PEOPLE) if org is not None else None
    return person_list(
        scope, query=q[:50], political_status=political_status, person_type=person_type, org=org_obj
    )


@access_rule(within(Permission.VIEW_PEOPLE))
@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> Any:
    return get_person_for(_scope(request), person_id, P.VIEW_PEOPLE)


@access_rule(within(Permission.MANAGE_PEOPLE))
@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    scope = _scope(request)
    data = payload.dict()
    org = get_org_for(scope, data.pop("organization_id"), P.MANAGE_PEOPLE)
    if org.kind != OrgKind.BRANCH:
        raise Http404
    person = services.person_create(actor=request.user, organization=org, **data)
    return Status(201, person)


@access_rule(within(Permission.MANAGE_PEOPLE))
@router.patch("/people/{person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    person = get_person_for(_scope(request), person_id, P.MANAGE_PEOPLE)
    return services.person_update(actor=request.user, person=person, **payload.dict(exclude_unset=True))


@access_rule(signed_in())
@router.get("/members", response=list[MembershipOut])
@paginate(Pages, page_size=50)
def list_members(request: HttpRequest, org: int | None = None, standing: str = "") -> Any:
    scope = _scope(request)
    qs = memberships_visible_to(scope)
    if org is not None:
        qs = qs.filter(organization__path__startswith=get_org_for(scope, org, P.VIEW_PEOPLE).path)
    if standing:
        qs = qs.filter(standing=standing)
    return qs


@access_rule(within(Permission.MANAGE_MEMBERSHIPS))
@router.post("/members", response={201: MembershipOut})
def admit_member(request: HttpRequest, payload: MembershipIn) -> Status[Any]:
    """Record a member who joined before the platform (the same service as the web form)."""
    scope = _scope(request)
    person = get_person_for(scope, payload.person_id, P.MANAGE_MEMBERSHIPS)
    org = get_org_for(scope, payload.organization_id, P.MANAGE_MEMBERSHIPS)
    membership = services.membership_admit_existing(
        actor=request.user,
        person=person,
        organization=org,
        membership_type=payload.membership_type,
        joined_on=payload.joined_on,
        full_on=payload.full_on,
    )
    return Status(201, membership)


@access_rule(within(Permission.MANAGE_MEMBERSHIPS))
@router.patch("/members/{membership_id}", response=MembershipOut)
def change_standing(request: HttpRequest, membership_id: int, payload: StandingIn) -> Any:
    scope = _scope(request)
    try:
        membership = memberships_visible_to(scope, P.MANAGE_MEMBERSHIPS).get(pk=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    return services.membership_change_standing(actor=request.user, membership=membership, **payload.dict())
